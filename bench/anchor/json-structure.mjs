// Anchor for `make bench` figures 8a-8f: VS Code's JSON language service on the same bytes as
// lsp/jsonfeatures' BenchmarkStructure: Format Document of the 3 KB config (keepLines, 4 spaces),
// document symbols (resultLimit 5000, as VS Code's json.maxItemsComputed) and folding ranges
// (rangeLimit 5000, as editor.foldingMaximumRegions) of the 1 MB config.
//
//   node json-structure.mjs DOC-3KB.json DOC-1MB.json RUNS [ROUNDS]
//
// Prints one JSON line per round with the median and p99 (ms) of one call each:
// {"format3KBP50Ms":…, "format3KBP99Ms":…, "symbols1MBP50Ms":…, …, "formatEdits":…}.
// Symbols are computed on the parsed document (the JSON server caches the parse per version);
// formatting scans the text itself.
import { readFileSync } from 'node:fs';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';

const [smallPath, bigPath, runsArg, roundsArg] = process.argv.slice(2);
if (!smallPath || !bigPath) {
  console.error('usage: node json-structure.mjs DOC-3KB.json DOC-1MB.json [RUNS] [ROUNDS]');
  process.exit(2);
}
const runs = Number(runsArg || 100);
const rounds = Number(roundsArg || 1);
const ls = getLanguageService({});
const small = TextDocument.create('file:///bench/small/config.json', 'json', 1, readFileSync(smallPath, 'utf8'));
const big = TextDocument.create('file:///bench/big/config.json', 'json', 1, readFileSync(bigPath, 'utf8'));
const bigParsed = ls.parseJSONDocument(big);
const formatOptions = { tabSize: 4, insertSpaces: true, keepLines: true };

let formatEdits = 0;
const tasks = {
  format3KB: () => { formatEdits = ls.format(small, undefined, formatOptions).length; },
  symbols1MB: () => ls.findDocumentSymbols2(big, bigParsed, { resultLimit: 5000 }),
  folding1MB: () => ls.getFoldingRanges(big, { rangeLimit: 5000 }),
};
const q = (ts, p) => ts[Math.min(ts.length - 1, Math.floor(p * ts.length))];
// Warm up (JIT), as a long-running server would be.
for (const f of Object.values(tasks)) for (let i = 0; i < Math.max(5, Math.min(runs, 30)); i++) f();
for (let r = 0; r < rounds; r++) {
  const out = {};
  for (const [name, f] of Object.entries(tasks)) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      f();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    out[`${name}P50Ms`] = q(times, 0.5);
    out[`${name}P99Ms`] = q(times, 0.99);
  }
  out.formatEdits = formatEdits;
  out.runs = runs;
  console.log(JSON.stringify(out));
}
