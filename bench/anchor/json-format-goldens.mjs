// Writes the goldens of chalice-lsp's formatter differential test
// (lsp/jsonfeatures/format_test.go): what VS Code's JSON formatter
// (vscode-json-languageservice's format, i.e. jsonc-parser's) answers for every
// config.json under testdata/ and every lsp/jsonfeatures/testdata/format/*.json,
// with several option sets, for the whole document and for a few ranges.
//
//   node bench/anchor/json-format-goldens.mjs        (from the repository root;
//   scripts/format-goldens.sh installs the anchor and runs it)
//
// Offsets in the goldens are bytes (the Go side's unit); each case records the
// input's SHA-256 so a changed input with stale goldens fails the test.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';

const root = process.cwd();
const out = 'lsp/jsonfeatures/testdata/format/goldens.json';

function walk(dir, acc) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'cdk.out' || name === 'chalice.out') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, acc);
    else if (name === 'config.json' && p.endsWith(join('.chalice', 'config.json'))) acc.push(p);
  }
  return acc;
}
const inputs = walk(join(root, 'testdata'), []);
const fmtDir = join(root, 'lsp/jsonfeatures/testdata/format');
for (const name of readdirSync(fmtDir).sort()) {
  if (name.endsWith('.json') && name !== 'goldens.json') inputs.push(join(fmtDir, name));
}

const optionSets = [
  { tabSize: 2, insertSpaces: true, keepLines: true },
  { tabSize: 4, insertSpaces: false, keepLines: true },
  { tabSize: 3, insertSpaces: true, keepLines: true, insertFinalNewline: true },
  { tabSize: 4, insertSpaces: true, keepLines: false, insertFinalNewline: true },
];

const ls = getLanguageService({});
const bytes = (text, off) => Buffer.byteLength(text.slice(0, off), 'utf8');
const cases = [];
for (const path of inputs) {
  const raw = readFileSync(path);
  const text = raw.toString('utf8');
  const doc = TextDocument.create('file:///config.json', 'json', 1, text);
  // Ranges: lines 2-4 whole, and from the middle of line 3 to the middle of line 6.
  const line = (n) => doc.offsetAt({ line: n, character: 0 });
  const ranges = [null];
  if (doc.lineCount > 5) {
    ranges.push({ start: doc.positionAt(line(2)), end: doc.positionAt(line(5)) });
    const mid = (n) => { const s = line(n), e = line(n + 1); return doc.positionAt(s + Math.floor((e - s) / 2)); };
    ranges.push({ start: mid(3), end: mid(6) });
  }
  for (const options of optionSets) {
    for (const range of ranges) {
      const edits = ls.format(doc, range ?? undefined, options).map((e) => {
        const s = doc.offsetAt(e.range.start), en = doc.offsetAt(e.range.end);
        return { start: bytes(text, s), end: bytes(text, en), text: e.newText };
      });
      cases.push({
        file: relative(root, path),
        sha256: createHash('sha256').update(raw).digest('hex'),
        options,
        range: range && { start: bytes(text, doc.offsetAt(range.start)), end: bytes(text, doc.offsetAt(range.end)) },
        edits,
      });
    }
  }
}
writeFileSync(out, JSON.stringify({ generator: 'bench/anchor/json-format-goldens.mjs', cases }, null, 1) + '\n');
console.log(`${out}: ${cases.length} cases from ${inputs.length} files`);
