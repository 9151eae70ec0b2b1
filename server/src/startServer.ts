/**
 * The language server, independent of how it is connected (json-language-features' startServer):
 * server.ts builds a Node connection; tests and other hosts may build another.
 */
import {
  Emitter, TextDocumentSyncKind, TextDocuments,
  type Connection, type DidChangeWatchedFilesParams, type InitializeResult, type ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validate } from './engine/validate';
import { HANDLERS } from './handlers';
import { KustomizeIndex } from './handlers/kustomize';
import {
  createRefreshEmitter, DEFAULT_SETTINGS, formatError, readClientSupport,
  type ServerContext,
} from './handlers/context';
import { ModelCache } from './modelCache';
import type { RuntimeEnvironment } from './runtime';
import { uriToPath } from './uri';

export type { ServerContext } from './handlers/context';

const SUPPORTED_LANGUAGES = new Set(['yaml', 'json', 'jsonc', 'kubernetes', 'helm', 'yml']);
const SUPPORTED_EXTENSION = /\.(ya?ml|json)$/i;

export function startServer(connection: Connection, runtime: RuntimeEnvironment): ServerContext {
  const documents = new TextDocuments(TextDocument);
  const models = new ModelCache();
  const refreshEmitter = createRefreshEmitter();
  const validatedEmitter = new Emitter<TextDocument>();
  const documentsChangedEmitter = new Emitter<string[]>();
  const watchedFilesEmitter = new Emitter<DidChangeWatchedFilesParams>();
  const kustomize = new KustomizeIndex(runtime, documents, (uris) => documentsChangedEmitter.fire(uris));
  /** A file listed as a patch by its folder's kustomization is a partial manifest, whatever it looks like. */
  const parseOptions = (doc: TextDocument) => (kustomize.isPatch(doc.uri) ? { partial: true } : {});
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const ctx: ServerContext = {
    connection,
    runtime,
    documents,
    models,
    kustomize,
    client: readClientSupport({}),
    workspaceFolders: [],
    settings: DEFAULT_SETTINGS,
    cluster: undefined,
    clusterCandidates: [],
    ready,
    onRefresh: refreshEmitter.event,
    refresh(reason) {
      refreshEmitter.fire(reason);
    },
    onDocumentsChanged: documentsChangedEmitter.event,
    onWatchedFilesChanged: watchedFilesEmitter.event,
    onValidated: validatedEmitter.event,
    validated(doc) {
      validatedEmitter.fire(doc);
    },
    isSupported(doc) {
      return SUPPORTED_LANGUAGES.has(doc.languageId) || SUPPORTED_EXTENSION.test(doc.uri.replace(/[?#].*$/, ''));
    },
    model(doc) {
      return models.get(doc, parseOptions(doc));
    },
    validateOptions() {
      const s = ctx.settings;
      return {
        severities: s.rules,
        featureGates: s.featureGates,
        kubernetesVersion: s.kubernetesVersion,
        cluster: ctx.cluster?.model,
        clusterStamp: ctx.cluster?.model ? ctx.cluster.stamp : '',
        cache: models.findingsCache,
        // Fixes are computed when a quick fix is asked for (handlers/codeActions.ts).
        fixes: false,
      };
    },
    findings(doc) {
      return models.findings(doc, findingsStamp(), (model) => validate(model, ctx.validateOptions()), parseOptions(doc));
    },
    isClusterFile(uri) {
      return ctx.cluster?.uri === uri;
    },
  };

  /** What findings depend on besides the text, as a string; computed again only when the settings or the cluster change. */
  let stamped: { settings: unknown; cluster: string; stamp: string } | undefined;
  const findingsStamp = (): string => {
    const s = ctx.settings;
    const cluster = ctx.cluster?.model ? ctx.cluster.stamp : '';
    if (stamped?.settings !== s || stamped.cluster !== cluster) {
      stamped = { settings: s, cluster, stamp: JSON.stringify([s.kubernetesVersion, s.featureGates, s.rules, cluster]) };
    }
    return stamped.stamp;
  };

  for (const h of HANDLERS) h.register(ctx);
  connection.onDidChangeWatchedFiles((params) => watchedFilesEmitter.fire(params));

  connection.onInitialize((params): InitializeResult => {
    ctx.client = readClientSupport(params.capabilities);
    ctx.initializationOptions = params.initializationOptions;
    const folders = params.workspaceFolders?.length
      ? params.workspaceFolders.map((f) => f.uri)
      : params.rootUri ? [params.rootUri] : params.rootPath ? [`file://${params.rootPath}`] : [];
    ctx.workspaceFolders = folders.map((uri) => ({ uri, path: uriToPath(uri) }));
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    for (const h of HANDLERS) Object.assign(capabilities, h.capabilities?.(ctx, params.capabilities) ?? {});
    return { capabilities, serverInfo: { name: 'daemonset-lens' } };
  });

  connection.onInitialized(async () => {
    for (const h of HANDLERS) {
      try {
        await h.initialized?.(ctx);
      } catch (e) {
        runtime.log.error(formatError('Error while initializing', e));
      }
    }
    markReady();
  });

  connection.onShutdown(() => undefined);
  documents.listen(connection);
  connection.listen();
  return ctx;
}
