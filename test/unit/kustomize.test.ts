import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKustomizationFile, KUSTOMIZATION_FILES, patchPaths, patchPathsOfText } from '../../server/src/kustomize';
import { KUSTOMIZATION_FILES as CLI_FILES, patchPaths as cliPatchPaths } from '../../server/src/cli/common';

test('the CLI and the server share one reading of kustomizations', () => {
  assert.equal(CLI_FILES, KUSTOMIZATION_FILES);
  assert.equal(cliPatchPaths, patchPaths);
});

test('kustomization file names: the three kustomize reads, exactly', () => {
  assert.deepEqual(KUSTOMIZATION_FILES, ['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
  for (const name of KUSTOMIZATION_FILES) assert.ok(isKustomizationFile(name), name);
  for (const name of ['kustomization.json', 'Kustomization.yaml', 'my-kustomization.yaml', 'kustomization']) assert.ok(!isKustomizationFile(name), name);
});

test('patchPathsOfText: the paths of patches, patchesStrategicMerge and patchesJson6902; inline patches ignored', () => {
  const text = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - ../base',
    'patches:',
    '  - path: image.yaml',
    '  - patch: |-',
    '      - op: replace',
    '        path: /spec/minReadySeconds',
    '        value: 10',
    '    target:',
    '      kind: DaemonSet',
    'patchesStrategicMerge:',
    '  - " tolerations.yaml "',
    'patchesJson6902:',
    '  - path: ops.json',
    '    target: { kind: DaemonSet, name: agent }',
    '',
  ].join('\n');
  assert.deepEqual(patchPathsOfText(text), ['image.yaml', 'ops.json', 'tolerations.yaml']);
});

test('patchPathsOfText: malformed or odd kustomizations list nothing and never throw', () => {
  assert.deepEqual(patchPathsOfText('patches: [path: a.yaml\n'), []);
  assert.deepEqual(patchPathsOfText('patches:\n  - path: a.yaml\n  bad: [\n'), []);
  assert.deepEqual(patchPathsOfText(''), []);
  assert.deepEqual(patchPathsOfText('just a string'), []);
  assert.deepEqual(patchPathsOfText('- a.yaml\n- b.yaml\n'), []);
  assert.deepEqual(patchPathsOfText('patches: a.yaml\npatchesStrategicMerge: b.yaml\n'), []);
  // A billion laughs is refused rather than expanded.
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  bomb.push('patches:\n  - path: a.yaml');
  assert.deepEqual(patchPathsOfText(bomb.join('\n')), []);
});
