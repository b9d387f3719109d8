// Checks that package.json contributes every server setting (internal/settings.Doc, "chalice.X" is
// contributed as "chaliceLsp.X") with a description and a default, and no setting the server does
// not know except the client-only ones.
//   node test/check-manifest.mjs <repo>/internal/settings/settings.go
import * as fs from 'node:fs';
import * as path from 'node:path';

const clientOnly = new Set(['chaliceLsp.server.path', 'chaliceLsp.server.args', 'chaliceLsp.trace.server']);
const settingsGo = process.argv[2];
const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8'));
const props = manifest.contributes.configuration.properties;
const problems = [];

if (!settingsGo || !fs.existsSync(settingsGo)) {
  console.error(`check-manifest: ${settingsGo ?? '(no path)'} does not exist; pass internal/settings/settings.go`);
  process.exit(1);
}
const src = fs.readFileSync(settingsGo, 'utf8');
const serverKeys = [...src.matchAll(/\{"chalice\.([A-Za-z.]+)",/g)].map((m) => `chaliceLsp.${m[1]}`);
if (serverKeys.length === 0) {
  problems.push(`found no "chalice.*" entries in ${settingsGo} (settings.Doc changed shape?)`);
}
for (const key of serverKeys) {
  if (!props[key]) {
    problems.push(`server setting ${key.replace('chaliceLsp.', 'chalice.')} is not contributed as ${key}`);
  }
}
for (const [key, p] of Object.entries(props)) {
  if (!serverKeys.includes(key) && !clientOnly.has(key)) {
    problems.push(`${key} is contributed but the server has no such setting`);
  }
  if (!p.description && !p.markdownDescription) {
    problems.push(`${key} has no description`);
  }
  if (!('default' in p)) {
    problems.push(`${key} has no default`);
  }
}
for (const c of manifest.contributes.commands) {
  if (!c.title || !c.category) {
    problems.push(`command ${c.command} needs a title and a category`);
  }
}
if (problems.length > 0) {
  console.error(`check-manifest: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-manifest: ${serverKeys.length} server settings contributed`);
