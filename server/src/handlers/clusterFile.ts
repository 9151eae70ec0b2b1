/**
 * The cluster file: which one is in use, its content (live text when it is open in the editor, else
 * the file on disk), and keeping it fresh (didChange/didSave/didClose of the open file, and
 * `workspace/didChangeWatchedFiles`). Whenever it changes, every open manifest is re-validated.
 *
 * Which file: the `daemonsetLens.clusterFile` setting (relative to the first workspace folder, or
 * absolute). Without it, discovery in each workspace folder, nearest first:
 *   1. a file named cluster.yaml, cluster.yml, nodes.yaml, nodes.yml, nodes.json or *.nodes.yaml
 *      (at the root, then up to two folders deep);
 *   2. else any .yaml/.yml/.json file up to two folders deep whose content is a `kind: List` of
 *      `kind: Node` items, or Node documents (a `kubectl get nodes -o yaml` dump).
 * Hidden folders and node_modules are skipped; files over 16 MiB are not read.
 *
 * Pods: those in the cluster file itself, plus those of the `daemonsetLens.podsFile` setting (a
 * `kubectl get pods -A -o yaml` dump, relative to the first workspace folder, or absolute), which is
 * kept fresh the same way.
 */
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver';
import { addPods, parseCluster } from '../engine/cluster';
import type { ClusterModel } from '../engine/placement/types';
import { parseDocument } from '../engine/model';
import { ClusterChangedNotification } from '../protocol';
import type { RuntimeEnvironment } from '../runtime';
import { joinPath, pathToUri, uriToPath } from '../uri';
import { runSafeVoid, type ClusterState, type Handler, type ServerContext } from './context';

const WELL_KNOWN = /^(?:cluster\.ya?ml|nodes\.(?:ya?ml|json)|.+\.nodes\.ya?ml)$/i;
const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;
const MAX_DEPTH = 2;
const MAX_FILES_READ = 400;
const MAX_SIZE = 16 * 1024 * 1024;
/** Only the head of a candidate file is read to decide whether it is a node dump. */
const SNIFF_BYTES = 64 * 1024;

/** Content of a `kubectl get nodes -o yaml|json` dump, or of Node documents. */
export function looksLikeNodeFile(text: string): boolean {
  const head = text.slice(0, SNIFF_BYTES);
  const yamlNode = /^(?:-[ \t]+|[ \t]+)*kind:[ \t]*["']?Node["']?[ \t]*(?:#.*)?$/m.test(head);
  const jsonNode = /"kind"\s*:\s*"Node"/.test(head);
  if (!yamlNode && !jsonNode) return false;
  // A List of nodes, or a document whose own kind is Node (not a Pod that mentions nodes).
  const isList = /^kind:[ \t]*["']?List["']?/m.test(head) || /"kind"\s*:\s*"List"/.test(head);
  const topNode = /^kind:[ \t]*["']?Node["']?[ \t]*(?:#.*)?$/m.test(head) || /^\{?\s*"(?:apiVersion|kind)"[\s\S]{0,200}"kind"\s*:\s*"Node"/.test(head);
  return isList || topNode;
}

/** Finds cluster-file candidates in a folder, best first. */
export async function discoverClusterFiles(runtime: RuntimeEnvironment, folder: string): Promise<string[]> {
  const named: Array<[number, string]> = [];
  const others: Array<[number, string]> = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = (await runtime.file.readDirectory(dir)).sort((a, b) => a.name.localeCompare(b.name));
    const subdirs: string[] = [];
    for (const e of entries) {
      const p = joinPath(dir, e.name);
      if (e.isFile && MANIFEST_FILE.test(e.name)) (WELL_KNOWN.test(e.name) ? named : others).push([depth, p]);
      else if (e.isDirectory && depth < MAX_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules') subdirs.push(p);
    }
    for (const d of subdirs) await walk(d, depth + 1);
  };
  await walk(folder, 0);
  const byDepth = (a: [number, string], b: [number, string]) => a[0] - b[0] || a[1].localeCompare(b[1]);
  const out: string[] = [];
  let read = 0;
  for (const [, p] of [...named.sort(byDepth), ...others.sort(byDepth)]) {
    if (read >= MAX_FILES_READ) break;
    const size = await runtime.file.fileSize(p);
    if (size === undefined || size > MAX_SIZE) continue;
    read++;
    const text = await runtime.file.readFile(p);
    if (text !== undefined && looksLikeNodeFile(text)) out.push(p);
  }
  return out;
}

export const clusterFileHandler: Handler = {
  register(ctx) {
    const { documents, runtime } = ctx;
    let generation = 0;
    const resolve = (): Promise<void> => {
      const mine = ++generation;
      return resolveClusterFile(ctx, () => mine === generation);
    };
    resolvers.set(ctx, resolve);

    documents.onDidChangeContent((e) => {
      if (ctx.isClusterFile(e.document.uri)) runSafeVoid(runtime, () => loadLive(ctx, e.document.getText()), 'Error while reading the cluster file');
      else if (isPodsFile(ctx, e.document.uri)) runSafeVoid(runtime, () => loadPods(ctx), 'Error while reading the pods file');
    });
    documents.onDidSave((e) => {
      if (ctx.isClusterFile(e.document.uri)) runSafeVoid(runtime, () => loadLive(ctx, e.document.getText()), 'Error while reading the cluster file');
    });
    documents.onDidClose((e) => {
      // Unsaved edits are discarded with the editor: go back to the file on disk.
      if (ctx.isClusterFile(e.document.uri)) runSafeVoid(runtime, () => reloadFromDisk(ctx), 'Error while reading the cluster file');
      else if (isPodsFile(ctx, e.document.uri)) runSafeVoid(runtime, () => loadPods(ctx), 'Error while reading the pods file');
    });

    ctx.onWatchedFilesChanged((params) => runSafeVoid(runtime, async () => {
      const cur = ctx.cluster;
      const changedOnly = params.changes.every((c) => c.type === FileChangeType.Changed);
      if (params.changes.some((c) => isPodsFile(ctx, c.uri) && !documents.get(c.uri))) await loadPods(ctx);
      if (cur && params.changes.some((c) => c.uri === cur.uri)) {
        // The file in use: re-read it (unless the editor has it open: its live text wins), or, if it
        // was created or deleted, choose again.
        if (!changedOnly) await resolve();
        else if (!documents.get(cur.uri)) await reloadFromDisk(ctx);
        return;
      }
      if (ctx.settings.clusterFile) return;
      if (changedOnly) {
        // Edits elsewhere matter only when no cluster file is in use and one now looks like a node dump.
        if (cur) return;
        for (const c of params.changes.slice(0, 20)) {
          const path = uriToPath(c.uri);
          const text = path && MANIFEST_FILE.test(path) ? await runtime.file.readFile(path) : undefined;
          if (text !== undefined && looksLikeNodeFile(text)) return resolve();
        }
        return;
      }
      await resolve();
    }, 'Error while handling file changes'));

    // Settings changes may name another file: resolve again before the manifests are re-validated.
    let lastSetting: string | undefined = ctx.settings.clusterFile;
    ctx.onRefresh((reason) => {
      if (reason !== 'settings') return;
      if (ctx.settings.podsFile !== podsSetting.get(ctx)) runSafeVoid(runtime, () => loadPods(ctx), 'Error while reading the pods file');
      if (ctx.settings.clusterFile === lastSetting) return;
      lastSetting = ctx.settings.clusterFile;
      runSafeVoid(runtime, resolve, 'Error while resolving the cluster file');
    });
  },

  async initialized(ctx) {
    const resolve = resolvers.get(ctx);
    try {
      ctx.connection.workspace.onDidChangeWorkspaceFolders((e) => runSafeVoid(ctx.runtime, async () => {
        const removed = new Set(e.removed.map((f) => f.uri));
        ctx.workspaceFolders = [...ctx.workspaceFolders.filter((f) => !removed.has(f.uri)), ...e.added.map((f) => ({ uri: f.uri, path: uriToPath(f.uri) }))];
        await resolve?.();
      }, 'Error while handling workspace folders'));
    } catch {
      // The client does not send workspace folder changes.
    }
    if (ctx.client.watchedFilesDynamic) {
      await ctx.connection.client.register(DidChangeWatchedFilesNotification.type, {
        // Kustomization files without an extension matter too (handlers/kustomize.ts).
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/Kustomization' }],
      });
    }
    // Runs after the configuration handler (registered before this one) has read the settings.
    await loadPods(ctx, false);
    await resolve?.();
  },
};

const resolvers = new WeakMap<ServerContext, () => Promise<void>>();

/** Chooses the cluster file from the setting or by discovery, loads it and refreshes. */
async function resolveClusterFile(ctx: ServerContext, isCurrent: () => boolean): Promise<void> {
  const setting = ctx.settings.clusterFile;
  let path: string | undefined;
  let uri: string | undefined;
  let source: ClusterState['source'] = 'setting';
  if (setting) {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(setting)) {
      uri = setting;
      path = uriToPath(setting);
    } else {
      const folder = ctx.workspaceFolders.find((f) => f.path)?.path;
      path = folder ? joinPath(folder, setting) : setting.startsWith('/') ? setting : undefined;
      uri = path ? pathToUri(path) : undefined;
    }
    ctx.clusterCandidates = [];
  } else {
    source = 'discovered';
    const candidates: string[] = [];
    for (const f of ctx.workspaceFolders) if (f.path) candidates.push(...(await discoverClusterFiles(ctx.runtime, f.path)));
    ctx.clusterCandidates = candidates.map(pathToUri);
    path = candidates[0];
    uri = path ? pathToUri(path) : undefined;
  }
  if (!isCurrent()) return;
  if (!uri) {
    setCluster(ctx, setting ? { uri: setting, source, stamp: 'none', error: `The cluster file "${setting}" cannot be resolved without a workspace folder.` } : undefined);
    return;
  }
  const open = ctx.documents.get(uri);
  const text = open ? open.getText() : path ? await ctx.runtime.file.readFile(path) : undefined;
  if (!isCurrent()) return;
  if (text === undefined) {
    setCluster(ctx, { uri, path, source, stamp: 'none', error: `The cluster file ${path ?? uri} cannot be read.` });
    return;
  }
  setCluster(ctx, build(ctx, uri, path, source, text));
}

let stampCounter = 0;

function build(ctx: ServerContext, uri: string, path: string | undefined, source: ClusterState['source'], text: string): ClusterState {
  const open = ctx.documents.get(uri);
  // The open document's model is the one the editor features already share.
  const model = open ? ctx.model(open) : parseDocument(uri, text, undefined, ctx.models.chunks);
  const pods = podsOf.get(ctx);
  const cluster = parseCluster(model);
  return {
    uri, path, source,
    model: pods && pods.uri !== uri ? addPods(cluster, pods) : cluster,
    stamp: `${uri}#${++stampCounter}`,
    podsUri: pods?.uri,
  };
}

/** The parsed pods file of each server, when `daemonsetLens.podsFile` names one. */
const podsOf = new WeakMap<ServerContext, ClusterModel>();
/** The podsFile setting that was last loaded. */
const podsSetting = new WeakMap<ServerContext, string | undefined>();

/** Where the podsFile setting points, as a path and a URI. */
function podsLocation(ctx: ServerContext): { uri: string; path?: string } | undefined {
  const setting = ctx.settings.podsFile;
  if (!setting) return undefined;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(setting)) return { uri: setting, path: uriToPath(setting) };
  const folder = ctx.workspaceFolders.find((f) => f.path)?.path;
  const path = folder ? joinPath(folder, setting) : setting.startsWith('/') ? setting : undefined;
  return path ? { uri: pathToUri(path), path } : undefined;
}

function isPodsFile(ctx: ServerContext, uri: string): boolean {
  return !!ctx.settings.podsFile && podsLocation(ctx)?.uri === uri;
}

/** (Re)reads the pods file (live text when open) and, when asked, rebuilds the cluster with its pods. */
async function loadPods(ctx: ServerContext, rebuild = true): Promise<void> {
  podsSetting.set(ctx, ctx.settings.podsFile);
  const where = podsLocation(ctx);
  let next: ClusterModel | undefined;
  if (where) {
    const open = ctx.documents.get(where.uri);
    const text = open ? open.getText() : where.path ? await ctx.runtime.file.readFile(where.path) : undefined;
    if (text === undefined) ctx.runtime.log.error(`The pods file ${where.path ?? where.uri} cannot be read.`);
    else next = parseCluster(open ? ctx.model(open) : parseDocument(where.uri, text, undefined, ctx.models.chunks));
  }
  const prev = podsOf.get(ctx);
  if (!next && !prev) return;
  if (next && prev && next.model.text === prev.model.text && next.uri === prev.uri) return;
  if (next) podsOf.set(ctx, next);
  else podsOf.delete(ctx);
  const cur = ctx.cluster;
  if (!rebuild || !cur?.model) return;
  setCluster(ctx, build(ctx, cur.uri, cur.path, cur.source, cur.model.model.text));
}

function loadLive(ctx: ServerContext, text: string): void {
  const cur = ctx.cluster;
  if (!cur) return;
  if (cur.model && cur.model.model.text === text) return;
  setCluster(ctx, build(ctx, cur.uri, cur.path, cur.source, text));
}

async function reloadFromDisk(ctx: ServerContext): Promise<void> {
  const cur = ctx.cluster;
  if (!cur?.path) return;
  const text = await ctx.runtime.file.readFile(cur.path);
  if (ctx.cluster !== cur) return;
  if (text === undefined) {
    setCluster(ctx, { uri: cur.uri, path: cur.path, source: cur.source, stamp: 'none', error: `The cluster file ${cur.path} cannot be read.` });
    return;
  }
  if (cur.model && cur.model.model.text === text) return;
  setCluster(ctx, build(ctx, cur.uri, cur.path, cur.source, text));
}

function setCluster(ctx: ServerContext, next: ClusterState | undefined): void {
  const prev = ctx.cluster;
  if (prev === next) return;
  if (prev && next && prev.uri === next.uri && prev.stamp === next.stamp) return;
  if (!prev && !next) return;
  ctx.cluster = next;
  if (next?.error) ctx.runtime.log.error(next.error);
  void ctx.connection.sendNotification(ClusterChangedNotification, { uri: next?.uri });
  ctx.refresh('cluster');
}
