import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';
import { keySpan, valueSpan } from '../../server/src/engine/ast';
import { nodeAt, indexObject } from '../../server/src/engine/nodeAt';
import { setMapEntries, replaceScalar } from '../../server/src/engine/edits';

// Merge keys as kubectl reads them: sigs.k8s.io/yaml → go-yaml v2 (decode.go `mapping`/`merge`).

/** A log shipper whose limits reuse its requests through an anchor, as in charts rendered by hand. */
const SHIPPER = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: logging
spec:
  selector:
    matchLabels: {app: fluent-bit}
  template:
    metadata:
      labels: {app: fluent-bit}
    spec:
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
        resources:
          requests: &r {cpu: 10m, memory: 10Mi}
          limits:
            <<: *r
            memory: 20Mi
`;

function findings(text: string) {
  return validate(parseDocument('file:///ds.yaml', text));
}

test('merge keys: a DaemonSet whose limits merge its requests is valid (the audit repro)', () => {
  assert.deepEqual(findings(SHIPPER).filter((f) => f.severity === 'error'), []);
  const ds = parseDocument('file:///ds.yaml', SHIPPER).daemonSets[0];
  const resources = (((ds.value.spec as any).template.spec.containers[0]).resources);
  assert.deepEqual(resources.limits, { cpu: '10m', memory: '20Mi' });
});

test('merge keys: the merged value is checked, and reported where its text is', () => {
  const text = SHIPPER.replace('memory: 10Mi}', 'memory: 30Mi}');
  const fs = findings(text).filter((f) => f.severity === 'error');
  assert.deepEqual(fs.map((f) => f.code), ['requests-within-limits']);
  // The request is explicit; the limit it is compared with is the explicit 20Mi.
  assert.equal(text.slice(fs[0].span.start, fs[0].span.end), '30Mi');
  const ds = parseDocument('file:///ds.yaml', text).daemonSets[0];
  const limitsCpu = ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'cpu'];
  // A merged key's span is the key in the anchored map, where the value is written.
  const k = keySpan(ds, limitsCpu)!;
  assert.equal(text.slice(k.start, k.end), 'cpu');
  assert.ok(k.start < text.indexOf('limits:'));
  const v = valueSpan(ds, limitsCpu)!;
  assert.equal(text.slice(v.start, v.end), '10m');
  // The explicit key overrides the merged one, and is the one spans point at.
  const mem = valueSpan(ds, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'])!;
  assert.equal(text.slice(mem.start, mem.end), '20Mi');
});

test('merge keys: a merged quantity that is invalid is reported once, at the anchored value', () => {
  const text = SHIPPER.replace('cpu: 10m', 'cpu: ten');
  const fs = findings(text).filter((f) => f.code === 'resource-quantities');
  assert.ok(fs.length >= 1);
  for (const f of fs) assert.ok(!f.path.includes('<<'), f.path);
  assert.ok(fs.every((f) => text.slice(f.span.start, f.span.end) === 'ten' || text.slice(f.span.start, f.span.end) === 'cpu'));
});

test('merge keys: go-yaml precedence (document order, the first map of a list wins)', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  labels:
    team: infra
    <<: [&a {tier: node, team: sre}, {tier: system, owner: ops}]
spec: {}
`;
  const obj = parseDocument('file:///ds.yaml', text).objects[0];
  // go-yaml v2 writes a merge where it stands: `team` before `<<` is overwritten by the merged one.
  assert.deepEqual((obj.value.metadata as any).labels, { team: 'sre', tier: 'node', owner: 'ops' });
  const team = valueSpan(obj, ['metadata', 'labels', 'team'])!;
  assert.equal(text.slice(team.start, team.end), 'sre');
  const tier = valueSpan(obj, ['metadata', 'labels', 'tier'])!;
  assert.equal(text.slice(tier.start, tier.end), 'node');
});

test('merge keys: repeated `<<` keys are allowed, a quoted "<<" is a plain key, a scalar source is an error', () => {
  const two = parseDocument('file:///a.yaml', 'kind: ConfigMap\ndata:\n  <<: {a: "1"}\n  <<: {b: "2"}\n');
  assert.deepEqual(two.findings, []);
  assert.deepEqual(two.objects[0].value.data, { a: '1', b: '2' });
  const quoted = parseDocument('file:///b.yaml', 'kind: ConfigMap\ndata:\n  "<<": {a: "1"}\n');
  assert.deepEqual(quoted.objects[0].value.data, { '<<': { a: '1' } });
  const bad = parseDocument('file:///c.yaml', 'kind: ConfigMap\ndata:\n  <<: 3\n');
  assert.equal(bad.findings.length, 1);
  assert.match(bad.findings[0].message, /map merge requires map or sequence of maps as the value/);
});

test('merge keys: an invalid label key merged into nodeSelector is reported, `<<` itself is not', () => {
  const text = SHIPPER.replace('      containers:', '      nodeSelector:\n        <<: {"bad key!": x}\n        disk: ssd\n      containers:');
  const fs = findings(text).filter((f) => f.code === 'node-selector-labels');
  assert.equal(fs.length, 1);
  assert.match(fs[0].message, /"bad key!"/);
  assert.equal(text.slice(fs[0].span.start, fs[0].span.end), '"bad key!"');
});

test('merge keys: hover paths go through the merged map, not through `<<`', () => {
  const text = SHIPPER.replace('      containers:', '      nodeSelector:\n        <<: {kubernetes.io/os: linux}\n      containers:');
  const model = parseDocument('file:///ds.yaml', text);
  const at = text.indexOf('kubernetes.io/os') + 3;
  const viaWalk = nodeAt(model, at)!;
  assert.deepEqual(viaWalk.path, ['spec', 'template', 'spec', 'nodeSelector', 'kubernetes.io/os']);
  indexObject(model.daemonSets[0]);
  const viaIndex = nodeAt(model, at)!;
  assert.deepEqual(viaIndex.path, viaWalk.path);
  assert.equal(nodeAt(model, text.indexOf('<<:') + 1)?.path.includes('<<') ?? false, false);
});

test('merge keys: quick-fix edits do not write into a map that merges others', () => {
  const model = parseDocument('file:///ds.yaml', SHIPPER);
  const ds = model.daemonSets[0];
  const limits = ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'];
  assert.deepEqual(setMapEntries(SHIPPER, ds, limits, { cpu: '20m' }), []);
  assert.deepEqual(replaceScalar(SHIPPER, ds, [...limits, 'cpu'], '20m'), []);
  // Elsewhere in the same object, edits are made as usual.
  assert.notDeepEqual(replaceScalar(SHIPPER, ds, ['metadata', 'name'], 'fluentbit'), []);
});
