import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { parseDocument } from '../../server/src/engine/model';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { parseCluster } from '../../server/src/engine/cluster';
import { applyEdits } from '../../server/src/engine/edits';
import type { Finding } from '../../server/src/engine/types';

const RULE = 'legacy-master-label';
const FIX = 'Use node-role.kubernetes.io/control-plane';

/** kubernetes/cloud-provider-openstack manifests/controller-manager/openstack-cloud-controller-manager-ds.yaml (v1.16). */
const OPENSTACK_CCM = `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: cloud-controller-manager
  namespace: kube-system
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: openstack-cloud-controller-manager
  namespace: kube-system
  labels:
    k8s-app: openstack-cloud-controller-manager
spec:
  selector:
    matchLabels:
      k8s-app: openstack-cloud-controller-manager
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        k8s-app: openstack-cloud-controller-manager
    spec:
      nodeSelector:
        node-role.kubernetes.io/master: ""
      securityContext:
        runAsUser: 1001
      tolerations:
      - key: node.cloudprovider.kubernetes.io/uninitialized
        value: "true"
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        effect: NoSchedule
      serviceAccountName: cloud-controller-manager
      containers:
        - name: openstack-cloud-controller-manager
          image: docker.io/k8scloudprovider/openstack-cloud-controller-manager:v1.16.0
          args:
            - /bin/openstack-cloud-controller-manager
            - --cloud-provider=openstack
          resources:
            requests:
              cpu: 200m
      hostNetwork: true
`;

/** The same DaemonSet with a required node affinity in place of the nodeSelector; `{{TERMS}}` are its terms. */
const affinity = (terms: string) => OPENSTACK_CCM.replace(
  '      nodeSelector:\n        node-role.kubernetes.io/master: ""\n',
  `      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n${terms.replace(/^/gm, '            ')}\n`,
);

function only(text: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('file:///ccm.yaml', text), options).filter((f) => f.code === RULE);
}
/** Applies the preferred fix, checks the YAML and that the rest of the object is unchanged; returns the new text. */
function fixed(text: string, f: Finding, options: ValidateOptions = {}): string {
  const fix = f.fixes?.find((x) => x.title === FIX);
  assert.ok(fix?.isPreferred, `no preferred "${FIX}"; have ${f.fixes?.map((x) => x.title).join(' | ')}`);
  const after = applyEdits(text, fix.edits);
  const m = parseDocument('file:///ccm.yaml', after);
  assert.deepEqual(m.findings.filter((x) => x.severity === 'error').map((x) => x.message), [], after);
  assert.equal(only(after, options).length, 0, `still reported after the fix:\n${after}`);
  if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'LF written into a CRLF file');
  return after;
}

test('a nodeSelector on the legacy master label is reported for 1.24+ targets, on the key, with a fix that renames it', () => {
  const [f, ...rest] = only(OPENSTACK_CCM);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'information');
  assert.equal(f.path, 'spec.template.spec.nodeSelector[node-role.kubernetes.io/master]');
  assert.equal(OPENSTACK_CCM.slice(f.span.start, f.span.end), 'node-role.kubernetes.io/master');
  assert.equal(f.message, 'kubeadm no longer labels control-plane nodes node-role.kubernetes.io/master (since 1.24; `kubeadm upgrade apply` removes it): on a kubeadm cluster of 1.35 this nodeSelector matches no node. Use node-role.kubernetes.io/control-plane.');
  assert.deepEqual(f.fixes?.map((x) => x.title), [FIX, `Disable ${RULE} on this line`]);
  const after = fixed(OPENSTACK_CCM, f);
  assert.equal(after, OPENSTACK_CCM.replace('        node-role.kubernetes.io/master: ""', '        node-role.kubernetes.io/control-plane: ""'));
  // The master toleration is left alone: missing-control-plane-toleration and the taint rules speak of taints.
  assert.ok(after.includes('      - key: node-role.kubernetes.io/master\n        effect: NoSchedule\n'));
});

test('legacy master label: silent before 1.24, on partial manifests; with a cluster file, as its nodes say', () => {
  assert.equal(only(OPENSTACK_CCM, { kubernetesVersion: '1.23' }).length, 0);
  assert.equal(only(OPENSTACK_CCM, { kubernetesVersion: '1.24' }).length, 1);
  const kubeadm = readFileSync(new URL('../fixtures/clusters/kubeadm.yaml', import.meta.url), 'utf8');
  const cluster = parseCluster(parseDocument('file:///kubeadm.yaml', kubeadm));
  const cp = cluster.nodes.filter((n) => 'node-role.kubernetes.io/control-plane' in n.labels).length;
  assert.ok(cp > 0 && !cluster.nodes.some((n) => 'node-role.kubernetes.io/master' in n.labels));
  // The nodes carry the new label only: reported, with the fix, beside no-eligible-nodes, whatever the version.
  for (const kubernetesVersion of ['1.23', '1.35']) {
    const withCluster = validate(parseDocument('file:///ccm.yaml', OPENSTACK_CCM), { cluster, clusterStamp: 'kubeadm', kubernetesVersion });
    const [f, ...rest] = withCluster.filter((x) => x.code === RULE);
    assert.equal(rest.length, 0);
    assert.equal(f.message, `No node of the cluster file carries node-role.kubernetes.io/master, which kubeadm no longer sets (since 1.24), and ${cp} carr${cp === 1 ? 'ies' : 'y'} node-role.kubernetes.io/control-plane: this nodeSelector matches none of them. Use node-role.kubernetes.io/control-plane.`);
    assert.ok(f.fixes?.some((x) => x.title === FIX));
    assert.ok(withCluster.some((x) => x.code === 'no-eligible-nodes'), 'the cluster file has no node with the legacy label');
  }
  // A node that still carries the legacy label, or no node with the new one: the cluster decides, nothing to say.
  const legacy = parseCluster(parseDocument('file:///old.yaml', kubeadm.replace('node-role.kubernetes.io/control-plane: ""', 'node-role.kubernetes.io/control-plane: ""\n      node-role.kubernetes.io/master: ""')));
  assert.ok(legacy.nodes.some((n) => 'node-role.kubernetes.io/master' in n.labels));
  assert.equal(only(OPENSTACK_CCM, { cluster: legacy, clusterStamp: 'old' }).length, 0);
  const noRoles = parseCluster(parseDocument('file:///plain.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/os: linux}}\n'));
  assert.equal(only(OPENSTACK_CCM, { cluster: noRoles, clusterStamp: 'plain' }).length, 0);
  // A Kustomize patch that only moves the DaemonSet to the old label: its base may say more.
  const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: openstack-cloud-controller-manager\nspec:\n  template:\n    spec:\n      nodeSelector:\n        node-role.kubernetes.io/master: ""\n';
  const partial = parseDocument('file:///overlay/patch.yaml', patch, undefined, undefined, { partial: true });
  assert.equal(partial.daemonSets[0].partial, true);
  assert.equal(validate(partial).filter((f) => f.code === RULE).length, 0);
});

test('legacy master label: the nodeSelector fix in flow style, CRLF, 4 spaces, and beside the new key', () => {
  const flow = OPENSTACK_CCM.replace('      nodeSelector:\n        node-role.kubernetes.io/master: ""\n', '      nodeSelector: {node-role.kubernetes.io/master: "", kubernetes.io/os: linux}\n');
  assert.match(fixed(flow, only(flow)[0]), /nodeSelector: \{node-role\.kubernetes\.io\/control-plane: "", kubernetes\.io\/os: linux\}\n/);
  const crlf = OPENSTACK_CCM.replace(/\n/g, '\r\n');
  assert.equal(fixed(crlf, only(crlf)[0]), crlf.replace('node-role.kubernetes.io/master: ""', 'node-role.kubernetes.io/control-plane: ""'));
  const four = stringify(parseDocument('x.yaml', OPENSTACK_CCM).daemonSets[0].value, { indent: 4 });
  assert.match(four, /\n {12}nodeSelector:\n {16}node-role\.kubernetes\.io\/master: ""\n/);
  assert.equal(fixed(four, only(four)[0]), four.replace('node-role.kubernetes.io/master: ""', 'node-role.kubernetes.io/control-plane: ""'));
  // Both keys: a rename would write a duplicate key, so the old entry goes.
  const both = OPENSTACK_CCM.replace('        node-role.kubernetes.io/master: ""\n', '        node-role.kubernetes.io/master: ""\n        node-role.kubernetes.io/control-plane: ""\n');
  const after = fixed(both, only(both)[0]);
  assert.equal(after, OPENSTACK_CCM.replace('node-role.kubernetes.io/master: ""', 'node-role.kubernetes.io/control-plane: ""'));
  const json = JSON.stringify(parseDocument('x.yaml', OPENSTACK_CCM).daemonSets[0].value, null, 2);
  const [j] = only(json);
  assert.equal(j.fixes?.some((x) => x.title.startsWith('Disable')), false, 'JSON has no comments');
  const jsonAfter = fixed(json, j);
  assert.equal(JSON.parse(jsonAfter).spec.template.spec.nodeSelector['node-role.kubernetes.io/control-plane'], '');
});

test('legacy master label in a required node affinity: reported on the expression key unless another term selects the new label', () => {
  const text = affinity('- matchExpressions:\n  - key: node-role.kubernetes.io/master\n    operator: Exists');
  const [f] = only(text);
  assert.equal(f.path, 'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key');
  assert.equal(text.slice(f.span.start, f.span.end), 'node-role.kubernetes.io/master');
  assert.match(f.message, /this required node affinity term matches no node\./);
  assert.equal(fixed(text, f), text.replace('key: node-role.kubernetes.io/master', 'key: node-role.kubernetes.io/control-plane'));
  // The usual way of covering old and new clusters: two ORed terms.
  assert.equal(only(affinity('- matchExpressions:\n  - key: node-role.kubernetes.io/master\n    operator: Exists\n- matchExpressions:\n  - key: node-role.kubernetes.io/control-plane\n    operator: Exists')).length, 0);
  // In a flow mapping with a quoted key.
  const flow = affinity('- matchExpressions: [{key: "node-role.kubernetes.io/master", operator: In, values: [""]}]');
  assert.match(fixed(flow, only(flow)[0]), /\[\{key: "node-role\.kubernetes\.io\/control-plane", operator: In, values: \[""\]\}\]/);
});

test('legacy master label: an exclusion no longer keeps the DaemonSet off the control plane, unless the new label is excluded too', () => {
  const text = affinity('- matchExpressions:\n  - key: node-role.kubernetes.io/master\n    operator: DoesNotExist');
  const [f] = only(text);
  assert.match(f.message, /this required node affinity term no longer keeps the DaemonSet off the control-plane nodes\. Use node-role\.kubernetes\.io\/control-plane\.$/);
  assert.equal(f.data?.selecting, false);
  fixed(text, f);
  assert.equal(only(affinity('- matchExpressions:\n  - key: node-role.kubernetes.io/master\n    operator: DoesNotExist\n  - key: node-role.kubernetes.io/control-plane\n    operator: DoesNotExist')).length, 0);
});

test('legacy master label: silent for a preferred node affinity (the controller ignores it)', () => {
  const preferred = OPENSTACK_CCM.replace(
    '      nodeSelector:\n        node-role.kubernetes.io/master: ""\n',
    '      affinity:\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n          - weight: 1\n            preference:\n              matchExpressions:\n              - {key: node-role.kubernetes.io/master, operator: Exists}\n',
  );
  assert.equal(only(preferred).length, 0);
});

test('legacy master label with a cluster file: the fix also writes the value its control-plane nodes carry', () => {
  const kubeadm = readFileSync(new URL('../fixtures/clusters/kubeadm.yaml', import.meta.url), 'utf8');
  const cluster = parseCluster(parseDocument('file:///kubeadm.yaml', kubeadm));
  const options = { cluster, clusterStamp: 'kubeadm' };
  const text = OPENSTACK_CCM.replace('node-role.kubernetes.io/master: ""', 'node-role.kubernetes.io/master: "true"');
  assert.notEqual(text, OPENSTACK_CCM);
  const after = fixed(text, only(text, options)[0], options);
  assert.match(after, /\n {8}node-role\.kubernetes\.io\/control-plane: ""\n/);
  // The nodeSelector now selects kubeadm's control-plane node (whose taint is the next thing to tolerate).
  const left = validate(parseDocument('file:///ccm.yaml', after), options).filter((f) => f.code === 'no-eligible-nodes');
  assert.deepEqual(left.map((f) => f.message), ["No node of the cluster file (3 nodes) would run this DaemonSet: 2 don't match the nodeSelector (node-role.kubernetes.io/control-plane=), 1 has taints it does not tolerate."]);
  // Without a cluster file the value is kept: the rule cannot know what the nodes carry.
  assert.match(fixed(text, only(text)[0]), /\n {8}node-role\.kubernetes\.io\/control-plane: "true"\n/);
});
