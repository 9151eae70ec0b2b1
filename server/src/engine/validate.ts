import { objectAnchor, valueSpan } from './ast';
import type { DocumentModel, ManifestObject, ParsedChunk } from './model';
import { releaseObject } from './objectMemo';
import { isPlainObject, shiftFinding } from './model';
import { replaceScalar, setMapEntries } from './edits';
import { RULES, type Rule, type RuleContext } from './rules';
import { volumeOptions } from './rules/volumes';
import { schemaFindings } from './schema';
import { templateUnknowns } from './templates';
import type { Finding, Fix, Severity, Span } from './types';
import type { ClusterModel } from './placement/types';
import { DEFAULT_KUBERNETES_VERSION, minorOf } from './kubernetesVersion';
import { featureEnabled } from './featureGates';

export type SeveritySetting = Severity | 'off';

export interface ValidateOptions {
  /** Per-rule severity overrides (`daemonsetLens.rules.<id>`). */
  severities?: Readonly<Record<string, SeveritySetting>>;
  featureGates?: Readonly<Record<string, boolean>>;
  /** Target Kubernetes version, "1.35" by default. */
  kubernetesVersion?: string;
  /** The parsed cluster file (engine/cluster.ts parseCluster), for the rules that use it. */
  cluster?: ClusterModel;
  /** A key that changes whenever `cluster` changes; part of the cache key. */
  clusterStamp?: string;
  /** Findings cache; pass the same object across calls to re-check only changed documents. */
  cache?: FindingsCache;
  /** Rules to run instead of the built-in list (tests). */
  rules?: readonly Rule[];
  /**
   * `false`: findings without their fixes, which the rules then do not build (a fifth of the work on
   * a large file); `fixesOf` gives a finding's fixes when they are asked for. Default `true`.
   */
  fixes?: boolean;
}

/**
 * Findings per object, keyed by the object's source text and the options that affect them. Keyed in
 * two levels (object text, then options), so that a look-up hashes the chunk's own text string, whose
 * hash V8 keeps, instead of building and hashing a new key string as long as the object each time.
 */
export class FindingsCache {
  private readonly map = new Map<string, Map<string, Finding[]>>();
  private size = 0;
  constructor(private readonly capacity = 8192) {}
  get(text: string, optionsKey: string): Finding[] | undefined {
    return this.map.get(text)?.get(optionsKey);
  }
  set(text: string, optionsKey: string, findings: Finding[]): void {
    let byOptions = this.map.get(text);
    if (!byOptions) this.map.set(text, (byOptions = new Map()));
    if (!byOptions.has(optionsKey)) this.size++;
    byOptions.set(optionsKey, findings);
    if (this.size > this.capacity) {
      // The oldest object text loses its oldest entry.
      const [oldText, oldest] = this.map.entries().next().value as [string, Map<string, Finding[]>];
      oldest.delete(oldest.keys().next().value as string);
      this.size--;
      if (oldest.size === 0) this.map.delete(oldText);
    }
  }
  /** Forgets every finding of one object text (its file was closed and nothing else holds it). */
  forget(text: string): void {
    const byOptions = this.map.get(text);
    if (!byOptions) return;
    this.size -= byOptions.size;
    this.map.delete(text);
  }
}

/**
 * The older group versions a DaemonSet manifest may name, and the minor release that stopped serving
 * them (Kubernetes 1.16 release notes: "DaemonSet in the extensions/v1beta1 and apps/v1beta2 API
 * versions is no longer served"; both were served up to 1.15). apps/v1beta1 never had a DaemonSet kind (it served Deployment,
 * StatefulSet and ControllerRevision), so no version accepts a DaemonSet there.
 */
const REMOVED_API_VERSIONS: Record<string, { removedIn: number; neverServed?: boolean }> = {
  'extensions/v1beta1': { removedIn: 16 },
  'apps/v1beta1': { removedIn: 16, neverServed: true },
  'apps/v1beta2': { removedIn: 16 },
};

export { DEFAULT_KUBERNETES_VERSION, minorOf };

/** Every finding for a file: file-level problems, then each DaemonSet's schema and rule findings. */
export function validate(model: DocumentModel, options: ValidateOptions = {}): Finding[] {
  const out: Finding[] = [...model.findings];
  const ctx = ruleContext(model, options);
  const rules = options.rules ?? RULES;
  const optionsKey = JSON.stringify([ctx.featureGates, ctx.kubernetesMinor, options.clusterStamp ?? '', options.rules ? 'custom' : '', ctx.fixes !== false]);
  // The chunk of each DaemonSet by its offset (the first chunk at that offset, as a search would find).
  const chunkAt = new Map<number, ParsedChunk>();
  for (const c of model.chunks) if (!chunkAt.has(c.base)) chunkAt.set(c.base, c.chunk);
  for (const ds of model.daemonSets) {
    const chunk = chunkAt.get(ds.base);
    if (chunk?.templated) continue;
    const text = chunk?.text ?? '';
    const key = objectKey(ds, optionsKey);
    const cached = options.cache?.get(text, key);
    if (cached) {
      for (const f of cached) out.push(shiftFinding(f, ds.base));
      continue;
    }
    const found = checkDaemonSet(ds, ctx, rules);
    // Cached relative to the object, so the object's findings stay valid wherever it moves in the file.
    if (options.cache) options.cache.set(text, key, found.map((f) => shiftFinding(f, -ds.base)));
    for (const f of found) out.push(ds.base === 0 || 'fixes' in f ? f : { ...f, fixes: undefined });
  }
  return applySettings(model.text, out, options.severities);
}

/**
 * The fixes of a finding `validate` gave without them (`fixes: false`), with the same options: its
 * DaemonSet is checked again, with fixes, and the same finding (rule, span, message) gives them.
 */
export function fixesOf(model: DocumentModel, finding: Finding, options: ValidateOptions = {}): Fix[] {
  if (finding.fixes?.length) return finding.fixes;
  const ds = model.daemonSets.find((d) => {
    const r = d.node.range;
    return !!r && d.base + r[0] <= finding.span.start && finding.span.end <= d.base + r[2];
  });
  if (!ds) return [];
  const again = checkDaemonSet(ds, ruleContext(model, { ...options, fixes: true }), options.rules ?? RULES);
  const same = again.find((f) => f.code === finding.code && f.message === finding.message && f.span.start === finding.span.start && f.span.end === finding.span.end);
  return same?.fixes ?? [];
}

function ruleContext(model: DocumentModel, options: ValidateOptions): RuleContext {
  return {
    model,
    featureGates: options.featureGates ?? {},
    kubernetesMinor: minorOf(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION),
    cluster: options.cluster,
    fixes: options.fixes ?? true,
  };
}

function objectKey(ds: ManifestObject, optionsKey: string): string {
  // The object's own text fixes its findings, except that List items also depend on their index.
  return `${optionsKey}\u0000${ds.docPath.join('/')}\u0000${ds.partial ? 'p' : ''}`;
}

/**
 * The `removed-api-version` finding of a DaemonSet whose apiVersion is no longer (or never was) served
 * in the target Kubernetes minor, undefined for apps/v1 and unknown versions. `check` reports it;
 * `place` and `pod` print it beside the placement they compute with that version's defaults.
 */
export function removedApiVersionFinding(ds: ManifestObject, kubernetesMinor: number, text?: string): Finding | undefined {
  const apiVersion = ds.apiVersion;
  const removed = apiVersion ? REMOVED_API_VERSIONS[apiVersion] : undefined;
  if (!apiVersion || !removed) return undefined;
  const span = valueSpan(ds, ['apiVersion']) ?? objectAnchor(ds);
  // Below the removal the target cluster serves the old version: worth a note, not an error.
  // Its defaults and rules differ from apps/v1 (extensions/v1beta1 defaults the selector from the
  // template labels and updateStrategy to OnDelete), so the apps/v1 schema and rules are not applied.
  const served = !removed.neverServed && kubernetesMinor < removed.removedIn;
  const message = served
    ? `DaemonSet ${apiVersion} is deprecated and removed in Kubernetes 1.${removed.removedIn} (the target is 1.${kubernetesMinor}): use apps/v1. (apps/v1 requires spec.selector to match the template labels.) Only apps/v1 DaemonSets are validated.`
    : removed.neverServed && kubernetesMinor < removed.removedIn
      ? `${apiVersion} has no DaemonSet kind in any Kubernetes version: use apps/v1. (apps/v1 requires spec.selector to match the template labels.)`
      : `DaemonSet ${apiVersion} was removed in Kubernetes 1.${removed.removedIn}: use apps/v1. (apps/v1 requires spec.selector to match the template labels.)`;
  return {
    code: 'removed-api-version',
    severity: served ? 'information' : 'error',
    message,
    path: 'apiVersion',
    span,
    fixes: text === undefined ? undefined : [toAppsV1(text, ds, span)],
  };
}

/** Findings of one DaemonSet, with absolute spans. */
export function checkDaemonSet(ds: ManifestObject, ctx: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  const apiVersion = ds.apiVersion;
  const removed = removedApiVersionFinding(ds, ctx.kubernetesMinor, ctx.fixes === false ? undefined : ctx.model.text);
  if (removed) return [removed];
  if (apiVersion !== 'apps/v1') return [];
  // A value that is a template action (`containerPort: "{{ .Values.port }}"`) is unknown until the
  // template is rendered: nothing can be said about it, nor about where the pods would run when it
  // decides that, whatever its type or text looks like now.
  const unknowns = templateUnknowns(ds);
  if (unknowns?.placement) ctx = { ...ctx, placementOf: () => undefined };
  // The projected sources (as the `volumes` rule reads them) and the workloadRef the API server drops for the target are not validated.
  const gates = volumeOptions(ctx);
  const out: Finding[] = [...schemaFindings(ds, {
    clusterTrustBundle: !gates.clusterTrustBundleProjection,
    podCertificate: !gates.podCertificateRequest,
    workloadRef: !featureEnabled(ctx, 'GenericWorkload'),
  })];
  for (const rule of rules) {
    if (ds.partial && rule.needsCompleteObject) continue;
    try {
      // Most rules find nothing: no spread call for their empty lists.
      const found = rule.check(ds, ctx);
      for (let i = 0; i < found.length; i++) out.push(found[i]);
    } catch (e) {
      // A bug in one rule must not hide the others' findings.
      out.push({
        code: 'internal-error',
        severity: 'warning',
        message: `Rule ${rule.id} failed on this DaemonSet: ${e instanceof Error ? e.message : String(e)}`,
        path: '',
        span: objectAnchor(ds),
      });
    }
  }
  // What the rules shared for this object is not kept with it (objectMemo.ts).
  releaseObject(ds);
  // The rules that build costly fixes skip them; the others' cheap ones are dropped here.
  if (ctx.fixes === false) for (const f of out) if (f.fixes) f.fixes = undefined;
  return unknowns ? out.filter((f) => !unknowns.covers(f)) : out;
}

/**
 * "Use apiVersion apps/v1". extensions/v1beta1 defaulted a missing `spec.selector` to the template
 * labels (SetDefaults_DaemonSet, pkg/apis/extensions/v1beta1/defaults.go); apps/v1 requires it
 * (ValidateDaemonSetSpec), so the fix writes that selector too. apps/v1beta2 already required one.
 */
function toAppsV1(text: string, ds: ManifestObject, span: Span): Fix {
  // Written as the old value was: quoted when it was, a JSON string in JSON.
  const version = replaceScalar(text, ds, ['apiVersion'], 'apps/v1');
  const edits = version.length ? version : [{ span, newText: 'apps/v1' }];
  const spec = isPlainObject(ds.value.spec) ? ds.value.spec : undefined;
  const template = spec && isPlainObject(spec.template) ? spec.template : undefined;
  const metadata = template && isPlainObject(template.metadata) ? template.metadata : undefined;
  const labels = metadata && isPlainObject(metadata.labels) ? metadata.labels : undefined;
  if (ds.apiVersion === 'extensions/v1beta1' && spec && spec.selector === undefined && labels && Object.keys(labels).length) {
    const selector = setMapEntries(text, ds, ['spec', 'selector'], { matchLabels: labels });
    if (selector.length) {
      return { title: 'Use apiVersion apps/v1 and add spec.selector from the template labels', edits: [...edits, ...selector], isPreferred: true };
    }
  }
  return { title: 'Use apiVersion apps/v1', edits, isPreferred: true };
}

const DISABLE_RE = /#\s*daemonset-lens-disable(-next-line)?\b([^\n]*)/g;

/** Applies severity settings and `# daemonset-lens-disable[-next-line] <id…>` comments. */
export function applySettings(text: string, findings: Finding[], severities?: Readonly<Record<string, SeveritySetting>>): Finding[] {
  const fileOff = new Set<string>();
  const lineOff = new Map<number, Set<string>>(); // line start offset of the suppressed line -> ids
  if (text.includes('daemonset-lens-disable')) {
    let m: RegExpExecArray | null;
    DISABLE_RE.lastIndex = 0;
    while ((m = DISABLE_RE.exec(text)) !== null) {
      const ids = m[2].split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s));
      const set = ids.length ? ids : ['*'];
      if (m[1]) {
        const next = text.indexOf('\n', m.index);
        if (next < 0) continue;
        const key = next + 1;
        const cur = lineOff.get(key) ?? new Set<string>();
        set.forEach((id) => cur.add(id));
        lineOff.set(key, cur);
      } else {
        set.forEach((id) => fileOff.add(id));
      }
    }
  }
  const out: Finding[] = [];
  for (const f of findings) {
    if (fileOff.has('*') || fileOff.has(f.code)) continue;
    if (lineOff.size) {
      const lineStart = text.lastIndexOf('\n', f.span.start - 1) + 1;
      const ids = lineOff.get(lineStart);
      if (ids && (ids.has('*') || ids.has(f.code))) continue;
    }
    const s = severities?.[f.code];
    if (s === 'off') continue;
    out.push(s ? { ...f, severity: s } : f);
  }
  return out;
}
