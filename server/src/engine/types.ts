/** Plain data shared by every part of the engine. Offsets are UTF-16 offsets into the file text. */

/** A half-open range of offsets into the file text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A path inside a Kubernetes object, as segments: ['spec', 'template', 'spec', 'tolerations', 0]. */
export type FieldPath = ReadonlyArray<string | number>;

/** A text edit expressed in offsets. */
export interface TextEdit {
  span: Span;
  newText: string;
}

/** A fix that a rule already computed: the quick fix only has to apply the edits. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The preferred fix is offered first and used by "auto fix". */
  isPreferred?: boolean;
}

/** One problem found in a file. */
export interface Finding {
  /** Stable kebab-case rule id; becomes the LSP diagnostic `code`. */
  code: string;
  severity: Severity;
  message: string;
  /** Kubernetes field path as the API server reports it (`spec.template.spec.tolerations[0].operator`). */
  path: string;
  span: Span;
  /** Ready-made fixes; a quick fix needs nothing else. */
  fixes?: Fix[];
  /** Extra machine-readable data for adapters (for example the nodes a rule names). */
  data?: Record<string, unknown>;
  /** Marks unnecessary code (faded) in editors that support it. */
  unnecessary?: boolean;
}

/** Formats a field path the way the API server does: `spec.containers[0].name`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}
