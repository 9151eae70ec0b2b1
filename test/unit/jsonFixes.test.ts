/**
 * Quick fixes on JSON manifests. Each fix, applied to a DaemonSet written in the layouts JSON
 * manifests come in (kubectl's 4 spaces, 2 spaces, tabs, CRLF, one toleration per line, a one-line
 * tolerations array, a minified file), must give exactly the text that layout gives the fixed object,
 * parse as JSON, change only the lines it must, and clear its diagnostic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { parseCluster } from '../../server/src/engine/cluster';
import { applyEdits } from '../../server/src/engine/edits';
import type { Fix } from '../../server/src/engine/types';

type Json = any;
type Path = ReadonlyArray<string | number>;

// --- layouts -------------------------------------------------------------------------------

interface Layout {
  name: string;
  unit: string;
  eol?: '\r\n';
  minified?: boolean;
  /** One-line objects written `{ "a": 1 }`. */
  padding?: boolean;
  /** Collections written on one line; `original` is the value before the fix. */
  inline?: (path: Path, original: Json) => boolean;
}

const at = (v: Json, path: Path): Json => path.reduce((o, k) => (o == null ? undefined : o[k]), v);
const nonEmpty = (v: Json) => Array.isArray(v) ? v.length > 0 : !!v && typeof v === 'object' && Object.keys(v).length > 0;

const LAYOUTS: Layout[] = [
  { name: 'kubectl get -o json (4 spaces)', unit: '    ' },
  { name: '2 spaces', unit: '  ' },
  { name: 'tabs', unit: '\t' },
  { name: '2 spaces, CRLF', unit: '  ', eol: '\r\n' },
  // Hand-written: each array item on one line, `{ "key": "a", "operator": "Exists" }`.
  { name: 'one item per line, padded', unit: '  ', padding: true, inline: (path) => typeof path[path.length - 1] === 'number' },
  // `"tolerations": [{"key": "a"}]` in an otherwise one-field-per-line file.
  { name: 'one-line tolerations array', unit: '  ', inline: (path, original) => path[path.length - 1] === 'tolerations' && nonEmpty(at(original, path)) },
  { name: 'minified, one line', unit: '', minified: true },
];

/** `value` written in `layout` (with `original`, the value before a fix, for layouts that depend on it). */
function write(value: Json, layout: Layout, original: Json = value): string {
  if (layout.minified) return JSON.stringify(value);
  const eol = layout.eol ?? '\n';
  const go = (v: Json, indent: string, path: Path, inline: boolean): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const arr = Array.isArray(v);
    const entries: Array<[string | number, Json]> = arr ? v.map((x: Json, i: number) => [i, x]) : Object.entries(v);
    const [open, close] = arr ? ['[', ']'] : ['{', '}'];
    if (!entries.length) return open + close;
    const one = inline || !!layout.inline?.(path, original);
    const inner = indent + layout.unit;
    const parts = entries.map(([k, x]) => (arr ? '' : JSON.stringify(k) + ': ') + go(x, inner, [...path, k], one));
    if (one) {
      const pad = !arr && layout.padding ? ' ' : '';
      return open + pad + parts.join(', ') + pad + close;
    }
    return open + eol + parts.map((p) => inner + p).join(',' + eol) + eol + indent + close;
  };
  return go(value, '', [], false) + eol;
}

// --- what a fix may change -------------------------------------------------------------------

/** The lines of `a` not kept in `b` and the lines of `b` that are new (a longest common subsequence). */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) (i++, j++);
    else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) added.push(b[j++]);
    else removed.push(a[i++]);
  }
  return { removed, added };
}

/**
 * How a fix may touch the original lines. `append`: items or entries go on new lines (or, on a
 * one-line collection, into its line); the only original lines that change are those that get the
 * comma before the new text. `fill`: the one line holding `[]`, `{}` or `null` opens onto new lines.
 * `replace`: one value changes on its line. `remove`: lines go; at most one line changes (a comma or
 * `[]` left behind).
 */
type Change = 'append' | 'fill' | 'replace' | 'remove';

function assertOnlyNeededLines(before: string, after: string, fix: Fix, change: Change): void {
  const { removed, added } = lineDiff(before, after);
  // Each edit changes at most the one original line it starts on.
  const edits = fix.edits.length;
  const lines = `changed ${JSON.stringify(removed)} into ${JSON.stringify(added)}`;
  switch (change) {
    case 'append':
      assert.ok(removed.length <= edits, lines);
      // After an item laid out on lines of its own, the new ones are new lines: its closing line only gets a comma.
      for (const l of removed) {
        if (/^\s*[}\]]$/.test(l)) assert.ok(added.includes(l + ','), `only a comma is added to ${JSON.stringify(l)}: ${lines}`);
      }
      break;
    case 'fill':
      assert.equal(removed.length, 1, lines);
      if (before.includes('\n')) assert.match(removed[0], /(\[\]|\{\}|null),?$/, lines);
      break;
    case 'replace':
      assert.equal(removed.length, edits, lines);
      assert.equal(added.length, edits, lines);
      break;
    case 'remove':
      assert.ok(added.length <= 1, lines);
      break;
  }
}

// --- scenarios -----------------------------------------------------------------------------------

const IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';

/** A log shipper (a node agent: it mounts /var/log), as in the fluent-bit Helm chart. */
function fluentBit(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'fluent-bit', namespace: 'logging', labels: { 'app.kubernetes.io/name': 'fluent-bit' } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'fluent-bit' } },
        spec: {
          serviceAccountName: 'fluent-bit',
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' }],
          containers: [{
            name: 'fluent-bit',
            image: IMAGE,
            ports: [{ name: 'http', containerPort: 2020, protocol: 'TCP' }],
            volumeMounts: [{ name: 'varlog', mountPath: '/var/log', readOnly: true }],
          }],
          volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
        },
      },
    },
  };
}

/** One GPU node, tainted as the NVIDIA GPU operator taints them. */
const GPU_CLUSTER = parseCluster(parseDocument('cluster.yaml', `apiVersion: v1
kind: Node
metadata:
  name: gpu-1
  labels: {kubernetes.io/os: linux, nvidia.com/gpu.present: "true"}
spec:
  taints:
  - {key: nvidia.com/gpu, value: present, effect: NoSchedule}
`));

const CP = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };
const MASTER = { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' };
const GPU = { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' };

interface Scenario {
  name: string;
  code: string;
  title: string;
  change: Change;
  /** The DaemonSet before the fix (changed from fluentBit()). */
  before: (ds: Json) => void;
  /** What the fix does to it. */
  fix: (ds: Json) => void;
  options?: ValidateOptions;
}

const podSpec = (ds: Json) => ds.spec.template.spec;
const ADD_BOTH = 'Add both control-plane tolerations (control-plane and legacy master)';
const V124 = { kubernetesVersion: '1.24' };

const SCENARIOS: Scenario[] = [
  {
    name: 'control-plane tolerations after an existing one', code: 'missing-control-plane-toleration', title: ADD_BOTH, change: 'append', options: V124,
    before: () => {}, fix: (ds) => podSpec(ds).tolerations.push(CP, MASTER),
  },
  {
    name: 'control-plane tolerations into "tolerations": []', code: 'missing-control-plane-toleration', title: ADD_BOTH, change: 'fill', options: V124,
    before: (ds) => { podSpec(ds).tolerations = []; }, fix: (ds) => podSpec(ds).tolerations.push(CP, MASTER),
  },
  {
    name: 'control-plane tolerations without a tolerations key', code: 'missing-control-plane-toleration', title: ADD_BOTH, change: 'append', options: V124,
    before: (ds) => { delete podSpec(ds).tolerations; }, fix: (ds) => { podSpec(ds).tolerations = [CP, MASTER]; },
  },
  {
    name: 'control-plane tolerations into "tolerations": null', code: 'missing-control-plane-toleration', title: ADD_BOTH, change: 'fill', options: V124,
    before: (ds) => { podSpec(ds).tolerations = null; }, fix: (ds) => { podSpec(ds).tolerations = [CP, MASTER]; },
  },
  {
    name: 'the control-plane toleration alone (1.35 target)', code: 'missing-control-plane-toleration', title: 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule', change: 'append',
    before: () => {}, fix: (ds) => podSpec(ds).tolerations.push(CP),
  },
  {
    name: 'a toleration for a taint of the cluster file', code: 'untolerated-taint', title: 'Add toleration nvidia.com/gpu=present:NoSchedule', change: 'append', options: { cluster: GPU_CLUSTER },
    before: () => {}, fix: (ds) => podSpec(ds).tolerations.push(GPU),
  },
  {
    name: 'a missing toleration value', code: 'toleration-matches-no-taint', title: 'Change value to present', change: 'append', options: { cluster: GPU_CLUSTER },
    before: (ds) => { podSpec(ds).tolerations = [{ key: 'nvidia.com/gpu', operator: 'Equal', effect: 'NoSchedule' }]; },
    fix: (ds) => { podSpec(ds).tolerations[0].value = 'present'; },
  },
  {
    name: 'operator Exists for an empty key', code: 'toleration-operator', title: 'Set operator: Exists (tolerate every taint)', change: 'append',
    before: (ds) => podSpec(ds).tolerations.push({ key: '', effect: 'NoExecute' }),
    fix: (ds) => { podSpec(ds).tolerations[1].operator = 'Exists'; },
  },
  {
    name: 'a selector label missing from the template', code: 'selector-matches-labels', title: 'Make the template labels match the selector', change: 'append',
    before: (ds) => { ds.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'logging'; },
    fix: (ds) => { ds.spec.template.metadata.labels['app.kubernetes.io/instance'] = 'logging'; },
  },
  {
    name: 'template labels from the selector, no template metadata', code: 'selector-matches-labels', title: 'Make the template labels match the selector', change: 'append',
    before: (ds) => { delete ds.spec.template.metadata; },
    fix: (ds) => { ds.spec.template.metadata = { labels: { 'app.kubernetes.io/name': 'fluent-bit' } }; },
  },
  {
    name: 'template labels from the selector into "labels": {}', code: 'selector-matches-labels', title: 'Make the template labels match the selector', change: 'fill',
    before: (ds) => { ds.spec.template.metadata.labels = {}; },
    fix: (ds) => { ds.spec.template.metadata.labels = { 'app.kubernetes.io/name': 'fluent-bit' }; },
  },
  {
    name: 'template labels from the selector into "labels": null', code: 'selector-matches-labels', title: 'Make the template labels match the selector', change: 'fill',
    before: (ds) => { ds.spec.template.metadata.labels = null; },
    fix: (ds) => { ds.spec.template.metadata.labels = { 'app.kubernetes.io/name': 'fluent-bit' }; },
  },
  {
    name: 'apps/v1 and spec.selector for an extensions/v1beta1 DaemonSet', code: 'removed-api-version', title: 'Use apiVersion apps/v1 and add spec.selector from the template labels', change: 'append',
    before: (ds) => { ds.apiVersion = 'extensions/v1beta1'; delete ds.spec.selector; },
    fix: (ds) => { ds.apiVersion = 'apps/v1'; ds.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } }; },
  },
  {
    name: 'maxUnavailable: 0 beside maxSurge', code: 'rolling-update-values', title: 'Set maxUnavailable: 0 (surge new pods instead of taking old ones down first)', change: 'append',
    before: (ds) => { ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }; },
    fix: (ds) => { ds.spec.updateStrategy.rollingUpdate.maxUnavailable = 0; },
  },
  {
    name: 'restartPolicy Always', code: 'restart-policy-always', title: 'Set restartPolicy: Always', change: 'replace',
    before: (ds) => { podSpec(ds).restartPolicy = 'OnFailure'; }, fix: (ds) => { podSpec(ds).restartPolicy = 'Always'; },
  },
  {
    name: 'a misspelt update strategy type', code: 'update-strategy', title: 'Set type: RollingUpdate', change: 'replace',
    before: (ds) => { ds.spec.updateStrategy = { type: 'RollingUpdat' }; }, fix: (ds) => { ds.spec.updateStrategy.type = 'RollingUpdate'; },
  },
  {
    name: 'a name that is not a DNS subdomain', code: 'metadata-name', title: 'Rename to fluent-bit', change: 'replace',
    before: (ds) => { ds.metadata.name = 'Fluent_Bit'; }, fix: (ds) => { ds.metadata.name = 'fluent-bit'; },
  },
  {
    name: 'ephemeralContainers, the last entry of the pod spec', code: 'ephemeral-containers', title: 'Remove ephemeralContainers', change: 'remove',
    before: (ds) => { podSpec(ds).ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36' }]; }, fix: (ds) => { delete podSpec(ds).ephemeralContainers; },
  },
  {
    name: 'ephemeralContainers, the first entry of the pod spec', code: 'ephemeral-containers', title: 'Remove ephemeralContainers', change: 'remove',
    before: (ds) => { ds.spec.template.spec = { ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36' }], ...podSpec(ds) }; },
    fix: (ds) => { delete podSpec(ds).ephemeralContainers; },
  },
  {
    name: 'activeDeadlineSeconds, the first entry of the pod spec', code: 'active-deadline-seconds', title: 'Remove activeDeadlineSeconds', change: 'remove',
    before: (ds) => { ds.spec.template.spec = { activeDeadlineSeconds: 3600, ...podSpec(ds) }; }, fix: (ds) => { delete podSpec(ds).activeDeadlineSeconds; },
  },
  {
    name: 'the only toleration, which matches no taint', code: 'toleration-matches-no-taint', title: 'Remove this toleration', change: 'remove', options: { cluster: GPU_CLUSTER },
    before: () => {}, fix: (ds) => { podSpec(ds).tolerations = []; },
  },
];

for (const s of SCENARIOS) {
  for (const layout of LAYOUTS) {
    test(`JSON fix, ${layout.name}: ${s.name}`, () => {
      const original = fluentBit();
      s.before(original);
      const expected = structuredClone(original);
      s.fix(expected);
      const text = write(original, layout);
      const options = { kubernetesVersion: '1.35', ...s.options };
      const findings = validate(parseDocument('fluent-bit.json', text), options).filter((f) => f.code === s.code);
      assert.equal(findings.length, 1, `one ${s.code} finding`);
      assert.ok(!findings[0].fixes?.some((x) => x.title.startsWith('Disable ')), 'JSON has no comments to disable a rule with');
      const fix = findings[0].fixes?.find((x) => x.title === s.title);
      assert.ok(fix, `fix "${s.title}" among ${JSON.stringify(findings[0].fixes?.map((x) => x.title))}`);
      const after = applyEdits(text, fix.edits);
      assert.deepEqual(JSON.parse(after), expected);
      assert.equal(after, write(expected, layout, original));
      assertOnlyNeededLines(text, after, fix, s.change);
      assert.equal(validate(parseDocument('fluent-bit.json', after), options).filter((f) => f.code === s.code).length, 0, 'the diagnostic is gone');
    });
  }
}

// --- the same, spelt out -------------------------------------------------------------------------

/** The fix titled `title` of the one `code` finding of a JSON file. */
function fixOf(text: string, code: string, title: string, options: ValidateOptions = {}): Fix {
  const f = validate(parseDocument('ds.json', text), options).filter((x) => x.code === code);
  assert.equal(f.length, 1);
  const fix = f[0].fixes?.find((x) => x.title === title);
  assert.ok(fix, title);
  return fix;
}

const NODE_EXPORTER = `{
  "apiVersion": "apps/v1",
  "kind": "DaemonSet",
  "metadata": {
    "name": "node-exporter",
    "namespace": "monitoring"
  },
  "spec": {
    "selector": {
      "matchLabels": {
        "app": "node-exporter"
      }
    },
    "template": {
      "metadata": {
        "labels": {
          "app": "node-exporter"
        }
      },
      "spec": {
        "hostPID": true,
        "tolerations": [
          {
            "key": "dedicated",
            "operator": "Exists"
          }
        ],
        "containers": [
          {
            "name": "node-exporter",
            "image": "quay.io/prometheus/node-exporter:v1.8.2",
            "args": ["--path.rootfs=/host"]
          }
        ],
        "volumes": [
          {
            "name": "root",
            "hostPath": {
              "path": "/"
            }
          }
        ]
      }
    }
  }
}
`;

test('JSON: a toleration goes on lines of its own, one field per line, like the one before it', () => {
  const after = applyEdits(NODE_EXPORTER, fixOf(NODE_EXPORTER, 'missing-control-plane-toleration', 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').edits);
  assert.equal(after, NODE_EXPORTER.replace(`            "operator": "Exists"
          }
        ],`, `            "operator": "Exists"
          },
          {
            "key": "node-role.kubernetes.io/control-plane",
            "operator": "Exists",
            "effect": "NoSchedule"
          }
        ],`));
});

test('JSON: tolerations written one per line get a new line in that style, padding kept', () => {
  const text = NODE_EXPORTER.replace(/"tolerations": \[\n {10}\{\n {12}"key": "dedicated",\n {12}"operator": "Exists"\n {10}\}\n/,
    '"tolerations": [\n          { "key": "dedicated", "operator": "Exists" },\n          { "key": "example.com/gpu", "operator": "Exists", "effect": "NoSchedule" }\n');
  assert.notEqual(text, NODE_EXPORTER);
  const after = applyEdits(text, fixOf(text, 'missing-control-plane-toleration', ADD_BOTH).edits);
  assert.equal(after, text.replace(
    '          { "key": "example.com/gpu", "operator": "Exists", "effect": "NoSchedule" }\n',
    '          { "key": "example.com/gpu", "operator": "Exists", "effect": "NoSchedule" },\n' +
    '          { "key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule" },\n' +
    '          { "key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule" }\n',
  ));
});

test('JSON: a one-line tolerations array stays on one line', () => {
  const text = NODE_EXPORTER.replace(/"tolerations": \[[^\]]*\]/, '"tolerations": [{"key": "dedicated", "operator": "Exists"}]');
  const after = applyEdits(text, fixOf(text, 'missing-control-plane-toleration', 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').edits);
  assert.equal(after, text.replace('"tolerations": [{"key": "dedicated", "operator": "Exists"}]',
    '"tolerations": [{"key": "dedicated", "operator": "Exists"}, {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]'));
});

test('JSON: an empty array opens onto lines at the indentation of its key, tabs and CRLF kept', () => {
  const tabs = NODE_EXPORTER.replace(/"tolerations": \[[^\]]*\]/, '"tolerations": []').replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)).replace(/\n/g, '\r\n');
  const after = applyEdits(tabs, fixOf(tabs, 'missing-control-plane-toleration', 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').edits);
  assert.equal(after, tabs.replace('\t\t\t\t"tolerations": [],\r\n',
    '\t\t\t\t"tolerations": [\r\n\t\t\t\t\t{\r\n\t\t\t\t\t\t"key": "node-role.kubernetes.io/control-plane",\r\n\t\t\t\t\t\t"operator": "Exists",\r\n\t\t\t\t\t\t"effect": "NoSchedule"\r\n\t\t\t\t\t}\r\n\t\t\t\t],\r\n'));
});

test('JSON: a missing tolerations key is added after the last field of the pod spec, 4 spaces kept', () => {
  const four = NODE_EXPORTER.replace(/ *"tolerations": \[[^\]]*\],\n/, '').replace(/^ +/gm, (m) => m + m);
  const after = applyEdits(four, fixOf(four, 'missing-control-plane-toleration', 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').edits);
  assert.equal(after, four.replace(`                    }
                ]
            }
        }
    }
}`, `                    }
                ],
                "tolerations": [
                    {
                        "key": "node-role.kubernetes.io/control-plane",
                        "operator": "Exists",
                        "effect": "NoSchedule"
                    }
                ]
            }
        }
    }
}`));
});

test('JSON: a minified file stays minified', () => {
  const min = JSON.stringify(JSON.parse(NODE_EXPORTER));
  const after = applyEdits(min, fixOf(min, 'missing-control-plane-toleration', 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').edits);
  assert.equal(after, min.replace('"tolerations":[{"key":"dedicated","operator":"Exists"}]',
    '"tolerations":[{"key":"dedicated","operator":"Exists"},{"key":"node-role.kubernetes.io/control-plane","operator":"Exists","effect":"NoSchedule"}]'));
});

test('JSON: a DaemonSet inside a List gets its toleration at the depth of its own items', () => {
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'fluent-bit' } }, fluentBit()] }, null, 2) + '\n';
  const after = applyEdits(list, fixOf(list, 'missing-control-plane-toleration', 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').edits);
  const expected = JSON.parse(list);
  expected.items[1].spec.template.spec.tolerations.push(CP);
  assert.equal(after, JSON.stringify(expected, null, 2) + '\n');
});
