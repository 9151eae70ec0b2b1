/** The status-bar item: which cluster file the placement uses. Click: pick another, open it, or write a sample. */
import * as vscode from 'vscode';
import type { ClusterFileResult } from '../../server/src/protocol';

export const CLUSTER_MENU_COMMAND = 'daemonsetLens.clusterFileMenu';

export class ClusterStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private state: ClusterFileResult = { candidates: [] };
  private seq = 0;

  constructor(private readonly request: () => Promise<ClusterFileResult>) {
    this.item = vscode.window.createStatusBarItem('daemonsetLens.clusterFile', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'DaemonSet Lens: Cluster File';
    this.item.command = CLUSTER_MENU_COMMAND;
    this.disposables.push(this.item, vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility()));
    this.render();
  }

  /** The last known state (for the quick pick). */
  get current(): ClusterFileResult {
    return this.state;
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const state = await this.request();
      if (mine !== this.seq) return;
      this.state = state;
    } catch {
      // The server is starting or stopped: keep what we had.
    }
    this.render();
  }

  private render(): void {
    const c = this.state.cluster;
    if (c) {
      const name = vscode.Uri.parse(c.uri).path.split('/').pop() ?? c.uri;
      this.item.text = `$(server-environment) ${name}`;
      const nodes = `${c.nodeCount} node${c.nodeCount === 1 ? '' : 's'}${c.podCount ? `, ${c.podCount} pod${c.podCount === 1 ? '' : 's'}` : ''}`;
      this.item.tooltip = `DaemonSet Lens places DaemonSets over ${vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri))} (${nodes}, ${c.source === 'setting' ? 'from the daemonsetLens.clusterFile setting' : 'found in the workspace'}). Click to change.`;
      this.item.backgroundColor = c.problems > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } else {
      this.item.text = '$(server-environment) No cluster file';
      this.item.tooltip = this.state.error ?? 'DaemonSet Lens: no cluster file in use. Click to select one or create a sample (kubectl get nodes -o yaml > cluster.yaml).';
      this.item.backgroundColor = this.state.error ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.updateVisibility();
  }

  private updateVisibility(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && (doc.languageId === 'yaml' || doc.languageId === 'json')) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
