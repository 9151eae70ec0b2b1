/**
 * Every command of the extension, from one table (rust-analyzer's pattern): each entry is a factory
 * `(ctx) => handler`, registered under `daemonsetLens.<name>`. package.json contributes the titles.
 */
import * as vscode from 'vscode';
import type { ClusterFileResult, PlacementResult, PodForNodeParams, PodForNodeResult } from '../../server/src/protocol';
import { clusterFile, setClusterFile } from './config';
import { PodDocumentProvider, podUri } from './preview/podDocument';
import { isManifestDocument, PlacementPreview, type PreviewHost } from './preview/previewPanel';
import { PATCH_NOTE, templateNote, verdictOf } from '../../server/src/protocol';
import { SAMPLE_CLUSTER, SAMPLE_CLUSTER_FILE_NAME } from './sampleCluster';
import type { ClusterStatus } from './statusBar';

export const PREFIX = 'daemonsetLens.';

/** What commands may use. */
export interface Ctx {
  extension: vscode.ExtensionContext;
  preview: PreviewHost;
  status: ClusterStatus;
  pods: PodDocumentProvider;
  placement(uri: string, position?: vscode.Position): Promise<PlacementResult | null>;
  podForNode(params: PodForNodeParams): Promise<PodForNodeResult | null>;
  clusterFile(): Promise<ClusterFileResult>;
  restartServer(): Promise<void>;
}

type Cmd = (...args: unknown[]) => unknown;

/** The command table. Names are relative to `daemonsetLens.`. */
export const COMMANDS: Readonly<Record<string, (ctx: Ctx) => Cmd>> = {
  openPreviewToSide: (ctx) => async (uriArg?: unknown, index?: unknown) => {
    const doc = await resolveDocument(uriArg);
    PlacementPreview.show(ctx.preview, doc, typeof index === 'number' ? index : undefined);
  },
  showPodForNode: (ctx) => (uriArg?: unknown, index?: unknown, node?: unknown) => showPodForNode(ctx, uriArg, index, node),
  selectClusterFile: (ctx) => () => selectClusterFile(ctx),
  clusterFileMenu: (ctx) => () => clusterFileMenu(ctx),
  createSampleClusterFile: (ctx) => () => createSampleClusterFile(ctx),
  explainClusterFile: (ctx) => () => explainClusterFile(ctx),
  openClusterFile: (ctx) => async () => {
    const state = await ctx.clusterFile();
    if (state.cluster) await vscode.window.showTextDocument(vscode.Uri.parse(state.cluster.uri), { preview: false });
    else await explainClusterFile(ctx);
  },
  restartServer: (ctx) => () => ctx.restartServer(),
};

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([name, factory]) => vscode.commands.registerCommand(PREFIX + name, factory(ctx)));
}

/** A document from a command argument (a Uri from menus, a string from code lenses), else the active manifest. */
async function resolveDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (typeof arg === 'string' && arg) uri = vscode.Uri.parse(arg, true);
  if (uri) {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ?? (await vscode.workspace.openTextDocument(uri));
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && isManifestDocument(editor.document)) return editor.document;
  return undefined;
}

async function showPodForNode(ctx: Ctx, uriArg: unknown, indexArg: unknown, nodeArg: unknown): Promise<void> {
  const doc = await resolveDocument(uriArg);
  if (!doc) {
    void vscode.window.showInformationMessage('Open a YAML file with a DaemonSet first.');
    return;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const result = await ctx.placement(doc.uri.toString(), editor?.selection.active);
  const ds = typeof indexArg === 'number'
    ? result?.daemonSets.find((d) => d.index === indexArg)
    : result?.daemonSets[result.activeIndex];
  if (!result || !ds) {
    // A template YAML cannot read unrendered holds DaemonSets all the same: say why none is shown.
    void vscode.window.showInformationMessage(result?.problem ?? `${doc.uri.path.split('/').pop()} holds no DaemonSet.`);
    return;
  }
  let node = typeof nodeArg === 'string' ? nodeArg : undefined;
  if (!node) {
    // Not placed, whatever the cluster file: say why rather than ask for one.
    if (ds.template || ds.patch) {
      void vscode.window.showInformationMessage(ds.template ? templateNote(ds.template.helm) : PATCH_NOTE);
      return;
    }
    if (!ds.placement || result.nodes.length === 0) {
      const pick = await vscode.window.showInformationMessage(
        'Show the pod created on a node needs the cluster\'s nodes: save them with kubectl get nodes -o yaml > cluster.yaml, select a cluster file, or create a sample one.',
        'Select Cluster File', 'Create Sample Cluster File',
      );
      if (pick === 'Select Cluster File') await selectClusterFile(ctx);
      else if (pick === 'Create Sample Cluster File') await createSampleClusterFile(ctx);
      return;
    }
    const label = { runs: 'runs', pending: 'created, stays Pending', rejected: 'created, rejected by the kubelet', refused: 'not created: refused by the API server', excluded: 'no pod' } as const;
    const items = ds.placement.nodes.map((v) => ({
      label: v.node,
      description: verdictOf(v) === 'runs' && v.preemption?.outcome === 'preempts' ? `runs, preempts ${v.preemption.victims.join(', ')}` : label[verdictOf(v)],
      detail: v.reasons[0]?.message ?? v.preemption?.reasons[0]?.message,
      node: v.node,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `The pod ${ds.namespace}/${ds.name} creates on…`,
      placeHolder: 'Pick a node',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return;
    node = picked.node;
  }
  const uri = podUri(doc.uri, ds.index, node, ds.name);
  const podDoc = await vscode.workspace.openTextDocument(uri);
  const shown = podDoc.languageId === 'yaml' ? podDoc : await vscode.languages.setTextDocumentLanguage(podDoc, 'yaml');
  await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
}

interface UriPick extends vscode.QuickPickItem {
  action: 'use' | 'browse' | 'open' | 'sample' | 'discover' | 'explain';
  uri?: vscode.Uri;
}

async function selectClusterFile(ctx: Ctx): Promise<void> {
  await ctx.status.refresh();
  const state = ctx.status.current;
  const items: UriPick[] = state.candidates
    .filter((c) => c !== state.cluster?.uri)
    .map((c) => ({ label: `$(file) ${vscode.workspace.asRelativePath(vscode.Uri.parse(c))}`, description: 'found in the workspace', action: 'use', uri: vscode.Uri.parse(c) }));
  items.push({ label: '$(folder-opened) Browse…', description: 'a kubectl get nodes -o yaml dump', action: 'browse' });
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'DaemonSet Lens: Select Cluster File' });
  if (picked) await runPick(ctx, picked);
}

async function clusterFileMenu(ctx: Ctx): Promise<void> {
  await ctx.status.refresh();
  const state = ctx.status.current;
  const items: UriPick[] = [];
  if (state.cluster) {
    const uri = vscode.Uri.parse(state.cluster.uri);
    items.push({ label: `$(go-to-file) Open ${vscode.workspace.asRelativePath(uri)}`, description: `${state.cluster.nodeCount} nodes`, action: 'open', uri });
  }
  for (const c of state.candidates) {
    if (c === state.cluster?.uri) continue;
    items.push({ label: `$(file) Use ${vscode.workspace.asRelativePath(vscode.Uri.parse(c))}`, description: 'found in the workspace', action: 'use', uri: vscode.Uri.parse(c) });
  }
  items.push({ label: '$(folder-opened) Select another cluster file…', action: 'browse' });
  items.push({ label: '$(new-file) Create a sample cluster file', action: 'sample' });
  if (clusterFile()) items.push({ label: '$(search) Discover the cluster file automatically', description: 'clears daemonsetLens.clusterFile', action: 'discover' });
  items.push({ label: '$(info) How to export your nodes', description: 'kubectl get nodes -o yaml > cluster.yaml', action: 'explain' });
  const picked = await vscode.window.showQuickPick(items, { title: 'DaemonSet Lens: Cluster File', placeHolder: state.cluster ? `In use: ${vscode.workspace.asRelativePath(vscode.Uri.parse(state.cluster.uri))}` : 'No cluster file in use' });
  if (picked) await runPick(ctx, picked);
}

async function runPick(ctx: Ctx, picked: UriPick): Promise<void> {
  switch (picked.action) {
    case 'use':
      await setClusterFile(picked.uri);
      break;
    case 'open':
      if (picked.uri) await vscode.window.showTextDocument(picked.uri, { preview: false });
      return;
    case 'browse': {
      const chosen = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Use as Cluster File',
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        filters: { 'Kubernetes nodes (YAML, JSON)': ['yaml', 'yml', 'json'] },
      });
      if (!chosen?.[0]) return;
      await setClusterFile(chosen[0]);
      break;
    }
    case 'sample':
      return createSampleClusterFile(ctx);
    case 'discover':
      await setClusterFile(undefined);
      break;
    case 'explain':
      return explainClusterFile(ctx);
  }
  await ctx.status.refresh();
}

async function createSampleClusterFile(ctx: Ctx): Promise<void> {
  const folder = vscode.window.activeTextEditor ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri) : undefined;
  const root = folder ?? vscode.workspace.workspaceFolders?.[0];
  if (!root) {
    // No folder to write to: an untitled document the user can save where they like.
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: SAMPLE_CLUSTER });
    await vscode.window.showTextDocument(doc, { preview: false });
    void vscode.window.showInformationMessage('Save this sample cluster file in your workspace as cluster.yaml, or point daemonsetLens.clusterFile at it.');
    return;
  }
  let target = vscode.Uri.joinPath(root.uri, SAMPLE_CLUSTER_FILE_NAME);
  if (await exists(target)) {
    const choice = await vscode.window.showWarningMessage(`${SAMPLE_CLUSTER_FILE_NAME} already exists.`, { modal: true }, 'Write cluster.sample.yaml', 'Open Existing');
    if (choice === 'Open Existing') {
      await vscode.window.showTextDocument(target, { preview: false });
      return;
    }
    if (choice !== 'Write cluster.sample.yaml') return;
    target = vscode.Uri.joinPath(root.uri, 'cluster.sample.yaml');
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(SAMPLE_CLUSTER));
  // Discovery prefers cluster.yaml; a sample under another name, or a setting naming another file, needs the setting.
  if (clusterFile(root.uri) || target.path.endsWith('/cluster.sample.yaml')) await setClusterFile(target, root.uri);
  await vscode.window.showTextDocument(target, { preview: false, viewColumn: vscode.ViewColumn.Active, preserveFocus: true });
  await ctx.status.refresh();
}

async function explainClusterFile(ctx: Ctx): Promise<void> {
  const command = 'kubectl get nodes -o yaml > cluster.yaml';
  const choice = await vscode.window.showInformationMessage(
    `DaemonSet Lens places DaemonSets over your cluster's nodes. Save them in the workspace with: ${command} (use "kubectl get nodes,pods -A -o yaml" to include pods and see the next sync).`,
    'Copy Command', 'Create Sample Cluster File', 'Select Cluster File',
  );
  if (choice === 'Copy Command') await vscode.env.clipboard.writeText(command);
  else if (choice === 'Create Sample Cluster File') await createSampleClusterFile(ctx);
  else if (choice === 'Select Cluster File') await selectClusterFile(ctx);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
