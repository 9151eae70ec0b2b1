/**
 * "Show the pod created on node…": a read-only virtual YAML document (scheme `daemonset-lens-pod`)
 * holding the pod the controller would create on a node, from `daemonset/podForNode`.
 */
import * as vscode from 'vscode';
import type { PodForNodeParams, PodForNodeResult } from '../../../server/src/protocol';

export const POD_SCHEME = 'daemonset-lens-pod';

interface PodQuery {
  uri: string;
  index: number;
  node: string;
}

/** `daemonset-lens-pod:/<daemonset>-pod-on-<node>.yaml?<manifest, index, node>`: the path names the tab, the query says what to ask. */
export function podUri(manifest: vscode.Uri, index: number, node: string, dsName: string): vscode.Uri {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || '_';
  const query: PodQuery = { uri: manifest.toString(), index, node };
  return vscode.Uri.from({ scheme: POD_SCHEME, path: `/${safe(dsName)}-pod-on-${safe(node)}.yaml`, query: JSON.stringify(query) });
}

function readQuery(uri: vscode.Uri): PodQuery | undefined {
  try {
    const q = JSON.parse(uri.query) as Partial<PodQuery>;
    if (typeof q.uri === 'string' && typeof q.index === 'number' && typeof q.node === 'string') return { uri: q.uri, index: q.index, node: q.node };
  } catch {
    // not ours
  }
  return undefined;
}

export class PodDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly request: (params: PodForNodeParams) => Promise<PodForNodeResult | null>) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const q = readQuery(uri);
    if (!q) return '# This is not a DaemonSet Lens pod document.\n';
    try {
      const r = await this.request({ uri: q.uri, index: q.index, node: q.node });
      if (token.isCancellationRequested) return '';
      if (!r) return `# No pod: the manifest is not open, or it no longer holds this DaemonSet.\n`;
      return r.yaml;
    } catch (e) {
      return `# The pod could not be generated: ${String(e).replace(/\s+/g, ' ')}\n`;
    }
  }

  /** The manifest or the cluster changed: open pod documents are regenerated. */
  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === POD_SCHEME) this.changed.fire(doc.uri);
  }

  /** The manifest was edited: its open pod documents follow, debounced like the preview. */
  refreshFor(manifest: vscode.Uri): void {
    const key = manifest.toString();
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === POD_SCHEME && readQuery(d.uri)?.uri === key);
    if (open.length === 0) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      for (const doc of open) this.changed.fire(doc.uri);
    }, 300));
  }

  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.changed.dispose();
  }
}
