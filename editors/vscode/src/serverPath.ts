import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the server binary came from; shown in the output channel and in error messages. */
export type ServerSource = 'setting' | 'bundled' | 'PATH';

/** A server binary that exists and is executable. */
export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

/** The binary name on this platform. */
export function binaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'chalice-lsp.exe' : 'chalice-lsp';
}

/**
 * The folder inside the extension that holds the bundled binary for a platform, for example
 * `bin/linux-x64`. `build-vsix.sh` copies the server there before `vsce package`.
 */
export function bundledDir(extensionPath: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return path.join(extensionPath, 'bin', `${platform}-${arch}`);
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A .vsix is a zip; some unpackers drop the executable bit. Restore it on the bundled binary
 * (our own file inside the extension folder, never a user file).
 */
function makeExecutable(file: string): void {
  if (process.platform === 'win32') {
    return;
  }
  try {
    const st = fs.statSync(file);
    if (st.isFile() && (st.mode & 0o111) === 0) {
      fs.chmodSync(file, st.mode | 0o755);
    }
  } catch {
    // Missing or read-only: resolveServer reports it below.
  }
}

/** Looks a command name up on PATH the way a shell would (no shell involved). */
export function which(name: string, envPath: string = process.env.PATH ?? ''): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** Expands a leading `~` to the home folder. */
export function expandHome(p: string): string {
  if (p === '~') {
    return os.homedir();
  }
  if (p.startsWith('~/') || p.startsWith('~\\')) {
    return path.join(os.homedir(), p.slice(2));
  }
  return p;
}

/** Raised when no server binary can be found; the message says what was tried and what to do. */
export class ServerNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerNotFoundError';
  }
}

/**
 * Finds the server: the `chaliceLsp.server.path` setting if set (it must then work: a wrong
 * setting is reported, not silently replaced), else the binary bundled in the extension, else
 * `chalice-lsp` on PATH.
 */
export function resolveServer(settingPath: string, extensionPath: string): ResolvedServer {
  const configured = settingPath.trim();
  if (configured !== '') {
    const expanded = expandHome(configured);
    if (path.isAbsolute(expanded) || expanded.includes('/') || expanded.includes('\\')) {
      if (isExecutable(expanded)) {
        return { command: expanded, source: 'setting' };
      }
      throw new ServerNotFoundError(
        `The setting chaliceLsp.server.path is "${configured}", but no executable file is there. ` +
          'Fix the path, or clear the setting to use the server bundled with the extension.',
      );
    }
    const found = which(expanded);
    if (found) {
      return { command: found, source: 'setting' };
    }
    throw new ServerNotFoundError(
      `The setting chaliceLsp.server.path is "${configured}", but no such program is on PATH. ` +
        'Set it to an absolute path, or clear it to use the server bundled with the extension.',
    );
  }
  const bundled = path.join(bundledDir(extensionPath), binaryName());
  makeExecutable(bundled);
  if (isExecutable(bundled)) {
    return { command: bundled, source: 'bundled' };
  }
  const onPath = which(binaryName());
  if (onPath) {
    return { command: onPath, source: 'PATH' };
  }
  throw new ServerNotFoundError(
    `The chalice-lsp language server was not found: this extension has no bundled server for ${process.platform}-${process.arch}, ` +
      'chalice-lsp is not on PATH, and chaliceLsp.server.path is not set. ' +
      'Install it (go install github.com/chalice-lsp/chalice-lsp/cmd/chalice-lsp@latest) or set chaliceLsp.server.path.',
  );
}
