/**
 * The gates' histories as pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates)
 * and the feature gate reference of each release give them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureEnabled } from '../../server/src/engine/featureGates';

const at = (kubernetesMinor: number, featureGates: Record<string, boolean> = {}) => ({ kubernetesMinor, featureGates });

test('RestartAllContainersOnContainerExits: alpha (off) in 1.35, beta and on by default from 1.36', () => {
  assert.equal(featureEnabled(at(34, { RestartAllContainersOnContainerExits: true }), 'RestartAllContainersOnContainerExits'), false);
  assert.equal(featureEnabled(at(35), 'RestartAllContainersOnContainerExits'), false);
  assert.equal(featureEnabled(at(35, { RestartAllContainersOnContainerExits: true }), 'RestartAllContainersOnContainerExits'), true);
  assert.equal(featureEnabled(at(36), 'RestartAllContainersOnContainerExits'), true);
  assert.equal(featureEnabled(at(36, { RestartAllContainersOnContainerExits: false }), 'RestartAllContainersOnContainerExits'), false);
});

test('UserNamespacesSupport: on by default from 1.33, GA and locked on from 1.36', () => {
  assert.equal(featureEnabled(at(32), 'UserNamespacesSupport'), false);
  assert.equal(featureEnabled(at(33), 'UserNamespacesSupport'), true);
  assert.equal(featureEnabled(at(35, { UserNamespacesSupport: false }), 'UserNamespacesSupport'), false);
  assert.equal(featureEnabled(at(36, { UserNamespacesSupport: false }), 'UserNamespacesSupport'), true);
});
