import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getRequiredNodeAffinity, matchRequiredNodeAffinity, parseNodeSelector, newRequirement, parseLabelSelector, labelsMatch } from '../../server/src/engine/placement';

type Obj = Record<string, unknown>;
const req = (terms: unknown) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const expr = (key: string, operator: string, values?: string[]) => (values ? { key, operator, values } : { key, operator });
const name = (operator: string, values: string[]) => ({ key: 'metadata.name', operator, values });

// component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms.
const CASES: Array<[string, Obj, Record<string, string>, string, boolean]> = [
  ['no selector', {}, {}, '', true],
  ['missing labels', { nodeSelector: { foo: 'bar' } }, {}, '', false],
  ['same labels', { nodeSelector: { foo: 'bar' } }, { foo: 'bar' }, '', true],
  ['node labels are superset', { nodeSelector: { foo: 'bar' } }, { foo: 'bar', baz: 'blah' }, '', true],
  ['node labels are subset', { nodeSelector: { foo: 'bar', baz: 'blah' } }, { foo: 'bar' }, '', false],
  ['matchExpressions In matches', req([{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }]), { foo: 'bar' }, '', true],
  ['matchExpressions Gt matches (ParseInt accepts leading zeros)', req([{ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }]), { 'kernel-version': '0206' }, '', true],
  ['matchExpressions NotIn matches', req([{ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }]), { 'mem-type': 'DDR3' }, '', true],
  ['matchExpressions Exists matches', req([{ matchExpressions: [expr('GPU', 'Exists')] }]), { GPU: 'NVIDIA-GRID-K1' }, '', true],
  ["affinity that doesn't match node's labels", req([{ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }]), { foo: 'bar' }, '', false],
  ['nil []NodeSelectorTerm matches nothing', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } }, { foo: 'bar' }, '', false],
  ['empty []NodeSelectorTerm matches nothing', req([]), { foo: 'bar' }, '', false],
  ['empty MatchExpressions matches nothing', req([{ matchExpressions: [] }]), { foo: 'bar' }, '', false],
  ['no Affinity', {}, { foo: 'bar' }, '', true],
  ['Affinity but nil NodeSelector', { affinity: { nodeAffinity: {} } }, { foo: 'bar' }, '', true],
  ['multiple matchExpressions ANDed, matching', req([{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }]), { GPU: 'NVIDIA-GRID-K1' }, '', true],
  ["multiple matchExpressions ANDed, not matching", req([{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }]), { GPU: 'NVIDIA-GRID-K1' }, '', false],
  ['multiple NodeSelectorTerms ORed', req([{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }]), { foo: 'bar' }, '', true],
  ['Affinity and nodeSelector both satisfied', { nodeSelector: { foo: 'bar' }, ...req([{ matchExpressions: [expr('foo', 'Exists')] }]) }, { foo: 'bar' }, '', true],
  ['Affinity matches but nodeSelector does not', { nodeSelector: { foo: 'bar' }, ...req([{ matchExpressions: [expr('foo', 'Exists')] }]) }, { foo: 'barrrrrr' }, '', false],
  ['invalid value in Affinity term', req([{ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }]), { foo: 'bar' }, '', false],
  ['matchFields In matches the node', req([{ matchFields: [name('In', ['node_1'])] }]), {}, 'node_1', true],
  ['matchFields In does not match the node', req([{ matchFields: [name('In', ['node_1'])] }]), {}, 'node_2', false],
  ['two terms: matchFields does not match, matchExpressions matches', req([{ matchFields: [name('In', ['node_1'])] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }]), { foo: 'bar' }, 'node_2', true],
  ['one term: matchFields does not match, matchExpressions matches', req([{ matchFields: [name('In', ['node_1'])], matchExpressions: [expr('foo', 'In', ['bar'])] }]), { foo: 'bar' }, 'node_2', false],
  ['one term: both matchFields and matchExpressions match', req([{ matchFields: [name('In', ['node_1'])], matchExpressions: [expr('foo', 'In', ['bar'])] }]), { foo: 'bar' }, 'node_1', true],
  ['two terms: neither matches', req([{ matchFields: [name('In', ['node_1'])] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }]), { foo: 'bar' }, 'node_2', false],
];

for (const [title, spec, labels, nodeName, want] of CASES) {
  test(`RequiredNodeAffinity.Match (nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms): ${title}`, () => {
    assert.equal(matchRequiredNodeAffinity(getRequiredNodeAffinity(spec), labels, nodeName), want);
  });
}

test('NewNodeSelector reports parse errors per term; an invalid term never matches but others still can (TestNodeSelectorMatch)', () => {
  const sel = {
    nodeSelectorTerms: [
      { matchFields: [name('In', ['host_1', 'host_2'])] },
      { matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [name('In', ['host_1'])] },
      { matchExpressions: [expr('invalid key', 'In', ['label_value'])] },
    ],
  };
  const { terms } = parseNodeSelector(sel);
  assert.deepEqual(terms[0].parseErrors, ['nodeSelectorTerms[0].matchFields[0].values: Invalid value: must have one element']);
  assert.equal(terms[1].parseErrors.length, 0);
  assert.match(terms[2].parseErrors[0], /^nodeSelectorTerms\[2\]\.matchExpressions\[0\]\.key: Invalid value: "invalid key": name part must consist of alphanumeric characters/);
  const a = getRequiredNodeAffinity({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: sel } } });
  // "node matches field selector and label selector" / "node matches field selector, but not labels".
  assert.equal(matchRequiredNodeAffinity(a, { label_1: 'label_1_val' }, 'host_1'), true);
  assert.equal(matchRequiredNodeAffinity(a, {}, 'host_1'), false);
});

test('nodeSelectorRequirementsAsSelector parse rules (TestNodeSelectorRequirementsAsSelector, labels.NewRequirement)', () => {
  assert.deepEqual(newRequirement('foo', 'Exists', ['bar', 'baz']).errors, ['values: Invalid value: values set must be empty for exists and does not exist']);
  assert.equal(newRequirement('foo', 'Gt', ['1']).req?.bound, 1n);
  assert.equal(newRequirement('bar', 'Lt', ['7']).req?.bound, 7n);
  assert.equal(newRequirement('foo', 'In', []).errors.length, 1);
  assert.equal(newRequirement('foo', 'Gt', ['1', '2']).errors.length, 1);
  assert.equal(newRequirement('foo', 'Gt', ['x']).errors.length, 1);
  // "-1" is not a valid label value, so Gt/Lt with a negative bound make the term unparsable.
  assert.ok(newRequirement('foo', 'Lt', ['-1']).errors.length > 0);
  assert.match(newRequirement('foo', 'Near', ['x']).errors[0], /Unsupported value: "Near"/);
});

test('Gt/Lt are strict and need an integer label (selector.go (*Requirement).Matches)', () => {
  const gt = getRequiredNodeAffinity(req([{ matchExpressions: [expr('cores', 'Gt', ['8'])] }]));
  assert.equal(matchRequiredNodeAffinity(gt, { cores: '8' }, 'n'), false);
  assert.equal(matchRequiredNodeAffinity(gt, { cores: '16' }, 'n'), true);
  assert.equal(matchRequiredNodeAffinity(gt, { cores: 'many' }, 'n'), false);
  assert.equal(matchRequiredNodeAffinity(gt, {}, 'n'), false);
  const lt = getRequiredNodeAffinity(req([{ matchExpressions: [expr('cores', 'Lt', ['8'])] }]));
  assert.equal(matchRequiredNodeAffinity(lt, { cores: '-3' }, 'n'), true);
  assert.equal(matchRequiredNodeAffinity(lt, { cores: '+3' }, 'n'), true);
});

test('NotIn and DoesNotExist match nodes without the label', () => {
  const notIn = getRequiredNodeAffinity(req([{ matchExpressions: [expr('zone', 'NotIn', ['a'])] }]));
  assert.equal(matchRequiredNodeAffinity(notIn, {}, 'n'), true);
  const dne = getRequiredNodeAffinity(req([{ matchExpressions: [expr('zone', 'DoesNotExist')] }]));
  assert.equal(matchRequiredNodeAffinity(dne, {}, 'n'), true);
  assert.equal(matchRequiredNodeAffinity(dne, { zone: 'a' }, 'n'), false);
});

test('matchFields: unknown field keys read as empty, NotIn works, other operators are parse errors; a nameless node skips fields', () => {
  const unknownIn = getRequiredNodeAffinity(req([{ matchFields: [{ key: 'metadata.foo', operator: 'In', values: ['bar'] }] }]));
  assert.equal(matchRequiredNodeAffinity(unknownIn, {}, 'n'), false);
  const unknownNotIn = getRequiredNodeAffinity(req([{ matchFields: [{ key: 'metadata.foo', operator: 'NotIn', values: ['bar'] }] }]));
  assert.equal(matchRequiredNodeAffinity(unknownNotIn, {}, 'n'), true);
  const notIn = getRequiredNodeAffinity(req([{ matchFields: [name('NotIn', ['n1'])] }]));
  assert.equal(matchRequiredNodeAffinity(notIn, {}, 'n1'), false);
  assert.equal(matchRequiredNodeAffinity(notIn, {}, 'n2'), true);
  const exists = getRequiredNodeAffinity(req([{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }]));
  assert.equal(matchRequiredNodeAffinity(exists, {}, 'n1'), false);
  // nodeSelectorTerm.match: `len(nodeFields) > 0` guards the field part.
  const inN1 = getRequiredNodeAffinity(req([{ matchFields: [name('In', ['n1'])] }]));
  assert.equal(matchRequiredNodeAffinity(inN1, {}, ''), true);
});

test('LabelSelectorAsSelector for spec.selector: matchLabels AND matchExpressions; unsupported operators fail to parse', () => {
  const sel = parseLabelSelector({ matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] })!;
  assert.equal(labelsMatch(sel, { app: 'x', tier: 'a' }), true);
  assert.equal(labelsMatch(sel, { app: 'x', tier: 'c' }), false);
  assert.equal(parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), undefined);
  assert.deepEqual(parseLabelSelector({}), []);
});
