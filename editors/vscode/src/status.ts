import * as vscode from 'vscode';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageclient/node';

/** The states the packaging status bar item can show. */
export type PackagingState =
  | { kind: 'stopped'; detail: string }
  | { kind: 'idle'; detail: string }
  | { kind: 'packaging'; title: string; message?: string; percentage?: number }
  | { kind: 'failed'; message: string };

/** Command run when the item is clicked while packaging failed (and otherwise). */
export const showPackagingDetailsCommand = 'chaliceLsp.showPackagingDetails';

/**
 * The server ends a failed `chalice package` run's progress with "failed: <first line of the
 * error>" (lsp/server/packaging.go); a superseded run ends with "cancelled", which is no failure.
 */
export function isFailureMessage(message: string | undefined): boolean {
  if (!message) {
    return false;
  }
  return /^\s*(failed|error)\b/i.test(message) || /\btimed out\b/i.test(message);
}

/** Whether a progress title is about packaging (the server titles it "chalice package"). */
export function isPackagingTitle(title: string | undefined): boolean {
  return !!title && /packag/i.test(title);
}

/**
 * The status bar item for background packaging, driven by the server's `$/progress`
 * notifications: idle, packaging (with percentage and message), failed (click for details).
 */
export class PackagingStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: PackagingState = { kind: 'stopped', detail: 'The language server is not running.' };
  /** Titles of the progress tokens that are running, so reports and ends can be matched. */
  private readonly running = new Map<string, string>();

  constructor(private readonly log: vscode.OutputChannel) {
    this.item = vscode.window.createStatusBarItem('chaliceLsp.packaging', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Chalice packaging';
    this.item.command = showPackagingDetailsCommand;
    this.render();
    this.item.show();
  }

  current(): PackagingState {
    return this.state;
  }

  set(state: PackagingState): void {
    this.state = state;
    this.render();
  }

  /** Feeds one `$/progress` value (from the language client middleware). */
  onProgress(token: string | number, value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void {
    const key = String(token);
    switch (value.kind) {
      case 'begin':
        if (!isPackagingTitle(value.title)) {
          return;
        }
        this.running.set(key, value.title);
        this.set({ kind: 'packaging', title: value.title, message: value.message, percentage: value.percentage });
        return;
      case 'report': {
        const title = this.running.get(key);
        if (title === undefined) {
          return;
        }
        this.set({ kind: 'packaging', title, message: value.message, percentage: value.percentage });
        return;
      }
      case 'end': {
        const title = this.running.get(key);
        if (title === undefined) {
          return;
        }
        this.running.delete(key);
        if (isFailureMessage(value.message)) {
          this.log.appendLine(`[packaging] ${title}: ${value.message}`);
          // "failed: <reason>" -> "<reason>" (the item and the dialog already say it failed).
          const reason = (value.message ?? '').replace(/^\s*(failed|error)\s*:\s*/i, '') || 'no details; see the output';
          this.set({ kind: 'failed', message: reason });
        } else if (this.running.size === 0) {
          this.set({ kind: 'idle', detail: value.message ? `Last run: ${value.message}` : 'Last run succeeded.' });
        }
        return;
      }
    }
  }

  /** What clicking the item does. */
  async showDetails(): Promise<void> {
    if (this.state.kind === 'failed') {
      const pick = await vscode.window.showErrorMessage(
        `Chalice packaging failed: ${this.state.message}`,
        'Show output',
        'Package again',
      );
      if (pick === 'Show output') {
        this.log.show(true);
      } else if (pick === 'Package again') {
        await vscode.commands.executeCommand('chaliceLsp.packagePreview');
      }
      return;
    }
    this.log.show(true);
  }

  private render(): void {
    const s = this.state;
    this.item.backgroundColor = undefined;
    switch (s.kind) {
      case 'stopped':
        this.item.text = '$(circle-slash) Chalice';
        this.item.tooltip = s.detail;
        break;
      case 'idle':
        this.item.text = '$(check) Chalice';
        this.item.tooltip = `Chalice packaging: idle. ${s.detail}`;
        break;
      case 'packaging': {
        const pct = typeof s.percentage === 'number' ? ` ${Math.round(s.percentage)}%` : '';
        this.item.text = `$(sync~spin) Chalice: packaging${pct}`;
        this.item.tooltip = `${s.title}${s.message ? `: ${s.message}` : ''}`;
        break;
      }
      case 'failed':
        this.item.text = '$(error) Chalice: packaging failed';
        this.item.tooltip = `${s.message}\nClick for details.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
    this.item.accessibilityInformation = { label: this.item.text.replace(/\$\([^)]*\)\s*/g, '') };
  }

  dispose(): void {
    this.item.dispose();
  }
}
