// Reads each .vsix with Open VSX's own reader (the ovsx package's readVSIXPackage, what
// `ovsx publish` sends the registry) and checks what the registry requires of the manifest,
// without publishing: name, publisher, a plain X.Y.Z version, a licence (SPDX id), a repository,
// an icon that is in the package, and a target platform matching the file name.
//   node test/check-vsix.mjs <path to node_modules/ovsx> FILE.vsix...
import { createRequire } from 'node:module';
import * as path from 'node:path';

const [ovsxDir, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(ovsxDir), 'package.json'));
const { readVSIXPackage, readZip, hashAllZipEntries } = require('./lib/zip.js');
let bad = 0;
for (const file of files) {
  const problems = [];
  const m = await readVSIXPackage(file);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(m.name ?? '')) {problems.push(`name ${m.name}`);}
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(m.publisher ?? '')) {problems.push(`publisher ${m.publisher}`);}
  if (!/^\d+\.\d+\.\d+$/.test(m.version ?? '')) {problems.push(`version ${m.version} is not X.Y.Z`);}
  if (m.license !== 'Apache-2.0') {problems.push(`license ${m.license}`);}
  if (!m.repository) {problems.push('no repository');}
  const names = new Set((await hashAllZipEntries(file)).keys());
  if (!m.icon || !names.has(`extension/${m.icon}`)) {problems.push(`icon ${m.icon} is not in the package`);}
  const vsixManifest = (await readZip(file, (n) => n === 'extension.vsixmanifest')).get('extension.vsixmanifest')?.toString('utf8') ?? '';
  const want = path.basename(file).replace(/^chalice-lsp-/, '').replace(/-\d+\.\d+\.\d+\.vsix$/, '');
  const got = /TargetPlatform="([^"]+)"/.exec(vsixManifest)?.[1] ?? 'universal';
  if (got !== want) {problems.push(`target platform ${got}, want ${want}`);}
  if (problems.length) {
    bad++;
    console.error(`check-vsix: ${file}: ${problems.join('; ')}`);
  } else {
    console.error(`check-vsix: ${path.basename(file)}: ${m.publisher}.${m.name}@${m.version} (${got}) ok`);
  }
}
process.exit(bad ? 1 : 0);
