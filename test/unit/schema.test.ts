import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, type ManifestObject } from '../../server/src/engine/model';
import { closestName, editDistance, findingsFromValidator, schemaFindings } from '../../server/src/engine/schema';
import { compileSchema } from '../../server/src/engine/schemaCompile';
import { validate } from '../../server/src/engine/validate';
import type { Finding } from '../../server/src/engine/types';
import { generate } from '../../scripts/generate-schema.mjs';
import { generateValidator } from '../../scripts/generate-validator';
import { seededRandom } from '../random';

const ROOT = join(__dirname, '..', '..');
const SCHEMA_FILE = join(ROOT, 'schemas', 'daemonset.schema.json');

/** A node-exporter DaemonSet as people write it; every schema test starts from it. */
const NODE_EXPORTER = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  labels:
    app.kubernetes.io/name: node-exporter
    app.kubernetes.io/version: "1.8.2"
  annotations:
    creationTimestamp:
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: node-exporter
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 10%
  revisionHistoryLimit: 5
  template:
    metadata:
      labels:
        app.kubernetes.io/name: node-exporter
      annotations:
        prometheus.io/scrape: "true"
    spec:
      hostNetwork: true
      hostPID: true
      priorityClassName: system-node-critical
      serviceAccountName: node-exporter
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
      tolerations:
      - operator: Exists
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        args:
        - --path.rootfs=/host
        ports:
        - name: metrics
          containerPort: 9100
          hostPort: 9100
        resources:
          requests:
            cpu: 100m
            memory: 30Mi
          limits:
            cpu: 0.5
            memory: 64Mi
        readinessProbe:
          httpGet:
            path: /
            port: metrics
        volumeMounts:
        - name: root
          mountPath: /host
          readOnly: true
          mountPropagation: HostToContainer
      volumes:
      - name: root
        hostPath:
          path: /
`;

function ds(text: string, partial = false): ManifestObject {
  const m = parseDocument('ds.yaml', text, undefined, undefined, { partial });
  assert.equal(m.findings.filter((f) => f.severity === 'error').length, 0, 'the test YAML parses');
  assert.equal(m.daemonSets.length, 1);
  return m.daemonSets[0];
}

function check(text: string, partial = false): Finding[] {
  return schemaFindings(ds(text, partial));
}

function spanText(text: string, f: Finding): string {
  return text.slice(f.span.start, f.span.end);
}

function applyFix(text: string, f: Finding): string {
  const edits = [...(f.fixes?.[0]?.edits ?? [])].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

test('the committed schema is byte-identical to what the generator produces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsl-schema-'));
  try {
    const out = join(dir, 'daemonset.schema.json');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'generate-schema.mjs'), '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readFileSync(out).equals(readFileSync(SCHEMA_FILE)), 'schemas/daemonset.schema.json is stale: run npm run schemas');
    // A second run gives the same bytes.
    const again = spawnSync(process.execPath, [join(ROOT, 'scripts', 'generate-schema.mjs'), '--out', out, '--check'], { encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed validator is the code ajv generates for the committed schema', () => {
  const committed = readFileSync(join(ROOT, 'schemas', 'daemonset.validator.js'), 'utf8');
  assert.ok(committed === generateValidator(), 'schemas/daemonset.validator.js is stale: run npm run schemas');
  // Self-contained but for the schema it points into: nothing of ajv is loaded at run time.
  assert.deepEqual([...committed.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]), ['./daemonset.schema.json']);
});

test('the generated validator finds what ajv compiling the schema finds, over real and broken DaemonSets', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;
  const compiled = compileSchema(schema);
  const files = ['test/fixtures/corpus', 'test/fixtures/invalid', 'test/fixtures/lsp', 'examples'].flatMap((dir) =>
    readdirSync(join(ROOT, dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(ROOT, dir, f)),
  );
  // Values of another type and misspelt keys, on the lines that hold `key: value`.
  const wrong = ['true', '"text"', 'Bogus', '12', '-3', '1.5', '[]', '{}', 'null', '99999999999', '[a, 1]', '{a: 1}'];
  const random = seededRandom(1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const mutate = (text: string): string => {
    const lines = text.split('\n');
    const scalars = lines.flatMap((l, i) => (/^\s*(- )?[A-Za-z][\w.-]*: \S/.test(l) ? [i] : []));
    for (let k = 0; k < 3 && scalars.length; k++) {
      const i = pick(scalars);
      lines[i] = random() < 0.7 ? lines[i].replace(/^(\s*(?:- )?[A-Za-z][\w.-]*: ).*$/, `$1${pick(wrong)}`) : lines[i].replace(/^(\s*(?:- )?[A-Za-z][\w.-]*)/, '$1x');
    }
    return lines.join('\n');
  };
  let documents = 0;
  let findings = 0;
  const codes = new Set<string>();
  for (const file of files) {
    const original = readFileSync(file, 'utf8');
    const variants = [original, ...(file.endsWith('.json') ? [] : Array.from({ length: 12 }, () => mutate(original)))];
    for (const text of variants) {
      for (const d of parseDocument(file, text).daemonSets) {
        const generated = schemaFindings(d);
        assert.deepEqual(generated, findingsFromValidator(d, compiled, schema), `${file}:\n${text}`);
        documents++;
        findings += generated.length;
        for (const f of generated) codes.add(f.code);
      }
    }
  }
  // The comparison covers errors of every kind, not only valid manifests.
  assert.ok(documents > 300, `${documents} DaemonSets`);
  assert.ok(findings > 300, `${findings} findings`);
  assert.deepEqual([...codes].sort(), ['invalid-type', 'missing-required-field', 'unknown-field']);
});

test('the generated schema is self-contained and smooths over OpenAPI quirks', () => {
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  const schema = JSON.parse(text) as { $ref: string; definitions: Record<string, Record<string, unknown>> };
  const refs = [...text.matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 100);
  for (const ref of refs) {
    assert.match(ref, /^#\/definitions\//);
    assert.ok(schema.definitions[ref.slice('#/definitions/'.length)], `${ref} resolves`);
  }
  assert.equal(schema.$ref, '#/definitions/io.k8s.api.apps.v1.DaemonSet');
  assert.doesNotMatch(text, /"(allOf|oneOf|anyOf)"|x-kubernetes|components\/schemas/);
  const d = schema.definitions;
  assert.deepEqual(d['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, ['integer', 'string']);
  assert.deepEqual(d['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, ['string', 'number']);
  assert.equal(d['io.k8s.api.apps.v1.DaemonSetSpec'].additionalProperties, false);
  assert.deepEqual(d['io.k8s.api.apps.v1.DaemonSetSpec'].required, ['selector', 'template']);
  const meta = d['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] as { properties: Record<string, { additionalProperties: unknown }> };
  assert.deepEqual(meta.properties.labels.additionalProperties, { default: '', type: 'string' });
  // Only what a DaemonSet can reach: no Deployment, no Service.
  assert.equal(d['io.k8s.api.apps.v1.Deployment'], undefined);
  assert.equal(d['io.k8s.api.core.v1.ServiceSpec'], undefined);
  assert.ok(d['io.k8s.api.core.v1.Toleration']);
});

test('the generator handles the OpenAPI quirks and keeps only reachable definitions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsl-spec-'));
  const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` });
  const apps = {
    'io.k8s.api.apps.v1.DaemonSet': {
      type: 'object',
      properties: {
        spec: { allOf: [ref('Spec')], default: {}, description: 'the spec' },
        'x-ignored': { type: 'string' },
      },
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'DaemonSet', version: 'v1' }],
    },
    Spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: ref('IntOrString'),
        surge: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
        note: { type: 'string', nullable: true },
        labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
        items: { type: 'array', items: { allOf: [ref('Item')], default: {} }, 'x-kubernetes-list-type': 'atomic' },
      },
    },
    IntOrString: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
    Item: { type: 'object', properties: { name: { type: 'string' } } },
    Unreachable: { type: 'object', properties: { x: { type: 'string' } } },
  };
  try {
    writeFileSync(join(dir, 'apis__apps__v1_openapi.json'), JSON.stringify({ openapi: '3.0.0', components: { schemas: apps } }));
    writeFileSync(join(dir, 'api__v1_openapi.json'), JSON.stringify({ openapi: '3.0.0', components: { schemas: { Item: apps.Item } } }));
    const text = generate(dir);
    assert.equal(generate(dir), text, 'deterministic');
    const out = JSON.parse(text) as { definitions: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(out.definitions), ['IntOrString', 'Item', 'Spec', 'io.k8s.api.apps.v1.DaemonSet']);
    assert.deepEqual(out.definitions['io.k8s.api.apps.v1.DaemonSet'], {
      additionalProperties: false,
      properties: { 'x-ignored': { type: 'string' }, spec: { $ref: '#/definitions/Spec', default: {}, description: 'the spec' } },
      type: 'object',
    });
    assert.deepEqual(out.definitions.IntOrString, { format: 'int-or-string', type: ['integer', 'string'] });
    const spec = out.definitions.Spec as { properties: Record<string, unknown>; additionalProperties: unknown; required: string[] };
    assert.equal(spec.additionalProperties, false);
    assert.deepEqual(spec.required, ['size']);
    assert.deepEqual(spec.properties.surge, { type: ['integer', 'string'] });
    assert.deepEqual(spec.properties.extra, { properties: { a: { type: 'string' } }, type: 'object' });
    assert.deepEqual(spec.properties.note, { type: ['string', 'null'] });
    assert.deepEqual(spec.properties.labels, { additionalProperties: { default: '', type: 'string' }, type: 'object' });
    assert.deepEqual(spec.properties.items, { items: { $ref: '#/definitions/Item', default: {} }, type: 'array' });
    // The same name defined differently in the two specs is an error, not a silent pick.
    writeFileSync(join(dir, 'api__v1_openapi.json'), JSON.stringify({ openapi: '3.0.0', components: { schemas: { Item: { type: 'string' } } } }));
    assert.throws(() => generate(dir), /Item is defined differently/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a realistic DaemonSet has no schema findings (IntOrString, Quantity, empty values)', () => {
  assert.deepEqual(check(NODE_EXPORTER), []);
});

test('unknown field: reported on the key with a suggestion and a rename fix', () => {
  const text = NODE_EXPORTER.replace('      tolerations:\n', '      tolerationz:\n');
  const f = check(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'unknown-field');
  assert.equal(f[0].path, 'spec.template.spec.tolerationz');
  assert.equal(f[0].message, 'Unknown field `tolerationz` in `spec.template.spec`: did you mean `tolerations`?');
  assert.equal(spanText(text, f[0]), 'tolerationz');
  assert.equal(f[0].span.start, text.indexOf('tolerationz'));
  assert.equal(f[0].fixes?.[0].title, 'Rename to `tolerations`');
  assert.deepEqual(check(applyFix(text, f[0])), []);
});

test('unknown field: case slips, quoted keys and nothing close', () => {
  const text = NODE_EXPORTER
    .replace('        image: quay', '        Image: quay')
    .replace('      hostPID: true\n', '      "hostPId": true\n      flavour: large\n');
  const f = check(text);
  assert.deepEqual(f.map((x) => [x.code, x.path, spanText(text, x)]), [
    ['unknown-field', 'spec.template.spec.hostPId', '"hostPId"'],
    ['unknown-field', 'spec.template.spec.flavour', 'flavour'],
    ['unknown-field', 'spec.template.spec.containers[0].Image', 'Image'],
  ]);
  assert.equal(f[0].fixes?.[0].edits[0].newText, '"hostPID"');
  assert.equal(f[1].message, 'Unknown field `flavour` in `spec.template.spec`; the API server rejects unknown fields.');
  assert.equal(f[1].fixes, undefined);
  assert.equal(f[2].message, 'Unknown field `Image` in `spec.template.spec.containers[0]`: did you mean `image`?');
});

test('unknown field: a field at the wrong level says where it belongs', () => {
  const text = NODE_EXPORTER
    .replace('  updateStrategy:\n', '  tolerations:\n  - operator: Exists\n  updateStrategy:\n')
    .replace('        readinessProbe:\n', '        nodeSelector:\n          kubernetes.io/os: linux\n        readinessProbe:\n');
  const f = check(text);
  assert.deepEqual(f.map((x) => [x.path, spanText(text, x), x.message, x.data]), [
    ['spec.tolerations', 'tolerations', 'Unknown field `tolerations` in `spec`: it belongs in `spec.template.spec`.', { belongsIn: 'spec.template.spec' }],
    ['spec.template.spec.containers[0].nodeSelector', 'nodeSelector', 'Unknown field `nodeSelector` in `spec.template.spec.containers[0]`: it belongs in `spec.template.spec`.', { belongsIn: 'spec.template.spec' }],
  ]);
  assert.equal(f[0].fixes, undefined);
});

test('unknown top-level field', () => {
  const text = NODE_EXPORTER.replace('kind: DaemonSet\n', 'kind: DaemonSet\nspc: {}\n');
  const f = check(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].message, 'Unknown field `spc` in a DaemonSet: did you mean `spec`?');
  assert.equal(f[0].path, 'spc');
});

test('wrong type: reported on the value, in plain words', () => {
  const text = NODE_EXPORTER.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: five');
  const f = check(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'invalid-type');
  assert.equal(f[0].path, 'spec.revisionHistoryLimit');
  assert.equal(f[0].message, 'Expected an integer, got a string.');
  assert.equal(spanText(text, f[0]), 'five');
  assert.equal(f[0].fixes, undefined);
});

test('wrong type: quoted numbers and unquoted label values get a fix', () => {
  const text = NODE_EXPORTER
    .replace('containerPort: 9100', 'containerPort: "9100"')
    .replace('app.kubernetes.io/version: "1.8.2"', 'app.kubernetes.io/version: 1.10');
  const f = check(text);
  assert.deepEqual(f.map((x) => [x.path, spanText(text, x), x.message]), [
    ['metadata.labels[app.kubernetes.io/version]', '1.10', 'Expected a string, got a number. Quote it to make it a string: "1.10".'],
    ['spec.template.spec.containers[0].ports[0].containerPort', '"9100"', 'Expected an integer, got a string. Remove the quotes to make it a number.'],
  ]);
  let fixed = text;
  for (const x of [...f].reverse()) fixed = applyFix(fixed, x);
  assert.deepEqual(check(fixed), []);
});

test('wrong type: a quoted number with a leading 0 is octal once unquoted, and says so', () => {
  // kubectl reads a plain 0100 as go-yaml v2 does: octal, 64 (engine/goYamlNumber.ts).
  const text = NODE_EXPORTER.replace('containerPort: 9100', 'containerPort: "0100"');
  const f = check(text);
  assert.deepEqual(f.map((x) => [x.path, spanText(text, x), x.message, x.fixes?.map((fx) => [fx.title, !!fx.isPreferred])]), [
    ['spec.template.spec.containers[0].ports[0].containerPort', '"0100"', 'Expected an integer, got a string. Remove the quotes to make it a number: unquoted, kubectl reads 0100 as octal, 64.', [['Remove the quotes: 0100 (octal, 64)', false]]],
  ]);
  // No leading zero that octal reads differently (`08` is decimal to go-yaml): the plain fix.
  const decimal = NODE_EXPORTER.replace('containerPort: 9100', 'containerPort: "08"');
  assert.deepEqual(check(decimal).map((x) => [x.message, x.fixes?.map((fx) => fx.title)]), [
    ['Expected an integer, got a string. Remove the quotes to make it a number.', ['Remove the quotes: 08']],
  ]);
});

test('wrong type: IntOrString, Quantity, lists and mappings', () => {
  const text = NODE_EXPORTER
    .replace('maxUnavailable: 10%', 'maxUnavailable: true')
    .replace('memory: 64Mi', 'memory: [64Mi]')
    .replace('      - --path.rootfs=/host', '        path: /host');
  const f = check(text);
  assert.deepEqual(f.map((x) => [x.path, spanText(text, x), x.message]), [
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'true', 'Expected an integer or a string, got a boolean (true or false).'],
    ['spec.template.spec.containers[0].args', 'args', 'Expected a list, got a mapping (key: value fields).'],
    ['spec.template.spec.containers[0].resources.limits[memory]', '[64Mi]', 'Expected a string or a number, got a list.'],
  ]);
});

test('a wrong type is reported once, by the schema, and integers get the quote fix too', () => {
  const text = NODE_EXPORTER
    .replace('      hostNetwork: true\n', '      hostNetwork: true\n      restartPolicy: 1\n')
    .replace('app.kubernetes.io/version: "1.8.2"', 'app.kubernetes.io/version: 2');
  const all = validate(parseDocument('ds.yaml', text));
  assert.deepEqual(all.filter((f) => f.severity === 'error').map((f) => [f.code, f.path, spanText(text, f)]), [
    ['invalid-type', 'metadata.labels[app.kubernetes.io/version]', '2'],
    ['invalid-type', 'spec.template.spec.restartPolicy', '1'],
  ]);
  assert.equal(all[0].fixes?.[0].edits[0].newText, '"2"');
  const emptyPolicy = NODE_EXPORTER.replace('      hostNetwork: true\n', '      hostNetwork: true\n      restartPolicy: ""\n');
  assert.deepEqual(validate(parseDocument('ds.yaml', emptyPolicy)).filter((f) => f.severity === 'error'), []);
});

test('int32 fields reject values the API server cannot decode', () => {
  const text = NODE_EXPORTER.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 3000000000');
  const f = check(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'invalid-type');
  assert.equal(f[0].message, 'Expected a 32-bit integer (from -2147483648 to 2147483647), got 3000000000.');
  assert.equal(spanText(text, f[0]), '3000000000');
});

test('missing required field: reported on the parent key with the full path', () => {
  const text = NODE_EXPORTER.replace('        hostPath:\n          path: /\n', '        nfs:\n          path: /\n');
  const f = check(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'missing-required-field');
  assert.equal(f[0].path, 'spec.template.spec.volumes[0].nfs.server');
  assert.equal(f[0].message, 'Missing required field `server`.');
  const nfsKey = text.indexOf('nfs:');
  assert.deepEqual(f[0].span, { start: nfsKey, end: nfsKey + 'nfs'.length });
});

test('required fields that rules report in upstream words, or whose zero value is valid, stay silent', () => {
  const noContainers = NODE_EXPORTER.replace(/      containers:\n(?:        .*\n|      - .*\n)+?      volumes:/, '      volumes:');
  assert.ok(!noContainers.includes('containers:'));
  assert.deepEqual(check(noContainers), []); // containers-required
  const noName = NODE_EXPORTER.replace('      - name: node-exporter\n        image:', '      - image:');
  assert.deepEqual(check(noName), []); // container-name
  const affinity = NODE_EXPORTER.replace('      tolerations:\n', `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution: {}
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 10
          - preference:
              matchExpressions:
              - key: node-role.kubernetes.io/edge
      tolerations:
`);
  assert.deepEqual(check(affinity), []); // node-affinity; an empty preference is valid
  const withStatus = `${NODE_EXPORTER}status: {}\n`;
  assert.deepEqual(check(withStatus), []);
  const noPath = NODE_EXPORTER.replace('        hostPath:\n          path: /\n', '        hostPath:\n          type: Directory\n');
  assert.deepEqual(check(noPath), []); // volumes
  const noMountName = NODE_EXPORTER.replace('        - name: root\n          mountPath: /host\n', '        - mountPath: /host\n');
  assert.deepEqual(check(noMountName), []); // volume-mounts
});

test('missing required field in a list item: reported on the item\'s first key', () => {
  const text = NODE_EXPORTER.replace('      volumes:\n', '      resourceClaims:\n      - resourceClaimName: gpu-claim\n      volumes:\n');
  const f = check(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].path, 'spec.template.spec.resourceClaims[0].name');
  assert.equal(spanText(text, f[0]), 'resourceClaimName');
  assert.equal(f[0].span.start, text.indexOf('resourceClaimName: gpu-claim'));
});

test('a field set to null counts as unset', () => {
  const text = NODE_EXPORTER.replace('      containers:\n', '      nodeSelector:\n      containers:\n');
  assert.deepEqual(check(text), []);
  const empty = NODE_EXPORTER.replace('hostPath:\n          path: /\n', 'nfs:\n          server:\n          path: /\n');
  assert.deepEqual(check(empty).map((x) => x.path), ['spec.template.spec.volumes[0].nfs.server']);
});

test('a missing selector is left to selector-matches-labels; Kustomize patches skip required fields', () => {
  const noSelector = NODE_EXPORTER.replace('  selector:\n    matchLabels:\n      app.kubernetes.io/name: node-exporter\n', '');
  assert.ok(!noSelector.includes('  selector:'));
  assert.deepEqual(check(noSelector), []);
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
spec:
  template:
    spec:
      containers:
      - name: node-exporter
        resources:
          limits:
            memory: 128Mi
`;
  const obj = ds(patch);
  assert.equal(obj.partial, true);
  assert.deepEqual(schemaFindings(obj), []);
  // The same text, not taken as a patch, misses the selector (left to the rule) and nothing else.
  assert.deepEqual(schemaFindings(ds(patch.replace('        resources:', '        image: x\n        resources:'))), []);
  // Unknown fields are still reported in patches.
  assert.deepEqual(check(patch.replace('memory: 128Mi', 'memory: 128Mi\n          mem: 1Gi'), true).map((x) => x.code), ['unknown-field']);
});

test('findings come with absolute offsets inside a multi-document file', () => {
  const text = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: node-exporter\n---\n${NODE_EXPORTER.replace('hostPID: true', 'hostPID: yes please')}`;
  const m = parseDocument('ds.yaml', text);
  const f = validate(m).filter((x) => x.code === 'invalid-type');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), 'yes please');
  assert.equal(f[0].path, 'spec.template.spec.hostPID');
});

test('enum and oneOf errors collapse to one finding per location', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
spec:
  selector: {}
  mode: Fast
  count: true
  nested:
    x: 1
`;
  const schema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      spec: {
        type: 'object',
        properties: {
          mode: { enum: ['Slow', 'Steady'] },
          count: { anyOf: [{ type: 'integer' }, { type: 'string', format: 'int32' }, { type: 'array' }] },
          nested: { oneOf: [{ type: 'object', required: ['y'] }, { type: 'object', required: ['y'] }] },
        },
      },
    },
  };
  const f = findingsFromValidator(ds(text), compileSchema(schema), schema);
  assert.deepEqual(f.map((x) => [x.code, x.path, spanText(text, x), x.message]), [
    ['invalid-enum-value', 'spec.mode', 'Fast', 'Unsupported value: "Fast": supported values: "Slow", "Steady"'],
    ['invalid-type', 'spec.count', 'true', 'Expected an integer, a string or a list, got a boolean (true or false).'],
    ['missing-required-field', 'spec.nested.y', 'nested', 'Missing required field `y`.'],
  ]);
});

test('suggestions use a small edit distance', () => {
  assert.equal(editDistance('tolerationz', 'tolerations'), 1);
  assert.equal(editDistance('contianers', 'containers'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(closestName('contianers', ['containers', 'initContainers']), 'containers');
  assert.equal(closestName('NODESELECTOR', ['nodeName', 'nodeSelector']), 'nodeSelector');
  assert.equal(closestName('img', ['image', 'imagePullPolicy']), undefined);
  assert.equal(closestName('foo', ['bar']), undefined);
});

test('odd data never throws', () => {
  for (const text of [
    'apiVersion: apps/v1\nkind: DaemonSet\nspec: 5\n',
    'apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      containers: [null, 3, {}]\n',
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {labels: {1: 2, ? [a] : b}}\n',
    'apiVersion: apps/v1\nkind: DaemonSet\nspec: {minReadySeconds: .inf}\n',
    'apiVersion: apps/v1\nkind: DaemonSet\nspec: &a\n  template: *a\n',
  ]) {
    const m = parseDocument('x.yaml', text);
    for (const d of m.daemonSets) {
      const f = schemaFindings(d);
      assert.ok(f.length > 0, text);
      for (const x of f) assert.ok(x.span.end >= x.span.start && x.span.start >= 0);
    }
  }
});
