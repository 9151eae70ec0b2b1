/**
 * Diagnostics, pushed (`textDocument/publishDiagnostics`) or pulled (`textDocument/diagnostic`) as
 * the client supports. Only YAML/JSON documents that hold Kubernetes objects get diagnostics, plus the
 * cluster file (its own problems). Small files are validated on the next tick; a file whose last
 * validation was expensive is debounced, so typing does not queue work.
 */
import { DocumentDiagnosticReportKind, type Diagnostic, type DiagnosticServerCancellationData, type DocumentDiagnosticReport, type HandlerResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from '../convert';
import type { DocumentModel } from '../engine/model';
import type { Finding } from '../engine/types';
import type { Disposable } from '../runtime';
import { runSafe, runSafeVoid, type Handler, type ServerContext } from './context';

/**
 * A validation that took longer than this (ms) makes the next ones of that file debounced, so that
 * fast typing in a huge file validates the text once it settles rather than every keystroke. Work
 * is coalesced per file anyway (one pending validation at most), so the delay stays short.
 */
const EXPENSIVE_MS = 100;
const DEBOUNCE_MS = 75;
/** Closing a file at least this long (characters) collects garbage at once (a 1,000-DaemonSet file is 1.3 M). */
const LARGE_FILE = 512 * 1024;

/** A document holds Kubernetes objects, or looks like it tried to (a syntax error hides them). */
export function holdsKubernetesObjects(model: DocumentModel): boolean {
  if (model.objects.some((o) => o.apiVersion !== undefined || o.kind !== undefined)) return true;
  if (model.findings.length === 0) return false;
  return /^[ \t]*"?(?:apiVersion|kind)"?[ \t]*:/m.test(model.text.slice(0, 1 << 20));
}

/**
 * The diagnostics of an open document: manifest findings, and the cluster file's own problems.
 * `undefined` for documents the server does not speak about (not YAML/JSON, no Kubernetes objects).
 */
export function computeDiagnostics(ctx: ServerContext, doc: TextDocument): Diagnostic[] | undefined {
  return publishedFindings(ctx, doc)?.map((f) => toDiagnostic(doc, f));
}

/** The findings behind an open document's diagnostics (code actions take their fixes from here). */
export function publishedFindings(ctx: ServerContext, doc: TextDocument): Finding[] | undefined {
  if (!ctx.isSupported(doc)) return undefined;
  const isCluster = ctx.isClusterFile(doc.uri);
  const model = ctx.model(doc);
  if (!isCluster && !holdsKubernetesObjects(model)) return undefined;
  const findings = ctx.findings(doc);
  return isCluster && ctx.cluster?.model ? mergeFindings(findings, ctx.cluster.model.findings) : findings;
}

function mergeFindings(a: Finding[], b: Finding[]): Finding[] {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((f) => !seen.has(key(f)))];
}

function key(f: Finding): string {
  return `${f.code}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`;
}

export const diagnosticsHandler: Handler = {
  capabilities(ctx) {
    if (!ctx.client.pullDiagnostics) return {};
    return { diagnosticProvider: { identifier: 'daemonset-lens', interFileDependencies: true, workspaceDiagnostics: false } };
  },

  register(ctx) {
    const { connection, documents, runtime } = ctx;
    const pending = new Map<string, Disposable>();
    const cost = new Map<string, number>();
    /** URIs we pushed non-empty diagnostics for, to clear them when they no longer apply. */
    const published = new Set<string>();

    /** `undefined` diagnostics: the document is none of ours; clear what we said before, if anything. */
    const push = (uri: string, diagnostics: Diagnostic[] | undefined, version?: number): void => {
      if (diagnostics === undefined) {
        if (!published.has(uri)) return;
        diagnostics = [];
        published.delete(uri);
      } else {
        published.add(uri);
      }
      void connection.sendDiagnostics({ uri, version, diagnostics });
    };

    const validateNow = (uri: string): void => {
      pending.delete(uri);
      const doc = documents.get(uri);
      if (!doc) return;
      runSafeVoid(runtime, () => {
        const t0 = runtime.now();
        const diagnostics = computeDiagnostics(ctx, doc);
        cost.set(uri, runtime.now() - t0);
        push(uri, diagnostics, doc.version);
        if (diagnostics) ctx.validated(doc);
      }, `Error while validating ${uri}`);
    };

    const schedule = (uri: string): void => {
      if (ctx.client.pullDiagnostics) return;
      pending.get(uri)?.dispose();
      // A listed patch is validated as one from the start: its folder's kustomization is read first.
      const run = () => void Promise.all([ctx.ready, ctx.kustomize.known(uri)]).then(() => validateNow(uri));
      const expensive = (cost.get(uri) ?? 0) > EXPENSIVE_MS;
      pending.set(uri, expensive ? runtime.timer.setTimeout(run, DEBOUNCE_MS) : runtime.timer.setImmediate(run));
    };

    /** The cluster file's problems, when it is not open (open documents are validated above). */
    let clusterPushed: string | undefined;
    const pushClusterFile = (): void => {
      if (ctx.client.pullDiagnostics) return;
      const c = ctx.cluster;
      if (clusterPushed && clusterPushed !== c?.uri && !documents.get(clusterPushed)) push(clusterPushed, undefined);
      clusterPushed = c?.uri;
      if (!c || documents.get(c.uri) || !c.model) return;
      const model = c.model.model;
      const mapper = TextDocument.create(c.uri, 'yaml', 0, model.text);
      push(c.uri, mergeFindings(model.findings, c.model.findings).map((f) => toDiagnostic(mapper, f)));
    };

    documents.onDidChangeContent((e) => schedule(e.document.uri));
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      pending.get(uri)?.dispose();
      pending.delete(uri);
      cost.delete(uri);
      ctx.models.delete(uri);
      // Its model and findings were some 20 times the text: give them back now rather than at the
      // next large allocation (the next large file is then read into a compact heap).
      const size = e.document.getText().length;
      if (size >= LARGE_FILE && runtime.collectGarbage) {
        const t0 = runtime.now();
        runtime.collectGarbage();
        runtime.log.info(`Closed ${uri} (${(size / 1024 / 1024).toFixed(1)} MiB of text): memory collected in ${Math.round(runtime.now() - t0)} ms.`);
      }
      if (!ctx.client.pullDiagnostics) push(uri, undefined);
      if (ctx.isClusterFile(uri)) pushClusterFile();
    });

    ctx.onRefresh(() => {
      if (ctx.client.pullDiagnostics) {
        if (ctx.client.diagnosticRefresh) void connection.languages.diagnostics.refresh();
        return;
      }
      for (const doc of documents.all()) schedule(doc.uri);
      pushClusterFile();
    });

    // Became or stopped being a listed patch: the same text says something else now.
    ctx.onDocumentsChanged((uris) => {
      if (ctx.client.pullDiagnostics) {
        if (ctx.client.diagnosticRefresh) void connection.languages.diagnostics.refresh();
        return;
      }
      for (const uri of uris) if (documents.get(uri)) schedule(uri);
    });

    connection.languages.diagnostics.on((params, token) =>
      // A cancelled pull is answered with RequestCancelled; the client pulls again.
      runSafe<DocumentDiagnosticReport>(runtime, async () => {
        await Promise.all([ctx.ready, ctx.kustomize.known(params.textDocument.uri)]);
        const doc = documents.get(params.textDocument.uri);
        const diagnostics = doc && computeDiagnostics(ctx, doc);
        if (doc && diagnostics) ctx.validated(doc);
        return { kind: DocumentDiagnosticReportKind.Full, items: diagnostics || [] };
      }, { kind: DocumentDiagnosticReportKind.Full, items: [] }, `Error while computing diagnostics for ${params.textDocument.uri}`, token) as HandlerResult<DocumentDiagnosticReport, DiagnosticServerCancellationData>);
  },
};

