import type { CST, Node } from 'yaml';
import { locate, valueSpan } from './ast';
import type { DocumentModel, ManifestObject } from './model';
import { containersOf } from './podTemplate';
import { templateNamespace } from './templateWords';
import { formatPath, type FieldPath, type Finding, type Span } from './types';
import { isMap, isPair, isSeq } from './yamlNodes';

/**
 * Where a chunk's `{{ … }}` stand. Text in a comment, or inside a quoted, block or plain scalar, is
 * content the YAML structure does not depend on: Prometheus alert descriptions, Alertmanager and
 * Vector configs in ConfigMaps, `image: "{{ .Values.image }}"`. Anywhere else (`{{- if … }}` lines,
 * `name: {{ include … }}`, which YAML reads as flow mappings, and so on) the template decides the
 * structure, and the text is only known once rendered.
 */
export interface TemplateScan {
  /** Offset of the first `{{` that belongs to the structure: the chunk is a template. -1 when none. */
  structuralAt: number;
  /** Scalars (keys or values) whose text holds a template action: their value is unknown until rendered. */
  placeholders: Span[];
}

/** A template action somewhere in a text. Without one, the text is plain YAML. */
export const TEMPLATE_ACTION_RE = /\{\{[\s\S]*?\}\}/;

/**
 * A `{{` that starts a line of a multi-line plain scalar is a template's control line (`{{- if … }}`,
 * `{{- end }}`) that happens to be indented under a value, not text of that value.
 */
const LINE_START_ACTION_RE = /\n[ \t]*\{\{/g;

/** Classifies every `{{` of `text` with the parser's tokens for it (yaml's `Parser().parse(text)`). */
export function scanTemplates(text: string, tokens: readonly CST.Token[]): TemplateScan {
  const content = new Set<number>();
  const placeholders: Span[] = [];
  const visit = (tok: unknown): void => {
    if (Array.isArray(tok)) {
      for (const t of tok) visit(t);
      return;
    }
    if (typeof tok !== 'object' || tok === null) return;
    const t = tok as Record<string, unknown>;
    if (typeof t.source === 'string' && typeof t.offset === 'number') {
      leaf(tok as CST.SourceToken | CST.FlowScalar | CST.BlockScalar);
      // A scalar's trailing comments, a block scalar's header comment.
      if (t.end) visit(t.end);
      if (t.props) visit(t.props);
      return;
    }
    for (const key in t) if (key !== 'type') visit(t[key]);
  };
  const leaf = (t: CST.SourceToken | CST.FlowScalar | CST.BlockScalar): void => {
    if (!t.source.includes('{{')) return;
    let start = t.offset;
    switch (t.type) {
      case 'comment':
        markContent(content, start, t.source);
        return;
      case 'block-scalar': {
        // The token's offset is its header's; its source is the body after the header line.
        const last = t.props[t.props.length - 1] as Partial<CST.SourceToken> | undefined;
        start = last && typeof last.source === 'string' ? last.offset! + last.source.length : t.offset;
        break;
      }
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        break;
      default:
        // Errors, tags, anchors…: not content.
        return;
    }
    markContent(content, start, t.source);
    if (t.type === 'scalar') {
      LINE_START_ACTION_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = LINE_START_ACTION_RE.exec(t.source)) !== null) content.delete(start + m.index + m[0].length - 2);
    }
    if (TEMPLATE_ACTION_RE.test(t.source)) placeholders.push({ start: t.offset, end: start + t.source.length });
  };
  visit(tokens);
  let structuralAt = -1;
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 1)) {
    if (!content.has(i)) {
      structuralAt = i;
      break;
    }
  }
  return { structuralAt, placeholders };
}

function markContent(content: Set<number>, start: number, source: string): void {
  for (let i = source.indexOf('{{'); i >= 0; i = source.indexOf('{{', i + 1)) content.add(start + i);
}

/**
 * Helm's own vocabulary: the built-in objects, its template functions, Go template comments. Jinja,
 * Salt and Jekyll templates share `{{ … }}` (and `{{-`), but not these.
 */
const HELM_RE = /\{\{-?\s*(?:\/\*|(?:include|template|tpl|toYaml|define)\b)|\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\|\s*n?indent\b/;

/** The template text looks like a Helm chart's, so `helm template` renders it. */
export function isHelmTemplate(text: string): boolean {
  return HELM_RE.test(text);
}

/** `offset` (relative to the same text as `spans`) lies in one of `spans`. */
export function inPlaceholder(offset: number, spans: readonly Span[]): boolean {
  for (const p of spans) if (p.start <= offset && offset < p.end) return true;
  return false;
}

/** What a DaemonSet's placeholders leave unknown. */
export interface TemplateUnknowns {
  /** A field the placement reads (selection, tolerations, resources, host ports) holds a placeholder. */
  placement: boolean;
  /** The finding is about a placeholder, or about a field whose value holds one. */
  covers(finding: Finding): boolean;
}

const POD_SPEC: FieldPath = ['spec', 'template', 'spec'];
const PLACEMENT_FIELDS = ['nodeName', 'nodeSelector', 'affinity', 'tolerations', 'hostNetwork', 'overhead', 'resources'];

/** What the placeholders of `ds` (see `ManifestObject.placeholders`) make unknown; undefined without any. */
export function templateUnknowns(ds: ManifestObject): TemplateUnknowns | undefined {
  const spans = ds.placeholders;
  if (!spans?.length) return undefined;
  const holds = (node: Node | undefined): boolean => {
    const r = node?.range;
    return !!r && spans.some((p) => r[0] <= p.start && p.start < r[1]);
  };
  const fields: FieldPath[] = PLACEMENT_FIELDS.map((f) => [...POD_SPEC, f]);
  for (const list of ['containers', 'initContainers'] as const) {
    for (const c of containersOf(ds, list)) fields.push([...c.path, 'resources'], [...c.path, 'ports']);
  }
  const placement = fields.some((path) => {
    const loc = locate(ds, path);
    return loc.depth === path.length && holds(loc.node);
  });
  return {
    placement,
    covers(f) {
      const at = f.span.start - ds.base;
      if (inPlaceholder(at, spans)) return true;
      // Reported on a key (or a sequence item) whose value holds a template action: the finding
      // judged text that is not there yet. Only when that field is the finding's own path: a missing
      // field is reported on its nearest ancestor, which says nothing about the placeholder.
      // A missing selector matches no labels, whatever they render to (selector-matches-labels).
      if (f.data?.selectorMissing === true) return false;
      const subject = subjectAt(ds.node, at, []);
      return !!subject && holds(subject.node) && formatPath(subject.path) === f.path;
    },
  };
}

/** The value whose key (or which, as a sequence item) starts at `offset`, with its path in the object. */
function subjectAt(node: unknown, offset: number, path: Array<string | number>): { node: Node; path: FieldPath } | undefined {
  if (isMap(node)) {
    for (const it of node.items) {
      if (!isPair(it)) continue;
      const key = it.key as Node | null;
      const name = (key as { value?: unknown } | null)?.value;
      const value = it.value as Node | null;
      if (key?.range?.[0] === offset && value) return { node: value, path: [...path, String(name)] };
      const r = value?.range;
      if (r && r[0] <= offset && offset < r[2]) return subjectAt(value, offset, [...path, String(name)]);
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const it = node.items[i] as Node | null;
      const r = it?.range;
      if (!it || !r) continue;
      if (r[0] === offset) return { node: it, path: [...path, i] };
      if (r[0] <= offset && offset < r[2]) return subjectAt(it, offset, [...path, i]);
    }
  }
  return undefined;
}

/**
 * How a DaemonSet of a template is named before it is rendered: `metadata.name` and `metadata.namespace`
 * as written (`{{ include "fluent-bit.fullname" . }}`, which YAML reads as a flow mapping, is shown as
 * that text), and for a namespace the template does not set, `templateNamespace` rather than "default".
 * `text` is the model's text (the spans of `ds` are offsets in it).
 */
export function templateIdentity(text: string, ds: ManifestObject, helm: boolean): { name: string; namespace: string } {
  const asWritten = (field: 'name' | 'namespace'): string | undefined => {
    const meta = ds.value.metadata;
    const v = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>)[field] : undefined;
    if (typeof v === 'string') return v || undefined;
    if (v === undefined || v === null) return undefined;
    const span = valueSpan(ds, ['metadata', field]);
    const written = span ? text.slice(span.start, span.end).replace(/\s+/g, ' ').trim() : '';
    if (!written) return undefined;
    return written.length > MAX_WRITTEN ? `${written.slice(0, MAX_WRITTEN - 1)}…` : written;
  };
  return { name: asWritten('name') ?? '', namespace: asWritten('namespace') ?? templateNamespace(helm) };
}

/** Longest name or namespace shown as written: a title, not the template. */
const MAX_WRITTEN = 100;

/** A `kind: DaemonSet` line (its `kind` key at group 1's end). */
const KIND_DAEMONSET_RE = /^([ \t]*)kind:[ \t]*(["']?)DaemonSet\2[ \t]*(?:#.*)?\r?$/gm;
/** An `apiVersion:` key, alone or as a list item's first key (`- apiVersion:` in a List). */
const API_VERSION_RE = /^([ \t]*(?:-[ \t]+)?)apiVersion:/gm;

/**
 * The `kind: DaemonSet` keys of a template that YAML cannot read before it is rendered, as nearly every
 * chart's (`{{- include "fluent-bit.labels" . | nindent 4 }}`, `{{- with .Values.tolerations }}` lines
 * stand where YAML wants keys): DaemonSets the model holds no object for. Absolute spans.
 */
export function unreadableTemplateDaemonSets(model: DocumentModel): Span[] {
  const out: Span[] = [];
  for (const { base, chunk } of model.chunks) {
    if (!chunk.templated) continue;
    const read = model.objects.filter((o) => o.base === base).map((o) => o.node.range).filter((r) => !!r);
    // A manifest in a block scalar (a ConfigMap's `ds.yaml: |`) is text, whatever it says.
    const bodies = blockScalarBodies(chunk.text);
    const inBody = (at: number) => bodies.some(([from, to]) => from <= at && at < to);
    // An object's `kind` stands at the indentation of its `apiVersion`: deeper, it is text (a block scalar).
    const objectIndents = new Set(Array.from(chunk.text.matchAll(API_VERSION_RE)).filter((a) => !inBody(a.index)).map((a) => a[1].length));
    KIND_DAEMONSET_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = KIND_DAEMONSET_RE.exec(chunk.text)) !== null) {
      const at = m.index + m[1].length;
      if (!objectIndents.has(m[1].length) || inBody(at) || read.some((r) => r[0] <= at && at < r[2])) continue;
      out.push({ start: base + at, end: base + at + 'kind'.length });
    }
  }
  return out;
}

/** A line that opens a block scalar: `key: |`, `- >-`, `key: |2 # comment`. Group 1: its indentation. */
const BLOCK_HEADER_RE = /^([ \t]*)(?:-[ \t]+)?(?:[^\s#][^#\n]*?:[ \t]+)?[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;

/**
 * The [start, end) offsets of the block scalars' bodies in a template's text, line by line: after a
 * block scalar header, the blank lines and those indented deeper than the header's line.
 */
function blockScalarBodies(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const lines = text.split('\n');
  let offset = 0;
  let open: { indent: number; from: number; to: number } | undefined;
  for (const line of lines) {
    const next = offset + line.length + 1;
    const content = line.replace(/\r$/, '');
    const indent = content.length - content.trimStart().length;
    if (open) {
      if (content.trim() === '' || indent > open.indent) {
        if (content.trim() !== '') open.to = offset + line.length;
        offset = next;
        continue;
      }
      if (open.to > open.from) out.push([open.from, open.to]);
      open = undefined;
    }
    const h = BLOCK_HEADER_RE.exec(content);
    if (h) open = { indent: h[1].length, from: next, to: next };
    offset = next;
  }
  if (open && open.to > open.from) out.push([open.from, open.to]);
  return out;
}
