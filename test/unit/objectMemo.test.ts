import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument, type ManifestObject } from '../../server/src/engine/model';
import { allContainers } from '../../server/src/engine/podTemplate';
import type { DaemonSetPlacement } from '../../server/src/engine/placement/types';
import { placementOf } from '../../server/src/engine/rules/placementOf';
import type { Rule, RuleContext } from '../../server/src/engine/rules/rule';
import { daemonPodTolerations, nodeAgentSignals } from '../../server/src/engine/rules/tolerationSupport';
import { validate } from '../../server/src/engine/validate';

const cluster = parseCluster(parseDocument('file:///nodes.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: cp-1, labels: {kubernetes.io/os: linux}}
  spec:
    taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
- apiVersion: v1
  kind: Node
  metadata: {name: worker-1, labels: {kubernetes.io/os: linux}}
`));

const TEXT = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: shipper
spec:
  selector:
    matchLabels: {app: shipper}
  template:
    metadata:
      labels: {app: shipper}
    spec:
      containers:
      - name: shipper
        image: fluent/fluent-bit:3.1.0
        volumeMounts: [{name: varlog, mountPath: /var/log}]
      volumes:
      - name: varlog
        hostPath: {path: /var/log}
`;

interface Seen {
  placement: DaemonSetPlacement | undefined;
  containers: unknown;
  tolerations: unknown;
}

/** A rule that records what the shared memos hand it. */
function recorder(id: string, into: Seen[]): Rule {
  return {
    id,
    description: '',
    help: '',
    defaultSeverity: 'hint',
    check(ds: ManifestObject, ctx: RuleContext) {
      into.push({ placement: placementOf(ctx, ds), containers: allContainers(ds), tolerations: daemonPodTolerations(ds) });
      return [];
    },
  };
}

test('the rules of one check share one placement, container list and toleration list per DaemonSet', () => {
  const model = parseDocument('file:///ds.yaml', TEXT);
  const seen: Seen[] = [];
  validate(model, { cluster, rules: [recorder('first', seen), recorder('second', seen)] });
  assert.equal(seen.length, 2);
  assert.ok(seen[0].placement);
  assert.equal(seen[1].placement, seen[0].placement);
  assert.equal(seen[1].containers, seen[0].containers);
  assert.equal(seen[1].tolerations, seen[0].tolerations);
});

test('a checked DaemonSet keeps none of what its rules shared: a later question computes it again, the same', () => {
  const model = parseDocument('file:///ds.yaml', TEXT);
  const seen: Seen[] = [];
  validate(model, { cluster, rules: [recorder('first', seen)] });
  const ds = model.daemonSets[0];
  const ctx: RuleContext = { model, featureGates: {}, kubernetesMinor: 35, cluster };
  const again = placementOf(ctx, ds);
  assert.notEqual(again, seen[0].placement);
  assert.deepEqual(again, seen[0].placement);
  assert.notEqual(allContainers(ds), seen[0].containers);
  assert.deepEqual(allContainers(ds), seen[0].containers);
  assert.notEqual(daemonPodTolerations(ds), seen[0].tolerations);
  // Asked again outside a check (the placement preview, a hover), it is kept until the next check.
  assert.equal(placementOf(ctx, ds), again);
  assert.deepEqual(nodeAgentSignals(ds), ['mounts /var/log', 'runs fluent/fluent-bit:3.1.0']);
});

test('a placement is made again for another cluster model', () => {
  const model = parseDocument('file:///ds.yaml', TEXT);
  const ds = model.daemonSets[0];
  const other = parseCluster(parseDocument('file:///other.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: only-1}\n'));
  const ctx: RuleContext = { model, featureGates: {}, kubernetesMinor: 35, cluster };
  const first = placementOf(ctx, ds);
  const second = placementOf({ ...ctx, cluster: other }, ds);
  assert.deepEqual(first?.nodes.map((n) => n.node), ['cp-1', 'worker-1']);
  assert.deepEqual(second?.nodes.map((n) => n.node), ['only-1']);
  assert.equal(placementOf({ ...ctx, cluster: other }, ds), second);
});
