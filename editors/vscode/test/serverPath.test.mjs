// Unit tests of the server lookup order (setting, bundled, PATH) against real files.
// Run by test/lint.sh after `tsc` has compiled src/ to out/ (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { resolveServer, bundledDir, ServerNotFoundError } = require(path.join(import.meta.dirname, '..', 'out', 'serverPath.js'));

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chalice-serverpath-'));
  return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function exe(file, mode = 0o755) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n');
  fs.chmodSync(file, mode);
  return file;
}

function withPath(p, fn) {
  const old = process.env.PATH;
  process.env.PATH = p;
  try {
    return fn();
  } finally {
    process.env.PATH = old;
  }
}

test('the setting wins over the bundled binary and PATH', () => {
  const s = scratch();
  try {
    const own = exe(path.join(s.dir, 'own', 'chalice-lsp'));
    exe(path.join(bundledDir(s.dir + '/ext'), 'chalice-lsp'));
    const r = withPath(path.join(s.dir, 'own'), () => resolveServer(own, s.dir + '/ext'));
    assert.deepEqual(r, { command: own, source: 'setting' });
  } finally {
    s.done();
  }
});

test('a wrong setting is an error, not a silent fallback', () => {
  const s = scratch();
  try {
    exe(path.join(bundledDir(s.dir), 'chalice-lsp'));
    assert.throws(() => resolveServer(path.join(s.dir, 'nope', 'chalice-lsp'), s.dir), (e) => e instanceof ServerNotFoundError && /no executable file is there/.test(e.message));
    assert.throws(() => withPath(s.dir, () => resolveServer('no-such-chalice-lsp', s.dir)), /no such program is on PATH/);
  } finally {
    s.done();
  }
});

test('a setting that is a bare name is looked up on PATH', () => {
  const s = scratch();
  try {
    const onPath = exe(path.join(s.dir, 'pathdir', 'my-chalice-lsp'));
    const r = withPath(path.join(s.dir, 'pathdir'), () => resolveServer('my-chalice-lsp', s.dir));
    assert.deepEqual(r, { command: onPath, source: 'setting' });
  } finally {
    s.done();
  }
});

test('bundled before PATH; the executable bit is restored', () => {
  const s = scratch();
  try {
    const bundled = exe(path.join(bundledDir(s.dir), 'chalice-lsp'), 0o644);
    exe(path.join(s.dir, 'pathdir', 'chalice-lsp'));
    const r = withPath(path.join(s.dir, 'pathdir'), () => resolveServer('', s.dir));
    assert.deepEqual(r, { command: bundled, source: 'bundled' });
    assert.ok((fs.statSync(bundled).mode & 0o111) !== 0);
  } finally {
    s.done();
  }
});

test('PATH when nothing is bundled; a clear error when nothing is anywhere', () => {
  const s = scratch();
  try {
    const onPath = exe(path.join(s.dir, 'pathdir', 'chalice-lsp'));
    assert.deepEqual(withPath(path.join(s.dir, 'pathdir'), () => resolveServer('', s.dir)), { command: onPath, source: 'PATH' });
    assert.throws(
      () => withPath(path.join(s.dir, 'empty'), () => resolveServer('  ', s.dir)),
      (e) => e instanceof ServerNotFoundError && /not found/.test(e.message) && /chaliceLsp\.server\.path/.test(e.message),
    );
  } finally {
    s.done();
  }
});
