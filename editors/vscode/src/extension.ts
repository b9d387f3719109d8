import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
} from 'vscode-languageclient/node';
import { resolveServer, ServerNotFoundError, type ResolvedServer } from './serverPath';
import { initializationOptions, section, serverSection, serverSettings } from './settings';
import { PackagingStatus, showPackagingDetailsCommand } from './status';

/**
 * Server command IDs (workspace/executeCommand, lsp/server/commands.go). The UI commands wrap
 * them; vscode-languageclient also registers these IDs as hidden VS Code commands.
 */
export const serverCommands = {
  packagePreview: 'chalice-lsp.packagePreview',
  previewEffectiveConfig: 'chalice-lsp.previewEffectiveConfig',
} as const;

/** Language ID for `.chalice/config.json`; see README "Who owns config.json". */
export const configLanguageId = 'chalice-config';

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel;
let status: PackagingStatus;
let extensionPath: string;
let commandTokenCounter = 0;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  log = vscode.window.createOutputChannel('Chalice LSP', { log: true });
  status = new PackagingStatus(log);
  context.subscriptions.push(log, status);

  context.subscriptions.push(
    vscode.commands.registerCommand('chaliceLsp.packagePreview', () => runServerCommand(serverCommands.packagePreview, 'Packaging the Chalice app')),
    vscode.commands.registerCommand('chaliceLsp.previewEffectiveConfig', () =>
      runServerCommand(serverCommands.previewEffectiveConfig, 'Resolving the effective Chalice config'),
    ),
    vscode.commands.registerCommand('chaliceLsp.restartServer', () => restart()),
    vscode.commands.registerCommand('chaliceLsp.showOutput', () => log.show(true)),
    vscode.commands.registerCommand(showPackagingDetailsCommand, () => status.showDetails()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trust granted: telling the server (automatic packaging may start now)');
      pushSettings();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(section)) {
        return;
      }
      if (e.affectsConfiguration(`${section}.server`)) {
        void restart();
      } else {
        pushSettings();
      }
    }),
  );

  trackEditors(context);
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The documents the server handles: Chalice config files and the Python/Go code of the workspace. */
function documentSelector(): LanguageClientOptions['documentSelector'] {
  return [
    { scheme: 'file', language: configLanguageId },
    // A user who maps config.json back to plain JSON still gets the server (plus VS Code's JSON support).
    { scheme: 'file', language: 'json', pattern: '**/.chalice/config.json' },
    { scheme: 'file', language: 'python' },
    { scheme: 'file', language: 'go' },
  ];
}

async function start(): Promise<void> {
  let server: ResolvedServer;
  try {
    server = resolveServer(vscode.workspace.getConfiguration(section).get<string>('server.path', ''), extensionPath);
  } catch (err) {
    const message = err instanceof ServerNotFoundError ? err.message : `Could not locate chalice-lsp: ${String(err)}`;
    log.error(message);
    status.set({ kind: 'stopped', detail: message });
    void vscode.window.showErrorMessage(message, 'Open settings', 'Show output').then((pick) => {
      if (pick === 'Open settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'chaliceLsp.server.path');
      } else if (pick === 'Show output') {
        log.show(true);
      }
    });
    return;
  }
  const args = vscode.workspace.getConfiguration(section).get<string[]>('server.args', ['serve']);
  log.info(`starting ${server.command} ${args.join(' ')} (${server.source}); workspace trusted: ${vscode.workspace.isTrusted}`);

  const serverOptions: ServerOptions = {
    command: server.command,
    args,
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: log,
    initializationOptions: initializationOptions(),
    middleware: {
      // Packaging imports the app's code. A code action (say, one a repository's
      // .vscode/settings.json runs on save) must not start it in Restricted Mode: ask for
      // trust instead. The server refuses too (lsp/server/trust.go); this is the client's half.
      executeCommand: (command, args, next): unknown => {
        if (command === serverCommands.packagePreview && !vscode.workspace.isTrusted) {
          log.warn(`${command} was not run: the workspace is in Restricted Mode (packaging runs the app's code); asking for trust`);
          void askForTrust();
          return undefined;
        }
        return next(command, args) as unknown;
      },
      handleWorkDoneProgress: (token, params, next) => {
        status.onProgress(token, params);
        next(token, params);
      },
      workspace: {
        // The server pulls section "chalice": answer with the server-shaped settings (built
        // from `chaliceLsp.*` and workspace trust), per scope.
        configuration: async (params, token, next) => {
          const result: unknown = await next(params, token);
          if (!Array.isArray(result)) {
            return result as ReturnType<typeof next>;
          }
          const values: unknown[] = result;
          return params.items.map((item, i): unknown => {
            if (item.section === serverSection || item.section === section) {
              return serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
            }
            return values[i];
          });
        },
      },
    },
    initializationFailedHandler: (error) => {
      log.error(`the server failed to initialize: ${String(error)}`);
      status.set({ kind: 'stopped', detail: `The server failed to initialize: ${String(error)}` });
      return false;
    },
  };

  const c = new LanguageClient('chaliceLsp', 'Chalice LSP', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      void vscode.commands.executeCommand('setContext', 'chaliceLsp.active', true);
      if (status.current().kind === 'stopped') {
        status.set({ kind: 'idle', detail: 'No packaging run yet.' });
      }
    } else if (e.newState === State.Stopped) {
      void vscode.commands.executeCommand('setContext', 'chaliceLsp.active', false);
      status.set({ kind: 'stopped', detail: 'The language server is not running. Run "Chalice: Restart server".' });
    }
  });
  try {
    await c.start();
  } catch (err) {
    log.error(`could not start ${server.command}: ${String(err)}`);
    void vscode.window.showErrorMessage(`Chalice LSP: could not start ${server.command}: ${String(err)}`, 'Show output').then((pick) => {
      if (pick) {
        log.show(true);
      }
    });
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop(5000);
    } catch (err) {
      log.warn(`stopping the server: ${String(err)}`);
    }
    await c.dispose().catch(() => undefined);
  }
}

async function restart(): Promise<void> {
  log.info('restarting the server');
  await stop();
  await start();
}

/** Sends the current settings (with trust) after a settings change or a trust grant. */
function pushSettings(): void {
  if (!client || !client.isRunning()) {
    return;
  }
  void client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [serverSection]: serverSettings() } });
}

/** Whether a document is one the server handles inside the workspace (not, say, a preview). */
function isProjectDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(doc.uri)) {
    return false;
  }
  return doc.languageId === configLanguageId || doc.languageId === 'python' || doc.languageId === 'go' || /[\\/]\.chalice[\\/]config\.json$/.test(doc.uri.fsPath);
}

/** The last editor that showed a project document (previews opened by commands do not count). */
let lastProjectEditor: vscode.TextEditor | undefined;

function trackEditors(context: vscode.ExtensionContext): void {
  const note = (e: vscode.TextEditor | undefined) => {
    if (e && isProjectDocument(e.document)) {
      lastProjectEditor = e;
    }
  };
  note(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(note));
}

/**
 * The file a command is about: the active editor's if it is a project file, else the last project
 * file that was active (so running a command from a preview works), else the first Chalice config.
 */
async function targetEditorOrUri(): Promise<{ uri: vscode.Uri; editor?: vscode.TextEditor } | undefined> {
  const active = vscode.window.activeTextEditor;
  if (active && isProjectDocument(active.document)) {
    return { uri: active.document.uri, editor: active };
  }
  if (lastProjectEditor && !lastProjectEditor.document.isClosed) {
    return { uri: lastProjectEditor.document.uri, editor: lastProjectEditor };
  }
  const found = await vscode.workspace.findFiles('**/.chalice/config.json', '**/node_modules/**', 1);
  return found[0] ? { uri: found[0] } : undefined;
}

async function runServerCommand(command: string, title: string): Promise<void> {
  const c = client;
  if (!c || !c.isRunning()) {
    const pick = await vscode.window.showErrorMessage('The Chalice language server is not running.', 'Restart server', 'Show output');
    if (pick === 'Restart server') {
      await restart();
    } else if (pick === 'Show output') {
      log.show(true);
    }
    return;
  }
  if (command === serverCommands.packagePreview && !vscode.workspace.isTrusted) {
    await askForTrust();
    return;
  }
  const target = await targetEditorOrUri();
  if (!target) {
    void vscode.window.showErrorMessage('Open a file of a Chalice app (its .chalice/config.json, app.py or CDK code) first.');
    return;
  }
  const uri = target.uri;
  // Unsaved changes are not what `chalice package` sees.
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) {
    await doc.save();
  }
  // In CDK code the cursor picks the construct call (a byte offset, as the server counts).
  // confirmed: the user ran the command from the UI in a trusted workspace, so the server
  // packages without asking (it asks, or refuses, for commands that do not carry it).
  const args: { uri: string; offset?: number; confirmed?: boolean } = {
    uri: c.code2ProtocolConverter.asUri(uri),
    confirmed: vscode.workspace.isTrusted,
  };
  const editor = target.editor;
  if (editor && ['python', 'go'].includes(editor.document.languageId)) {
    const before = editor.document.getText(new vscode.Range(new vscode.Position(0, 0), editor.selection.active));
    args.offset = Buffer.byteLength(before, 'utf8');
  }
  const token = `chaliceLsp/command/${++commandTokenCounter}`;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const sub = c.onProgress(WorkDoneProgress.type, token, (value) => {
      status.onProgress(token, value);
      if (value.kind !== 'end' && value.message) {
        progress.report({ message: value.message });
      }
    });
    const abort = new vscode.CancellationTokenSource();
    cancel.onCancellationRequested(() => abort.cancel());
    try {
      let result: unknown;
      for (let attempt = 1; ; attempt++) {
        try {
          result = await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args], workDoneToken: token }, abort.token);
          break;
        } catch (err) {
          // A save right after ours starts packaging newer inputs, which supersedes this run
          // (the same inputs would have joined it); asking again previews the newest inputs.
          if (attempt < 3 && !abort.token.isCancellationRequested && err instanceof Error && /superseded/i.test(err.message)) {
            log.info(`${command}: ${err.message}; asking again`);
            continue;
          }
          throw err;
        }
      }
      await openResult(result);
    } catch (err) {
      if (abort.token.isCancellationRequested) {
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      log.error(`${command}: ${message}`);
      const pick = await vscode.window.showErrorMessage(`Chalice: ${message}`, 'Show output');
      if (pick) {
        log.show(true);
      }
    } finally {
      sub.dispose();
      abort.dispose();
    }
  });
}

/**
 * Packaging imports and runs the app's code, so in Restricted Mode it waits for the user to trust
 * the workspace: VS Code's own Workspace Trust editor, never a way around it.
 */
async function askForTrust(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showWarningMessage(
    'Chalice: packaging runs the app\'s code (chalice package imports app.py), so it needs a trusted workspace. This workspace is in Restricted Mode.',
    { modal: true },
    manage,
  );
  if (pick === manage) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}

/**
 * The server answers {path, shown, cached}: it opens the file itself with window/showDocument
 * (shown: true). If the editor did not accept that, open the path here.
 */
async function openResult(result: unknown): Promise<void> {
  if (!result || typeof result !== 'object') {
    return;
  }
  const r = result as { path?: unknown; shown?: unknown };
  if (r.shown === true || typeof r.path !== 'string' || r.path === '') {
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(r.path));
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
