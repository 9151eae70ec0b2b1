import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPodTolerations } from '../../server/src/engine/placement/tolerations';
import { DOCS_BASE, toleratedByDefault, WELL_KNOWN_NODE_LABELS, WELL_KNOWN_TAINTS, wellKnownTaint, defaultTolerationText } from '../../server/src/engine/taints';

test('the catalogue agrees with AddOrUpdateDaemonPodTolerations about default tolerations', () => {
  for (const hostNetwork of [false, true]) {
    const defaults = daemonPodTolerations(hostNetwork);
    for (const t of WELL_KNOWN_TAINTS) {
      for (const effect of ['NoSchedule', 'NoExecute']) {
        const expected = defaults.some((d) => d.key === t.key && d.effect === effect);
        assert.equal(toleratedByDefault(t.key, effect, hostNetwork), expected, `${t.key}:${effect} hostNetwork=${hostNetwork}`);
      }
    }
    // Every default toleration is for a catalogued taint.
    for (const d of defaults) assert.ok(wellKnownTaint(d.key!), d.key);
  }
});

test('entries are unique, documented and linked to the Kubernetes docs', () => {
  const keys = WELL_KNOWN_TAINTS.map((t) => t.key);
  assert.equal(new Set(keys).size, keys.length);
  for (const t of WELL_KNOWN_TAINTS) {
    assert.ok(t.meaning && t.setBy && t.effects.length, t.key);
    assert.match(t.docs, /^https:\/\/kubernetes\.io\/docs\//);
    for (const e of t.effects) assert.ok(['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(e));
  }
  for (const l of WELL_KNOWN_NODE_LABELS) assert.ok(l.docs.startsWith(DOCS_BASE), l.key);
  assert.match(defaultTolerationText('node-role.kubernetes.io/control-plane'), /does \*\*not\*\*/);
  assert.match(defaultTolerationText('node.kubernetes.io/unreachable'), /NoExecute.*\*\*not\*\* `NoSchedule`/);
  assert.match(defaultTolerationText('node.kubernetes.io/network-unavailable'), /hostNetwork: true/);
});
