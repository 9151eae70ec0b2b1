/**
 * `daemonset-lens place --cluster FILE [--pods FILE] [--feature-gates Name=true,…] [--now RFC3339]
 * [--current-revision HASH] [--format text|json] MANIFEST…`: on which nodes each DaemonSet runs, why
 * not on the others, and what the next sync of the controller does. Exit 0, or 2 on a usage/read error.
 */
import { pathToFileURL } from 'node:url';
import { parseCluster, addPods } from '../engine/cluster';
import { ChunkCache, parseDocument, type Finding } from '../engine';
import { placeDaemonSet, type ClusterModel, type DaemonSetPlacement, type NodeVerdict, type PlacementOptions, type Preemption } from '../engine/placement';
import {
  EXIT_OK, EXIT_USAGE, KustomizePatches, LineIndex, STDIN_LABEL, UsageError, expandInputs, parseArgs, parseFeatureGates, readInput,
  type CliIO, type InputFile, type OptionSpec,
} from './common';

export const PLACE_USAGE = `Usage: daemonset-lens place --cluster FILE [options] MANIFEST…

Show on which nodes of a cluster file each DaemonSet runs, why it does not run on the others,
and what the next sync of the DaemonSet controller creates and deletes.
The cluster file is the output of \`kubectl get nodes -o yaml\` (or -o json), optionally with
pods (\`kubectl get pods -A -o yaml\`). MANIFEST is a file, a folder or - for standard input.
Kustomize patches (partial DaemonSets, or files listed as patches in the kustomization.yaml of their
folder) are skipped with a note on standard error: place the output of \`kustomize build\` instead.

Options:
      --cluster FILE              nodes (and pods) of the cluster (required)
      --pods FILE                 pods of the cluster, when not in the cluster file
      --feature-gates A=true,…    feature gates in force (TaintTolerationComparisonOperators)
      --now RFC3339               the current time, for minReadySeconds (default: now)
      --current-revision HASH     the controller-revision-hash of the current template
  -f, --format text|json          output format (default: text)
  -h, --help                      show this help

Exit status: 0 done, 2 usage or read error.
`;

const FORMATS = ['text', 'json'] as const;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'cluster', takesValue: true },
  { name: 'pods', takesValue: true },
  { name: 'feature-gates', takesValue: true },
  { name: 'now', takesValue: true },
  { name: 'current-revision', takesValue: true },
  { name: 'format', short: 'f', takesValue: true, choices: FORMATS },
  { name: 'help', short: 'h', takesValue: false },
];

/** `--format json`: exactly this shape. */
export interface PlaceJson {
  daemonSets: Array<{
    name: string;
    namespace: string;
    file: string;
    desiredNumberScheduled: number;
    nodes: Array<{
      node: string;
      shouldRun: boolean;
      shouldContinueRunning: boolean;
      schedulable: boolean | null;
      /** The kubelet admits the scheduled pod (true) or rejects it for its OS (false); null where no pod reaches it. */
      admitted: boolean | null;
      reasons: Array<{ code: string; message: string }>;
      daemonPods: string[];
      create: number;
      delete: string[];
      /** Present when the scheduler's preemption decides the node (only with pods in the input). */
      preemption?: {
        outcome: 'preempts' | 'may-preempt';
        victims: string[];
        reasons: Array<{ code: string; message: string }>;
        priorityClassName?: string;
        priority?: number;
      };
    }>;
    sync: { creates: number; deletes: number };
    rollingUpdate: { maxUnavailable: number; maxSurge: number };
  }>;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `--now`: an RFC 3339 time. */
export function parseNow(text: string): Date {
  const d = new Date(text);
  if (!RFC3339.test(text) || Number.isNaN(d.getTime())) throw new UsageError(`--now: '${text}' is not an RFC 3339 time like 2026-01-02T15:04:05Z`);
  return d;
}

function uriOf(input: InputFile): string {
  return input.absPath ? pathToFileURL(input.absPath).href : `stdin:${STDIN_LABEL}`;
}

/** Reads a cluster file (`--cluster` / `--pods`); prints its findings to stderr. Throws UsageError when unreadable. */
export async function readCluster(io: CliIO, given: string, option: string): Promise<ClusterModel> {
  const { files, errors } = await expandInputs(io, [given]);
  if (errors.length > 0) throw new UsageError(`--${option}: ${errors[0]}`);
  if (files.length !== 1) throw new UsageError(`--${option}: '${given}' is not one file`);
  const read = await readInput(io, files[0]);
  if ('error' in read) throw new UsageError(`--${option}: ${read.error}`);
  const model = parseDocument(uriOf(files[0]), read.text);
  const cluster = parseCluster(model);
  const findings: Finding[] = [...model.findings, ...cluster.findings.filter((f) => option === 'cluster' || f.code !== 'cluster-no-nodes')];
  if (findings.length > 0) {
    const index = new LineIndex(read.text);
    for (const f of findings.sort((a, b) => a.span.start - b.span.start)) {
      const p = index.positionAt(f.span.start);
      io.stderr(`${files[0].label}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.code} ${f.message.replace(/\s*\n\s*/g, ' ')}\n`);
    }
  }
  return cluster;
}

/** Parses the options shared by `place` and `pod`. */
export function placementOptions(options: Map<string, string | true>): PlacementOptions {
  const out: PlacementOptions = {};
  const gates = options.get('feature-gates');
  if (typeof gates === 'string') out.featureGates = parseFeatureGates(gates);
  const now = options.get('now');
  if (typeof now === 'string') out.now = parseNow(now);
  const rev = options.get('current-revision');
  if (typeof rev === 'string') {
    if (!rev.trim()) throw new UsageError('--current-revision needs a hash');
    out.currentRevision = rev.trim();
  }
  return out;
}

/** Runs `place`; returns the exit code. Never throws. */
export async function runPlace(argv: string[], io: CliIO): Promise<number> {
  let format = 'text' as (typeof FORMATS)[number];
  let cluster: ClusterModel;
  let options: PlacementOptions;
  let paths: string[];
  try {
    const args = parseArgs(argv, OPTIONS);
    if (args.options.has('help')) {
      io.stdout(PLACE_USAGE);
      return EXIT_OK;
    }
    format = (args.options.get('format') as typeof format | undefined) ?? 'text';
    const clusterFile = args.options.get('cluster');
    if (typeof clusterFile !== 'string') throw new UsageError('--cluster FILE is required (the output of kubectl get nodes -o yaml)');
    paths = args.positionals;
    if (paths.length === 0) throw new UsageError('no manifest: give DaemonSet files, folders, or - for standard input');
    options = placementOptions(args.options);
    cluster = await readCluster(io, clusterFile, 'cluster');
    const podsFile = args.options.get('pods');
    if (typeof podsFile === 'string') cluster = addPods(cluster, await readCluster(io, podsFile, 'pods'));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`daemonset-lens place: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }

  const { files, errors } = await expandInputs(io, paths);
  const results: Array<{ file: string; placement: DaemonSetPlacement }> = [];
  const cache = new ChunkCache();
  const kustomize = new KustomizePatches(io);
  for (const input of files) {
    const read = await readInput(io, input);
    if ('error' in read) {
      errors.push(read.error);
      continue;
    }
    const listed = input.absPath ? await kustomize.isPatch(input.absPath) : false;
    const model = parseDocument(uriOf(input), read.text, undefined, cache, listed ? { partial: true } : {});
    if (model.daemonSets.length === 0) io.stderr(`daemonset-lens place: no DaemonSet in '${input.label}'\n`);
    for (const ds of model.daemonSets) {
      // A patch carries only the fields it changes: placed alone, it would lose the base's
      // tolerations, selectors and containers and describe a DaemonSet that never exists.
      if (ds.partial) {
        const why = listed ? 'a Kustomize patch listed in the kustomization of its folder' : 'a partial manifest (a Kustomize patch)';
        io.stderr(`daemonset-lens place: skipped DaemonSet ${ds.namespace || 'default'}/${ds.name ?? ''} in '${input.label}': ${why}; place the built manifest instead (kustomize build DIR | daemonset-lens place --cluster FILE -)\n`);
        continue;
      }
      results.push({ file: input.label, placement: placeDaemonSet(ds, cluster, options) });
    }
  }
  if (errors.length > 0) {
    io.stderr(`daemonset-lens place: ${errors[0]}\n`);
    return EXIT_USAGE;
  }
  if (format === 'json') io.stdout(JSON.stringify(toPlaceJson(results), null, 2) + '\n');
  else io.stdout(toPlaceText(results));
  return EXIT_OK;
}

/** The documented JSON shape, field by field (nothing else). */
export function toPlaceJson(results: ReadonlyArray<{ file: string; placement: DaemonSetPlacement }>): PlaceJson {
  return {
    daemonSets: results.map(({ file, placement: p }) => ({
      name: p.name,
      namespace: p.namespace,
      file,
      desiredNumberScheduled: p.desiredNumberScheduled,
      nodes: p.nodes.map((n) => ({
        node: n.node,
        shouldRun: n.shouldRun,
        shouldContinueRunning: n.shouldContinueRunning,
        schedulable: n.schedulable,
        admitted: n.admitted ?? null,
        reasons: n.reasons.map((r) => ({ code: r.code, message: r.message })),
        daemonPods: [...n.daemonPods],
        create: n.create,
        delete: [...n.delete],
        ...(n.preemption ? { preemption: preemptionJson(n.preemption) } : {}),
      })),
      sync: { creates: p.sync.creates, deletes: p.sync.deletes },
      rollingUpdate: { maxUnavailable: p.rollingUpdate.maxUnavailable, maxSurge: p.rollingUpdate.maxSurge },
    })),
  };
}

function preemptionJson(p: Preemption): NonNullable<PlaceJson['daemonSets'][number]['nodes'][number]['preemption']> {
  const out: ReturnType<typeof preemptionJson> = { outcome: p.outcome, victims: [...p.victims], reasons: p.reasons.map((r) => ({ code: r.code, message: r.message })) };
  if (p.priorityClassName !== undefined) out.priorityClassName = p.priorityClassName;
  if (p.priority !== undefined) out.priority = p.priority;
  return out;
}

/** One word or two for a node: what happens to this DaemonSet's pod there. */
export function verdictText(n: NodeVerdict): string {
  if (n.shouldRun && n.schedulable !== false && n.admitted === false) return 'created, rejected';
  if (n.shouldRun && n.preemption?.outcome === 'preempts') return `runs, preempts ${n.preemption.victims.length}`;
  if (n.shouldRun) return n.schedulable === false ? 'runs, Pending' : 'runs';
  if (n.shouldContinueRunning && n.daemonPods.length > 0) return 'keeps pod';
  if (!n.shouldContinueRunning && n.daemonPods.length > 0) return 'evicts pod';
  return 'no pod';
}

function syncText(n: NodeVerdict): string {
  const parts: string[] = [];
  if (n.create) parts.push('create');
  if (n.delete.length) parts.push(`delete ${n.delete.join(', ')}`);
  return parts.join('; ') || '-';
}

function reasonText(n: NodeVerdict): string {
  const text = (rs: ReadonlyArray<{ message: string; schedulerReason?: string; kubeletReason?: string }>) =>
    rs.map((r) => (r.schedulerReason ? `${r.message} (${r.schedulerReason})` : r.kubeletReason ? `${r.message} (kubelet: ${r.kubeletReason})` : r.message)).join('; ');
  const p = n.preemption;
  if (p?.outcome === 'preempts') {
    const evicts = `${text(p.reasons)}; evicts lower-priority ${p.victims.join(', ')}`;
    return n.reasons.length > 0 ? `${evicts}; ${text(n.reasons)}` : evicts;
  }
  if (p?.outcome === 'may-preempt') {
    return `${text(n.reasons)}; priority class \`${p.priorityClassName ?? ''}\` is not in the input: if its value is above theirs, evicts ${p.victims.join(', ')}`;
  }
  if (n.reasons.length > 0) return text(n.reasons);
  if (n.notes.length > 0) return `note: ${n.notes.join('; ')}`;
  return '';
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd()).join('\n');
}

/** The text report: one header and one table per DaemonSet. */
export function toPlaceText(results: ReadonlyArray<{ file: string; placement: DaemonSetPlacement }>): string {
  const out: string[] = [];
  for (const { file, placement: p } of results) {
    const running = p.nodes.filter((n) => n.shouldRun).length;
    const rejected = p.nodes.filter((n) => n.shouldRun && n.admitted === false).length;
    out.push(
      `DaemonSet ${p.namespace}/${p.name} (${file}): runs on ${running} of ${p.nodes.length} node${p.nodes.length === 1 ? '' : 's'}` +
        `${rejected > 0 ? ` (the kubelet rejects the pod on ${rejected})` : ''}; ` +
        `next sync creates ${p.sync.creates}, deletes ${p.sync.deletes}; rolling update maxUnavailable ${p.rollingUpdate.maxUnavailable}, maxSurge ${p.rollingUpdate.maxSurge}`,
    );
    for (const w of p.warnings ?? []) out.push(`  warning: ${w}`);
    if (p.nodes.length > 0) {
      out.push(table([['NODE', 'VERDICT', 'SYNC', 'REASON'], ...p.nodes.map((n) => [n.node, verdictText(n), syncText(n), reasonText(n)])]));
    }
    if (p.deletesWithoutNode?.length) out.push(`  deletes unscheduled pods of missing nodes: ${p.deletesWithoutNode.join(', ')}`);
    out.push('');
  }
  return out.join('\n');
}
