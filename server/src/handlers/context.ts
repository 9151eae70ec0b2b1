/**
 * The state every handler shares, built once by startServer. Handlers read documents through the
 * model cache (one parse per version), the settings and the cluster file from here, and listen to
 * `onRefresh` to recompute what depends on them.
 */
import {
  CancellationToken, Emitter, LSPErrorCodes, ResponseError, TextDocuments,
  type ClientCapabilities, type Connection, type DidChangeWatchedFilesParams, type Event, type ServerCapabilities,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isPlainObject as isObject, type DocumentModel } from '../engine/model';
import type { ClusterModel } from '../engine/placement/types';
import type { Finding } from '../engine/types';
import { DEFAULT_KUBERNETES_VERSION, type SeveritySetting, type ValidateOptions } from '../engine/validate';
import { ENGINE_CODES } from '../engine/engineCodes';
import { RULES } from '../engine/rules';
import { closestValue } from '../engine/text';
import type { ModelCache } from '../modelCache';
import type { KustomizeIndex } from './kustomize';
import type { RuntimeEnvironment } from '../runtime';

/** `daemonsetLens.*` settings, normalised. */
export interface Settings {
  /** Path of the cluster file, relative to the workspace folder (or absolute); undefined: discover. */
  clusterFile?: string;
  /** Path of a pods file (`kubectl get pods -A -o yaml`) whose pods are added to the cluster file's. */
  podsFile?: string;
  kubernetesVersion: string;
  featureGates: Record<string, boolean>;
  rules: Record<string, SeveritySetting>;
}

export const DEFAULT_SETTINGS: Settings = { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, featureGates: {}, rules: {} };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads settings leniently: unknown or mistyped values fall back to the defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const s = isObject(raw) ? raw : {};
  const out: Settings = { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, featureGates: {}, rules: {} };
  if (typeof s.clusterFile === 'string' && s.clusterFile.trim()) out.clusterFile = s.clusterFile.trim();
  if (typeof s.podsFile === 'string' && s.podsFile.trim()) out.podsFile = s.podsFile.trim();
  if (typeof s.kubernetesVersion === 'string' && /^v?1\.\d+/.test(s.kubernetesVersion.trim())) out.kubernetesVersion = s.kubernetesVersion.trim().replace(/^v/, '');
  if (isObject(s.featureGates)) {
    for (const [k, v] of Object.entries(s.featureGates)) if (typeof v === 'boolean') out.featureGates[k] = v;
  }
  if (isObject(s.rules)) {
    for (const [k, v] of Object.entries(s.rules)) {
      const sev = typeof v === 'string' ? v.toLowerCase() : undefined;
      if (sev && SEVERITIES.has(sev)) out.rules[k] = sev as SeveritySetting;
      else if (sev === 'info') out.rules[k] = 'information';
    }
  }
  return out;
}

/**
 * What `normalizeSettings` leaves out of the raw settings, said so that a typo does not pass for a
 * setting that works: a rule id no finding has (the CLI's `--rules` refuses it too), a severity it
 * does not know, a kubernetesVersion it cannot read. Empty when every entry counts.
 */
export function settingsNotes(raw: unknown): string[] {
  const s = isObject(raw) ? raw : {};
  const notes: string[] = [];
  if (s.kubernetesVersion !== undefined && s.kubernetesVersion !== null && s.kubernetesVersion !== '' && normalizeSettings({ kubernetesVersion: s.kubernetesVersion }).kubernetesVersion !== String(s.kubernetesVersion).trim().replace(/^v/, '')) {
    notes.push(`kubernetesVersion: ${JSON.stringify(s.kubernetesVersion)} is not a version such as ${DEFAULT_KUBERNETES_VERSION}: manifests are validated against ${DEFAULT_KUBERNETES_VERSION}.`);
  }
  if (isObject(s.rules)) {
    const ids = [...RULES.map((r) => r.id), ...ENGINE_CODES.map((c) => c.id)];
    const known = new Set(ids);
    const bad: string[] = [];
    for (const [k, v] of Object.entries(s.rules)) {
      if (!known.has(k)) {
        const near = closestValue(k, ids, () => 3);
        bad.push(`'${k}'${near ? ` (did you mean ${near}?)` : ''} is not a rule id: it changes nothing`);
      } else if (normalizeSettings({ rules: { [k]: v } }).rules[k] === undefined) {
        bad.push(`'${k}': ${JSON.stringify(v)} is not one of error, warning, information, hint, off: the rule keeps its default severity`);
      }
    }
    if (bad.length) notes.push(`rules: ${bad.join('; ')}.`);
  }
  return notes;
}

export { isObject };

/** The cluster file in use. */
export interface ClusterState {
  uri: string;
  /** Filesystem path, when it is a file: URI. */
  path?: string;
  /** Chosen by the `daemonsetLens.clusterFile` setting, or found in the workspace. */
  source: 'setting' | 'discovered';
  /** Its parsed content; undefined when the setting names a file that cannot be read. */
  model?: ClusterModel;
  /** Changes whenever the content changes: part of every validation cache key. */
  stamp: string;
  /** Why it could not be used. */
  error?: string;
  /** The pods file whose pods were added (`daemonsetLens.podsFile`), when one is in use. */
  podsUri?: string;
}

export type RefreshReason = 'settings' | 'cluster';

/** What the client said it supports, read once from `initialize`. */
export interface ClientSupport {
  configuration: boolean;
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  watchedFilesDynamic: boolean;
  configurationDynamic: boolean;
  hoverMarkdown: boolean;
  completionSnippets: boolean;
  completionMarkdown: boolean;
  codeActionLiterals: boolean;
  /** Code actions may come without their edits, resolved with `codeAction/resolve` when applied. */
  codeActionResolveEdit: boolean;
  workDoneProgress: boolean;
}

export function readClientSupport(c: ClientCapabilities): ClientSupport {
  return {
    configuration: !!c.workspace?.configuration,
    pullDiagnostics: !!c.textDocument?.diagnostic,
    diagnosticRefresh: !!c.workspace?.diagnostics?.refreshSupport,
    watchedFilesDynamic: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    configurationDynamic: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    hoverMarkdown: (c.textDocument?.hover?.contentFormat ?? ['markdown']).includes('markdown'),
    completionSnippets: !!c.textDocument?.completion?.completionItem?.snippetSupport,
    completionMarkdown: (c.textDocument?.completion?.completionItem?.documentationFormat ?? ['markdown']).includes('markdown'),
    codeActionLiterals: !!c.textDocument?.codeAction?.codeActionLiteralSupport,
    codeActionResolveEdit: !!c.textDocument?.codeAction?.dataSupport && !!c.textDocument.codeAction.resolveSupport?.properties?.includes('edit'),
    workDoneProgress: !!c.window?.workDoneProgress,
  };
}

export interface ServerContext {
  readonly connection: Connection;
  readonly runtime: RuntimeEnvironment;
  readonly documents: TextDocuments<TextDocument>;
  readonly models: ModelCache;
  /** Which files the kustomizations of their folders list as patches (parsed as partial manifests). */
  readonly kustomize: KustomizeIndex;
  /** Filled in by `initialize`. */
  client: ClientSupport;
  initializationOptions?: unknown;
  /** Workspace folders as file system paths (first one is where a relative clusterFile resolves). */
  workspaceFolders: Array<{ uri: string; path?: string }>;
  settings: Settings;
  cluster?: ClusterState;
  /** Files in the workspace that look like cluster files (discovery), nearest first. */
  clusterCandidates: string[];
  /** Resolves once the initial settings are read and the cluster file is loaded. */
  ready: Promise<void>;
  /** Fires after settings or the cluster file changed; diagnostics, code lenses and the preview recompute. */
  readonly onRefresh: Event<RefreshReason>;
  refresh(reason: RefreshReason): void;
  /** Fires with open documents whose model changed without an edit (they became or stopped being listed patches). */
  readonly onDocumentsChanged: Event<string[]>;
  /** `workspace/didChangeWatchedFiles`, to every handler that listens (the connection takes one handler). */
  readonly onWatchedFilesChanged: Event<DidChangeWatchedFilesParams>;
  /** Fires after an open document's diagnostics were computed (pushed or pulled): its model is parsed. */
  readonly onValidated: Event<TextDocument>;
  validated(doc: TextDocument): void;
  /** Whether the server handles this document at all (YAML or JSON). */
  isSupported(doc: TextDocument): boolean;
  /** The model of an open document's current version. */
  model(doc: TextDocument): DocumentModel;
  /** Options for `validate` with the current settings and cluster. */
  validateOptions(): ValidateOptions;
  /** The current findings of an open document (cached per version and settings). */
  findings(doc: TextDocument): Finding[];
  /** Is this URI the cluster file in use? */
  isClusterFile(uri: string): boolean;
}

/** One handler module: the capabilities it declares and the listeners it installs. */
export interface Handler {
  capabilities?(ctx: ServerContext, client: ClientCapabilities): ServerCapabilities;
  register(ctx: ServerContext): void;
  /** Called after `initialized` (dynamic registrations, first fetches). */
  initialized?(ctx: ServerContext): Promise<void> | void;
}

export function createRefreshEmitter(): Emitter<RefreshReason> {
  return new Emitter<RefreshReason>();
}

/**
 * Runs a request handler body safely: a throw (or a rejected promise) is logged and answered with
 * `fallback`; a cancelled request is answered with RequestCancelled.
 *
 * The body runs at once, not on a later tick: vscode-jsonrpc dispatches one message per tick and
 * cancels a request's token before dispatching it when its `$/cancelRequest` is already queued
 * (`knownCanceledRequests` in `handleRequest`), so the check on entry sees every cancellation that
 * has arrived; a synchronous body leaves nothing else to see, and an asynchronous one is checked
 * again when it settles. Waiting a tick would only add a turn of the event loop to every answer.
 */
export function runSafe<T>(
  runtime: RuntimeEnvironment,
  fn: () => T | Promise<T>,
  fallback: T,
  errorMessage: string,
  token: CancellationToken | undefined,
): T | ResponseError<void> | Promise<T | ResponseError<void>> {
  if (token?.isCancellationRequested) return cancelled();
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (e) {
    runtime.log.error(formatError(errorMessage, e));
    return fallback;
  }
  if (!isPromiseLike(result)) return result;
  return Promise.resolve(result).then(
    (r) => (token?.isCancellationRequested ? cancelled() : r),
    (e) => {
      runtime.log.error(formatError(errorMessage, e));
      return fallback;
    },
  );
}

function isPromiseLike<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/** Runs a notification handler safely: a throw is logged, never propagated. */
export function runSafeVoid(runtime: RuntimeEnvironment, fn: () => unknown, errorMessage: string): void {
  try {
    const r = fn();
    if (isPromiseLike(r)) r.then(undefined, (e) => runtime.log.error(formatError(errorMessage, e)));
  } catch (e) {
    runtime.log.error(formatError(errorMessage, e));
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError<void>(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

export function formatError(message: string, err: unknown): string {
  if (err instanceof Error) return `${message}: ${err.message}\n${err.stack ?? ''}`;
  return `${message}: ${String(err)}`;
}
