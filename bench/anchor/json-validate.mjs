// Anchor for `make bench` figure 1: validates a config with VS Code's own JSON language
// service (vscode-json-languageservice), using the same schema file chalice-lsp embeds.
//
//   node json-validate.mjs SCHEMA.json DOC.json RUNS [ROUNDS]
//
// Prints one JSON line per round (default 1 round of RUNS validations):
// {"medianMs":…, "meanMs":…, "p10Ms":…, "p90Ms":…, "runs":…, "problems":…, "bytes":…}.
// meanMs is comparable to Go's ns/op (also a mean over the iterations of a run).
// The timed part is what a server does on a keystroke: parse the text and validate it.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';

const [schemaPath, docPath, runsArg, roundsArg] = process.argv.slice(2);
if (!schemaPath || !docPath) {
  console.error('usage: node json-validate.mjs SCHEMA.json DOC.json [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg || 30);
const rounds = Number(roundsArg || 1);
const schemaURI = pathToFileURL(schemaPath).href;
const ls = getLanguageService({
  schemaRequestService: async (uri) => readFileSync(new URL(uri), 'utf8'),
  workspaceContext: { resolveRelativePath: (rel, base) => new URL(rel, base).href },
});
ls.configure({ validate: true, allowComments: false, schemas: [{ uri: schemaURI, fileMatch: ['*.json'] }] });

const text = readFileSync(docPath, 'utf8');
let problems = 0;
async function once(version) {
  const doc = TextDocument.create('file:///bench/config.json', 'json', version, text);
  const parsed = ls.parseJSONDocument(doc);
  const diags = await ls.doValidation(doc, parsed, { schemaValidation: 'error' });
  problems = diags.length;
}
// Warm up: schema download/compile and JIT, as a long-running server would be.
for (let i = 0; i < Math.max(5, Math.min(runs, 50)); i++) await once(i);
const q = (ts, p) => ts[Math.min(ts.length - 1, Math.floor(p * ts.length))];
for (let r = 0; r < rounds; r++) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await once(100 + r * runs + i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ medianMs: q(times, 0.5), meanMs, p10Ms: q(times, 0.1), p90Ms: q(times, 0.9), runs, problems, bytes: Buffer.byteLength(text) }));
}
