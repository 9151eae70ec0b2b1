import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingsNotes } from '../../server/src/handlers/context';

test('settingsNotes: silent for settings that count, or that a client leaves unset (null, empty)', () => {
  for (const kubernetesVersion of [undefined, null, '', '1.35', 'v1.35.2', ' 1.30 ', '1.9']) {
    assert.deepEqual(settingsNotes({ kubernetesVersion, rules: { 'untolerated-taint': 'Info', 'unknown-field': 'off' } }), [], String(kubernetesVersion));
  }
  assert.deepEqual(settingsNotes(undefined), []);
});

test('settingsNotes: a version it cannot read, a rule id that is none, a severity that is none', () => {
  assert.deepEqual(settingsNotes({ kubernetesVersion: 'latest', rules: { 'untolerated-taints': 'off', 'untolerated-taint': 'loud' } }), [
    'kubernetesVersion: "latest" is not a version such as 1.35: manifests are validated against 1.35.',
    "rules: 'untolerated-taints' (did you mean untolerated-taint?) is not a rule id: it changes nothing; 'untolerated-taint': \"loud\" is not one of error, warning, information, hint, off: the rule keeps its default severity.",
  ]);
});
