import * as vscode from 'vscode';

/** The VS Code configuration section of this extension (`chaliceLsp.*`). */
export const section = 'chaliceLsp';

/** The section the server asks for with workspace/configuration (internal/settings.Section). */
export const serverSection = 'chalice';

/**
 * The settings the server reads (internal/settings): sent as initializationOptions.settings, as the
 * answer to workspace/configuration for section "chalice", and in didChangeConfiguration.
 * Keys mirror `chaliceLsp.*` minus the client-only `server.*` and `trace.*`.
 */
export interface ServerSettings {
  python: string;
  packaging: {
    /** Already combined with trust: false whenever the workspace is untrusted. */
    automatic: boolean;
    timeoutSeconds: number;
    useContainer: boolean;
    containerImage: string;
  };
  stage: string;
  logLevel: string;
}

/** initializationOptions: trust (which only the client can tell) plus the settings. */
export interface InitializationOptions {
  workspaceTrusted: boolean;
  settings: ServerSettings;
}

/**
 * Reads the server settings for a scope (a folder URI or none). In an untrusted workspace VS Code
 * already ignores workspace values of the restricted settings; on top of that automatic packaging
 * is sent as false, and becomes true (if enabled) when trust is granted. That is how the server
 * learns about a trust grant after initialize (workspaceTrusted is read only at initialize).
 */
export function serverSettings(scope?: vscode.Uri): ServerSettings {
  const c = vscode.workspace.getConfiguration(section, scope);
  return {
    python: c.get<string>('python', ''),
    packaging: {
      automatic: vscode.workspace.isTrusted && c.get<boolean>('packaging.automatic', true),
      timeoutSeconds: c.get<number>('packaging.timeoutSeconds', 300),
      useContainer: c.get<boolean>('packaging.useContainer', false),
      containerImage: c.get<string>('packaging.containerImage', ''),
    },
    stage: c.get<string>('stage', ''),
    logLevel: c.get<string>('logLevel', 'info'),
  };
}

/** The initializationOptions sent when the server starts. */
export function initializationOptions(): InitializationOptions {
  return { workspaceTrusted: vscode.workspace.isTrusted, settings: serverSettings() };
}
