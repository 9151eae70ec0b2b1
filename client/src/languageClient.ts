/** The language client: starts `server/out/server.js` and says which documents and settings it serves. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SECTION } from './config';

export const CLIENT_ID = 'daemonsetLens';
export const CLIENT_NAME = 'DaemonSet Lens';

/** Languages whose documents the server validates (Kubernetes manifests are YAML or JSON). */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'untitled', language: 'json' },
];

export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.OutputChannel): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'server', 'out', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: {
      // Pushes `workspace/didChangeConfiguration` with the section; the server also pulls it.
      configurationSection: SECTION,
      // Cluster files are found and reloaded from these events.
      fileEvents: watcher,
    },
    outputChannel,
    // `daemonsetLens.trace.server` is read by the client library under this id.
    diagnosticCollectionName: 'daemonset-lens',
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
