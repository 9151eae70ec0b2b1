import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';
import { valueFacts } from '../../server/src/engine/valueFacts';

/** A real DaemonSet (with its ConfigMap before it), as the Fluent Bit Helm chart renders it. */
const TEXT = readFileSync(join(__dirname, '../fixtures/corpus/fluent-bit.yaml'), 'utf8');
const daemonSet = (text: string) => parseDocument('x.yaml', text).objects.find((o) => o.kind === 'DaemonSet')!;
/** The DaemonSet's text with `line` added at the top of its `spec` (or `metadata`). */
const withLine = (under: 'spec' | 'metadata', line: string) => TEXT.replace(new RegExp(`(kind: DaemonSet\\n(?:.*\\n)*?${under}:\\n)`), `$1  ${line}\n`);

test('value facts: nothing to report on a plain manifest', () => {
  assert.deepEqual(valueFacts(daemonSet(TEXT).value), { patchDirective: false, nullEntry: false, recursive: false });
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
  const patch = daemonSet(withLine('metadata', '$patch: replace'));
  assert.equal(patch.partial, true);
  assert.equal(daemonSet(TEXT).partial, false);
  // `minReadySeconds:` is null, which the API server reads as unset: no type error for it.
  const text = withLine('spec', 'minReadySeconds:');
  assert.equal(valueFacts(daemonSet(text).value).nullEntry, true);
  assert.deepEqual(validate(parseDocument('n.yaml', text)).filter((f) => f.path.includes('minReadySeconds')), []);
  // The same field with a wrong type is reported (the check is live).
  assert.ok(validate(parseDocument('w.yaml', withLine('spec', 'minReadySeconds: soon'))).some((f) => f.path.includes('minReadySeconds')));
});
