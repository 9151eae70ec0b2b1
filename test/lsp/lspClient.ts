/**
 * A real LSP client for the tests: spawns the built server (`node server/out/server.js --stdio`) and
 * speaks JSON-RPC to it over the child's stdio. Waiting is always for a message, never for a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection, type ResponseMessage,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities, CodeAction, CompletionList, Diagnostic, Hover, InitializeResult, Position,
  PublishDiagnosticsParams, Range, TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { encode } from '../../server/src/stdio';

export const ROOT = resolve(__dirname, '../..');
export const SERVER = join(ROOT, 'server/out/server.js');
/** A message that has not come after this long is not coming (a failure, not a pause). */
const WAIT_LIMIT_MS = 20_000;

/** Capabilities of a VS Code-like client; tests switch parts off. */
export function fullCapabilities(opts: { pull?: boolean; configuration?: boolean } = {}): ClientCapabilities {
  return {
    workspace: {
      configuration: opts.configuration ?? true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      workspaceFolders: true,
      ...(opts.pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] } },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
      // As VS Code: actions may come without their edits, resolved when one is applied.
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit'] } },
      ...(opts.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
  };
}

interface Waiter<T> {
  match: (v: T) => boolean;
  resolve: (v: T) => void;
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly child: ChildProcess;
  readonly folder: string;
  /** The settings the client answers `workspace/configuration` with. */
  settings: Record<string, unknown> = {};
  readonly docs = new Map<string, TextDocument>();
  /** The last diagnostics published per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  /** `window/showMessage` notifications, in order. */
  readonly messages: Array<{ type: number; message: string }> = [];
  refreshRequests = 0;
  private readonly diagWaiters: Array<Waiter<PublishDiagnosticsParams>> = [];
  private readonly refreshWaiters: Array<() => void> = [];
  private stderr = '';

  constructor(files: Record<string, string> = {}) {
    this.folder = mkdtempSync(join(tmpdir(), 'dsl-lsp-'));
    for (const [name, text] of Object.entries(files)) this.writeFile(name, text);
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      for (const w of [...this.diagWaiters]) {
        if (w.match(p)) {
          this.diagWaiters.splice(this.diagWaiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => this.messages.push(p));
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((it) => (it.section === 'daemonsetLens' ? this.settings : null)));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      this.refreshWaiters.splice(0).forEach((r) => r());
      return null;
    });
    this.conn.onNotification(() => undefined);
    this.conn.listen();
  }

  uri(name: string): string {
    return pathToFileURL(join(this.folder, name)).href;
  }

  writeFile(name: string, text: string): void {
    const p = join(this.folder, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }

  async initialize(capabilities: ClientCapabilities = fullCapabilities(), initializationOptions?: unknown): Promise<InitializeResult> {
    const result = await this.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.folder).href,
      workspaceFolders: [{ uri: pathToFileURL(this.folder).href, name: 'ws' }],
      capabilities,
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the next diagnostics for `uri` that satisfy `match` (or the last ones if they already do and `fresh` is false). */
  waitDiagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true, fresh = true): Promise<PublishDiagnosticsParams> {
    const last = this.diagnostics.get(uri);
    if (!fresh && last && match(last)) return Promise.resolve(last);
    return this.guard(new Promise((resolve) => this.diagWaiters.push({ match: (p) => p.uri === uri && match(p), resolve })), `diagnostics for ${uri}`);
  }

  /** Fails (instead of hanging) when an awaited message never comes. */
  private guard<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_LIMIT_MS} ms; server stderr:\n${this.stderr}\nlogs:\n${this.logs.join('\n')}`)), WAIT_LIMIT_MS);
    });
    return Promise.race([p, limit]).finally(() => clearTimeout(timer));
  }

  waitRefresh(): Promise<void> {
    return this.guard(new Promise((resolve) => this.refreshWaiters.push(resolve)), 'workspace/diagnostic/refresh');
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(name: string, text: string, languageId = 'yaml'): Promise<PublishDiagnosticsParams> {
    const uri = this.uri(name);
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    const wait = this.waitDiagnostics(uri, (p) => p.version === 1 || p.version === undefined);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return wait;
  }

  /** Opens without waiting (for documents that get no diagnostics, or pull clients). */
  async openOnly(name: string, text: string, languageId = 'yaml'): Promise<string> {
    const uri = this.uri(name);
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Applies edits to the open document, sends them incrementally and resolves with the new diagnostics. */
  async edit(uri: string, edits: TextEdit[], wait = true): Promise<PublishDiagnosticsParams | undefined> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    const text = TextDocument.applyEdits(doc, edits);
    this.docs.set(uri, TextDocument.create(uri, doc.languageId, version, text));
    const w = wait ? this.waitDiagnostics(uri, (p) => p.version === version) : undefined;
    // One edit goes as an incremental change; several as the whole text (their order is then moot).
    const contentChanges = edits.length === 1 ? [{ range: edits[0].range, text: edits[0].newText }] : [{ text }];
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return w;
  }

  async replaceAll(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.create(uri, doc.languageId, version, text));
    const w = this.waitDiagnostics(uri, (p) => p.version === version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return w;
  }

  /** Closes a document; resolves with the clearing diagnostics if the server had published any. */
  async close(uri: string): Promise<PublishDiagnosticsParams | undefined> {
    const w = this.diagnostics.has(uri) ? this.waitDiagnostics(uri, (p) => p.diagnostics.length === 0) : undefined;
    this.docs.delete(uri);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return w;
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** The code actions with their edits: those that came without are resolved (`codeAction/resolve`). */
  async resolvedCodeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const actions = await this.codeActions(uri, diagnostics);
    return Promise.all(actions.map(async (a) => (a.edit ? a : this.conn.sendRequest<CodeAction>('codeAction/resolve', a))));
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  completion(uri: string, position: Position): Promise<CompletionList | null> {
    return this.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position });
  }

  pull(uri: string): Promise<{ kind: string; items: Diagnostic[] }> {
    return this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }

  /**
   * Sends raw JSON-RPC messages in one write, so that the server reads them together, and resolves
   * with the responses to those that are requests (by id).
   */
  sendTogether(messages: Array<{ id?: string; method: string; params?: unknown }>): Promise<Map<string, ResponseMessage>> {
    const ids = new Set(messages.flatMap((m) => (m.id === undefined ? [] : [m.id])));
    const responses = new Map<string, ResponseMessage>();
    const reader = new StreamMessageReader(this.child.stdout!);
    const all = new Promise<Map<string, ResponseMessage>>((resolve) => reader.listen((m) => {
      const r = m as ResponseMessage;
      if (typeof r.id === 'string' && ids.has(r.id) && !('method' in m)) responses.set(r.id, r);
      if (responses.size === ids.size) resolve(responses);
    }));
    this.child.stdin!.write(Buffer.concat(messages.map((m) => encode({ jsonrpc: '2.0', ...m }))));
    return this.guard(all, `responses to ${[...ids].join(', ')}`).finally(() => reader.dispose());
  }

  /** Range of the first `needle` in the open document. */
  rangeOf(uri: string, needle: string): Range {
    const start = this.positionOf(uri, needle);
    return { start, end: this.positionOf(uri, needle, needle.length) };
  }

  /** Position of the first `needle` in the open document, plus `delta` characters. */
  positionOf(uri: string, needle: string, delta = 0): Position {
    const doc = this.docs.get(uri)!;
    const at = doc.getText().indexOf(needle);
    if (at < 0) throw new Error(`"${needle}" not found`);
    return doc.positionAt(at + delta);
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([
        this.conn.sendRequest('shutdown').then(() => this.conn.sendNotification('exit')),
        new Promise((r) => this.child.once('exit', r)),
      ]);
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
    rmSync(this.folder, { recursive: true, force: true });
  }

  serverStderr(): string {
    return this.stderr;
  }
}

/** Applies a code action's edit for `uri` to `text`. */
export function applyAction(text: string, uri: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}
