import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addOrUpdateDaemonPodTolerations,
  addOrUpdateTolerationInPodSpec,
  effectiveTolerations,
  findMatchingUntoleratedTaint,
  isDecimalInteger,
  toleratesTaint,
  doNotScheduleTaintsFilter,
  noExecuteTaintsFilter,
  type Taint,
  type Toleration,
} from '../../server/src/engine/placement';
import { dsObject, newDaemonSet } from './placement-helpers';

// staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint (comparison operators enabled).
const TOLERATES_TAINT: Array<[string, Toleration, Taint, boolean]> = [
  ['same key and effect, Exists, taint has no value', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, { key: 'foo', effect: 'NoSchedule' }, true],
  ['same key and effect, Exists, taint has some value', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, true],
  ['empty key and Exists matches all taints of that effect', { key: '', operator: 'Exists', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, true],
  ['same key, effect and value, Equal', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, true],
  ['same key and effect, different values, Equal', { key: 'foo', operator: 'Equal', value: 'value1', effect: 'NoSchedule' }, { key: 'foo', value: 'value2', effect: 'NoSchedule' }, false],
  ['same key and value, different effects, Equal', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoExecute' }, false],
  ['Gt: taint value less than toleration value', { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/sla', value: '800', effect: 'NoSchedule' }, false],
  ['Gt: taint value greater than toleration value', { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '750', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' }, true],
  ['Lt: taint value greater than toleration value', { key: 'node.kubernetes.io/sla', operator: 'Lt', value: '800', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' }, false],
  ['Lt: taint value less than toleration value', { key: 'node.kubernetes.io/sla', operator: 'Lt', value: '950', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/sla', value: '800', effect: 'NoSchedule' }, true],
  ['Gt with equal numeric value', { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' }, false],
  ['Gt with non-numeric taint value', { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/sla', value: 'high', effect: 'NoSchedule' }, false],
  ['Gt with negative values, taint below threshold', { key: 'test-key', operator: 'Gt', value: '-100', effect: 'NoSchedule' }, { key: 'test-key', value: '-200', effect: 'NoSchedule' }, false],
  ['Gt with large int64 values, taint below threshold', { key: 'test-key', operator: 'Gt', value: '9223372036854775806', effect: 'NoSchedule' }, { key: 'test-key', value: '100', effect: 'NoSchedule' }, false],
];

for (const [name, tol, taint, want] of TOLERATES_TAINT) {
  test(`ToleratesTaint (toleration_test.go TestTolerationToleratesTaint): ${name}`, () => {
    assert.equal(toleratesTaint(tol, taint, true), want);
  });
}

test('ToleratesTaint: Lt/Gt never match while TaintTolerationComparisonOperators is off (toleration.go)', () => {
  assert.equal(toleratesTaint({ key: 'sla', operator: 'Gt', value: '750', effect: 'NoSchedule' }, { key: 'sla', value: '950', effect: 'NoSchedule' }, false), false);
  assert.equal(toleratesTaint({ key: 'sla', operator: 'Lt', value: '950', effect: 'NoSchedule' }, { key: 'sla', value: '800', effect: 'NoSchedule' }, false), false);
});

test('ToleratesTaint: Lt/Gt need canonical decimal integers on both sides (compareNumericValues over IsDecimalInteger)', () => {
  const gt = (tv: string, v: string) => toleratesTaint({ key: 'k', operator: 'Gt', value: tv, effect: 'NoSchedule' }, { key: 'k', value: v, effect: 'NoSchedule' }, true);
  assert.equal(gt('5', '0700'), false, 'leading zero in the taint value');
  assert.equal(gt('05', '700'), false, 'leading zero in the toleration value');
  assert.equal(gt('5', '+700'), false, 'plus sign');
  assert.equal(gt('-5', '0'), true, 'negative and zero are canonical');
  assert.equal(gt('5', '9223372036854775808'), false, 'beyond int64');
  assert.equal(gt('9223372036854775806', '9223372036854775807'), true, 'exact int64 comparison');
});

test('ToleratesTaint: empty effect matches all effects, unknown operators nothing, tolerationSeconds is ignored', () => {
  assert.equal(toleratesTaint({ key: 'foo', operator: 'Exists' }, { key: 'foo', effect: 'NoExecute' }), true);
  assert.equal(toleratesTaint({ key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { key: 'foo', effect: 'NoExecute' }), true);
  assert.equal(toleratesTaint({ key: 'foo', operator: 'exists' }, { key: 'foo', effect: 'NoSchedule' }), false);
  // Empty key with Equal (rejected by validation) tolerates every taint whose value equals the toleration value.
  assert.equal(toleratesTaint({ value: 'bar' }, { key: 'anything', value: 'bar', effect: 'NoSchedule' }), true);
});

test('IsDecimalInteger (apimachinery/pkg/api/validate/content/decimal_int.go)', () => {
  for (const ok of ['0', '1', '123', '-456', '9223372036854775807']) assert.deepEqual(isDecimalInteger(ok), [], ok);
  for (const bad of ['', '-', '-0', '00', '0700', '+5', ' 5', '5 ', '1e3', '0x10', '1.0']) assert.notDeepEqual(isDecimalInteger(bad), [], bad);
});

test('FindMatchingUntoleratedTaint returns the first filtered taint no toleration tolerates (helpers.go)', () => {
  const taints: Taint[] = [
    { key: 'a', effect: 'PreferNoSchedule' },
    { key: 'b', effect: 'NoSchedule' },
    { key: 'c', effect: 'NoExecute' },
  ];
  assert.deepEqual(findMatchingUntoleratedTaint(taints, [], doNotScheduleTaintsFilter), { taint: taints[1], untolerated: true });
  assert.deepEqual(findMatchingUntoleratedTaint(taints, [], noExecuteTaintsFilter), { taint: taints[2], untolerated: true });
  assert.deepEqual(findMatchingUntoleratedTaint(taints, [{ operator: 'Exists' }], doNotScheduleTaintsFilter), { taint: undefined, untolerated: false });
});

const DEFAULTS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

test('AddOrUpdateDaemonPodTolerations adds the defaults in upstream order (daemonset_util.go)', () => {
  assert.deepEqual(addOrUpdateDaemonPodTolerations([], false), DEFAULTS);
  assert.deepEqual(addOrUpdateDaemonPodTolerations([], true), [...DEFAULTS, { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }]);
});

test('AddOrUpdateTolerationInPodSpec replaces a matching toleration in place, dropping tolerationSeconds (helpers.go)', () => {
  const user: Toleration[] = [
    { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
  ];
  const out = addOrUpdateDaemonPodTolerations(user, false);
  assert.deepEqual(out[1], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
  // Same key without effect differs in MatchToleration: kept, and the default is appended.
  assert.deepEqual(out[2], { key: 'node.kubernetes.io/unreachable', operator: 'Exists' });
  assert.deepEqual(out.slice(3), DEFAULTS.slice(1));
  // An identical toleration already present: the list is left as it is.
  const same = [{ ...DEFAULTS[0] }];
  assert.deepEqual(addOrUpdateTolerationInPodSpec(same, DEFAULTS[0]), same);
});

test('effectiveTolerations reads the template leniently and adds network-unavailable only for hostNetwork', () => {
  const ds = dsObject(newDaemonSet('cni', { hostNetwork: true, tolerations: [{ operator: 'Exists' }, 'junk'] }));
  const t = effectiveTolerations(ds);
  assert.deepEqual(t[0], { operator: 'Exists' });
  assert.equal(t.length, 8);
  assert.equal(t[7].key, 'node.kubernetes.io/network-unavailable');
  assert.equal(effectiveTolerations(dsObject(newDaemonSet('x'))).length, 6);
});
