/** Activation: start the language server, register commands, the preview, the pod documents and the status bar. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AddTolerationRequest, ClusterChangedNotification, ClusterFileRequest, PlacementChangedNotification, PlacementRequest, PodForNodeRequest } from '../../server/src/protocol';
import { registerCommands, type Ctx } from './commands';
import { affectsUs } from './config';
import { createLanguageClient } from './languageClient';
import { POD_SCHEME, PodDocumentProvider } from './preview/podDocument';
import { PlacementPreview, type PreviewHost } from './preview/previewPanel';
import { trackDaemonSetContext } from './contextKeys';
import { ClusterStatus } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient }> {
  const output = vscode.window.createOutputChannel('DaemonSet Lens');
  context.subscriptions.push(output);
  const lc = createLanguageClient(context, output);
  client = lc;

  const pods = new PodDocumentProvider((params) => lc.sendRequest(PodForNodeRequest, params));
  const status = new ClusterStatus(() => lc.sendRequest(ClusterFileRequest, { uri: vscode.window.activeTextEditor?.document.uri.toString() }));
  const preview: PreviewHost = {
    extensionUri: context.extensionUri,
    request: (params) => lc.sendRequest(PlacementRequest, params),
    addToleration: (params) => lc.sendRequest(AddTolerationRequest, params),
    showPod: (uri, index, node) => vscode.commands.executeCommand('daemonsetLens.showPodForNode', uri, index, node) as Promise<void>,
    log: (message) => output.appendLine(message),
  };
  const ctx: Ctx = {
    extension: context,
    preview,
    status,
    pods,
    placement: (uri, position) => lc.sendRequest(PlacementRequest, { uri, position: position && { line: position.line, character: position.character } }),
    podForNode: (params) => lc.sendRequest(PodForNodeRequest, params),
    clusterFile: () => lc.sendRequest(ClusterFileRequest, {}),
    restartServer: () => lc.restart(),
  };

  context.subscriptions.push(
    pods,
    status,
    vscode.workspace.registerTextDocumentContentProvider(POD_SCHEME, pods),
    ...registerCommands(ctx),
    vscode.window.registerWebviewPanelSerializer(PlacementPreview.viewType, {
      async deserializeWebviewPanel(panel, state) {
        await PlacementPreview.revive(panel, preview, state);
      },
    }),
    trackDaemonSetContext(),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsUs(e)) {
        PlacementPreview.active?.refresh();
        void status.refresh();
      }
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== POD_SCHEME && e.contentChanges.length > 0) pods.refreshFor(e.document.uri);
    }),
    { dispose: () => void lc.stop().catch(() => undefined) },
  );

  try {
    await lc.start();
  } catch (e) {
    // Commands stay registered; the output channel says why the server is not there.
    output.appendLine(`The DaemonSet Lens language server did not start: ${String(e)}`);
    void vscode.window.showErrorMessage('DaemonSet Lens: the language server did not start. See the "DaemonSet Lens" output.');
    return { client: lc };
  }
  context.subscriptions.push(
    lc.onNotification(ClusterChangedNotification, () => {
      PlacementPreview.active?.refresh();
      pods.refreshAll();
      void status.refresh();
    }),
    lc.onNotification(PlacementChangedNotification, ({ uris }) => {
      PlacementPreview.active?.refreshFor(uris);
      for (const uri of uris) pods.refreshFor(vscode.Uri.parse(uri));
    }),
  );
  void status.refresh();
  return { client: lc };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => undefined);
}
