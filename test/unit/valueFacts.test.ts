import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';
import { valueFacts } from '../../server/src/engine/valueFacts';

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: agent:1
`;

test('value facts: nothing to report on a plain manifest', () => {
  assert.deepEqual(valueFacts(parseDocument('x.yaml', DS).objects[0].value), { patchDirective: false, nullEntry: false, recursive: false });
});

test('value facts: a $patch key in a list item, a null entry, an object that contains itself', () => {
  const patch = { spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b', $patch: 'delete' }] } } } };
  assert.deepEqual(valueFacts(patch), { patchDirective: true, nullEntry: false, recursive: false });
  const nulls = { metadata: { name: 'x', labels: null }, spec: { list: [null, 1] } };
  assert.deepEqual(valueFacts(nulls), { patchDirective: false, nullEntry: true, recursive: false });
  // A null list element is no map entry.
  assert.equal(valueFacts({ spec: { list: [null] } }).nullEntry, false);
  const loop: Record<string, unknown> = { kind: 'DaemonSet' };
  loop.spec = { again: loop };
  assert.deepEqual(valueFacts(loop), { patchDirective: false, nullEntry: false, recursive: true });
  // An object reached twice without a cycle (an alias used twice) is not recursive.
  const shared = { a: 1 };
  assert.equal(valueFacts({ x: shared, y: [shared] }).recursive, false);
});

test('value facts: a manifest with a $patch directive is read as a patch, nulls are unset for the schema', () => {
  const patch = parseDocument('p.yaml', `${DS}        $patch: replace\n`).objects[0];
  assert.equal(patch.partial, true);
  const plain = parseDocument('x.yaml', DS).objects[0];
  assert.equal(plain.partial, false);
  // `minReadySeconds:` is null, which the API server reads as unset: no type error for it.
  const withNull = parseDocument('n.yaml', DS.replace('spec:\n  selector:', 'spec:\n  minReadySeconds:\n  selector:'));
  assert.equal(valueFacts(withNull.objects[0].value).nullEntry, true);
  assert.deepEqual(validate(withNull).filter((f) => f.path.includes('minReadySeconds')), []);
  // The same field with a wrong type is reported (the check is live).
  const wrong = parseDocument('w.yaml', DS.replace('spec:\n  selector:', 'spec:\n  minReadySeconds: soon\n  selector:'));
  assert.ok(validate(wrong).some((f) => f.path.includes('minReadySeconds')));
});
