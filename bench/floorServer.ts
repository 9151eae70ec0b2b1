/**
 * The floor of the LSP benchmark: a server that speaks the same protocol with the same library and
 * the same stdio transport as DaemonSet Lens (each message in one write), and does nothing. It
 * keeps the documents in sync (as every server must), publishes empty diagnostics on open and
 * change, and answers hover and code actions with nothing. Whatever it costs is the cost of the
 * client, the pipe, JSON-RPC and Node, which no server can go below.
 *
 * The benchmark may tell it what to answer instead (`$/benchmark/answers`): it then answers hover
 * and code actions with those, still computing nothing, which measures what reading and sending
 * an answer of that size costs by itself.
 */
import { TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createStdioConnection } from '../server/src/stdio';

const connection = createStdioConnection();
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    hoverProvider: true,
    codeActionProvider: true,
    completionProvider: {},
  },
}));
documents.onDidChangeContent((e) => {
  void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: [] });
});
let answers: { hover: unknown; codeAction: unknown } = { hover: null, codeAction: [] };
connection.onRequest('$/benchmark/answers', (a: typeof answers) => {
  answers = a;
  return null;
});
connection.onHover(() => answers.hover as null);
connection.onCodeAction(() => answers.codeAction as []);
connection.onCompletion(() => []);
documents.listen(connection);
connection.listen();
