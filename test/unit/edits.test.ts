import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';
import {
  appendToSequence, applyEdits, detectStyle, disableRuleOnLine, insertCommentLineAbove, removeSequenceItem, renameKey, replaceScalar, setMapEntries,
} from '../../server/src/engine/edits';
import type { Fix } from '../../server/src/engine/types';

const TOL = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };
const TPATH = ['spec', 'template', 'spec', 'tolerations'];

/** A network plugin agent (not hostNetwork) written in several styles; `{{TOL}}` marks how tolerations are written. */
interface Case { name: string; text: string }

const corpus: Case[] = [
  {
    name: '2 spaces, flush sequences, existing tolerations with comments',
    text: `# calico node agent
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node # the agent
spec:
  selector:
    matchLabels: {k8s-app: calico-node}
  template:
    metadata:
      labels: {k8s-app: calico-node}
    spec:
      containers:
      - name: calico-node
        image: docker.io/calico/node:v3.27.0
        volumeMounts:
        - {name: cni-net-dir, mountPath: /host/etc/cni/net.d}
      tolerations:
      # run on the control plane too
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule   # kubeadm
      # end of tolerations
      volumes:
      - name: cni-net-dir
        hostPath: {path: /etc/cni/net.d}
`,
  },
  {
    name: '4 spaces, indented sequences, CRLF, no tolerations key',
    text: [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '    name: flannel',
      'spec:',
      '    selector:',
      '        matchLabels:',
      '            app: flannel',
      '    template:',
      '        metadata:',
      '            labels:',
      '                app: flannel',
      '        spec:',
      '            containers:',
      '                - name: kube-flannel',
      '                  image: docker.io/flannel/flannel:v0.24.0',
      '            volumes:',
      '                - name: cni',
      '                  hostPath:',
      '                      path: /etc/cni/net.d',
      '',
    ].join('\r\n'),
  },
  {
    name: 'flow empty tolerations: []',
    text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: cilium
spec:
  selector:
    matchLabels: {app: cilium}
  template:
    metadata:
      labels: {app: cilium}
    spec:
      tolerations: []
      containers:
        - name: agent
          image: quay.io/cilium/cilium:v1.15.0
`,
  },
  {
    name: 'flow tolerations with items and padded braces',
    text: `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: weave }
spec:
  selector: { matchLabels: { app: weave } }
  template:
    metadata: { labels: { app: weave } }
    spec:
      tolerations: [ { key: dedicated, operator: Exists } ]
      containers: [ { name: weave, image: weaveworks/weave-kube:2.8.1 } ]
`,
  },
  {
    name: 'empty tolerations value with a trailing comment',
    text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: antrea-agent
spec:
  selector:
    matchLabels:
      app: antrea
  template:
    metadata:
      labels:
        app: antrea
    spec:
      tolerations:   # filled in later
      containers:
      - name: antrea-agent
        image: antrea/antrea-agent-ubuntu:v1.15.0
        securityContext:
          capabilities:
            add: [NET_ADMIN]
`,
  },
  {
    name: 'second document of a stream, spec ends with a comment and no final newline',
    text: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: kube-router
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-router
spec:
  selector:
    matchLabels:
      k8s-app: kube-router
  template:
    metadata:
      labels:
        k8s-app: kube-router
    spec:
      containers:
      - name: kube-router
        image: docker.io/cloudnativelabs/kube-router:v2.0.0
      # no tolerations yet`,
  },
  {
    name: 'DaemonSet inside a List, 2 spaces, indented sequences',
    text: `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: multus
    spec:
      selector:
        matchLabels:
          app: multus
      template:
        metadata:
          labels:
            app: multus
        spec:
          containers:
            - name: kube-multus
              image: ghcr.io/k8snetworkplumbingwg/multus-cni:v4.0.2
`,
  },
  {
    name: 'template spec in flow style',
    text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: aws-node
spec:
  selector:
    matchLabels: {k8s-app: aws-node}
  template:
    metadata:
      labels: {k8s-app: aws-node}
    spec: {containers: [{name: aws-node, image: 602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.16.0}]}
`,
  },
];

const NU_RULE = 'missing-network-unavailable-toleration';
const NU_TOL = TOL;
/** The same agents lack the not-ready:NoSchedule toleration too (missing-not-ready-toleration). */
const NR_RULE = 'missing-not-ready-toleration';
const NR_TOL = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' };

function lines(s: string): string[] {
  return s.split(/\r?\n/);
}

/** Original lines appear in order in `after`, and every other line of `after` is in `allowed`. */
function assertOnlyInsertions(before: string, after: string, allowed: (line: string) => boolean): void {
  const a = lines(before);
  const b = lines(after);
  let i = 0;
  for (const line of b) {
    if (i < a.length && line === a[i]) i++;
    else assert.ok(allowed(line), `unexpected changed line: ${JSON.stringify(line)}`);
  }
  assert.equal(i, a.length, `original line lost: ${JSON.stringify(a[i])}`);
}

function assertEol(before: string, after: string): void {
  if (before.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'mixed line endings after the edit');
  else assert.ok(!after.includes('\r'), 'CR introduced');
}

function dsValue(text: string): Record<string, any> {
  const m = parseDocument('x.yaml', text);
  assert.equal(m.findings.filter((f) => f.severity === 'error').length, 0, 'edit produced invalid YAML');
  assert.equal(m.daemonSets.length, 1);
  return m.daemonSets[0].value as Record<string, any>;
}

for (const [RULE, TOL] of [[NU_RULE, NU_TOL], [NR_RULE, NR_TOL]] as const) for (const c of corpus) {
  test(`fix round trip (${RULE}): ${c.name}`, () => {
    const before = dsValue(c.text);
    const m = parseDocument('x.yaml', c.text);
    const findings = validate(m).filter((f) => f.code === RULE);
    assert.equal(findings.length, 1, 'the rule fires once on the corpus file');
    const fix = findings[0].fixes?.find((f) => f.isPreferred) as Fix;
    assert.ok(fix, 'a preferred fix exists');
    const after = applyEdits(c.text, fix.edits);
    assertEol(c.text, after);
    // Only the toleration was added: the parsed object equals the original plus the toleration.
    const value = dsValue(after);
    const expected = structuredClone(before);
    const spec = expected.spec.template.spec;
    spec.tolerations = [...(spec.tolerations ?? []), TOL];
    assert.deepEqual(value, expected);
    // Block edits only insert lines (or extend a line for flow and empty values).
    if (!/tolerations: \[|tolerations: +#|spec: \{/.test(c.text)) {
      assertOnlyInsertions(c.text, after, (l) => /^\s*(- )?(tolerations:|key: node\.kubernetes\.io\/(network-unavailable|not-ready)|operator: Exists|effect: NoSchedule)\s*$/.test(l));
    }
    // Comments are all still there.
    for (const comment of c.text.match(/#.*$/gm) ?? []) assert.ok(after.includes(comment), `comment lost: ${comment}`);
    // Re-validating: the diagnostic is gone.
    assert.equal(validate(parseDocument('x.yaml', after)).filter((f) => f.code === RULE).length, 0);
  });

  test(`disable fix round trip (${RULE}): ${c.name}`, () => {
    const m = parseDocument('x.yaml', c.text);
    const f = validate(m).find((x) => x.code === RULE)!;
    const fix = f.fixes!.find((x) => x.title === `Disable ${RULE} on this line`)!;
    assert.ok(fix && !fix.isPreferred);
    const after = applyEdits(c.text, fix.edits);
    assertEol(c.text, after);
    assert.deepEqual(dsValue(after), dsValue(c.text));
    assertOnlyInsertions(c.text, after, (l) => new RegExp(`^\\s*# daemonset-lens-disable-next-line ${RULE}$`).test(l));
    assert.equal(validate(parseDocument('x.yaml', after)).filter((x) => x.code === RULE).length, 0);
  });
}

function obj(text: string) {
  const m = parseDocument('x.yaml', text);
  return m.daemonSets[0] ?? m.objects[0];
}

test('detectStyle reads indentation width, sequence style and line endings', () => {
  assert.deepEqual(detectStyle(corpus[0].text, obj(corpus[0].text)), { indent: 2, indentSeq: false, eol: '\n', flowPadding: false, json: false });
  const s1 = detectStyle(corpus[1].text, obj(corpus[1].text));
  assert.equal(s1.indent, 4);
  assert.equal(s1.indentSeq, true);
  assert.equal(s1.eol, '\r\n');
  assert.equal(detectStyle(corpus[3].text, obj(corpus[3].text)).flowPadding, true);
});

test('appendToSequence writes the style of the file (4 spaces, indented)', () => {
  const t = corpus[1].text;
  const after = applyEdits(t, appendToSequence(t, obj(t), TPATH, [TOL]));
  assert.ok(after.includes('            tolerations:\r\n                - key: node.kubernetes.io/network-unavailable\r\n                  operator: Exists\r\n'), after);
  // Inserted after the last entry of the pod spec.
  assert.ok(after.indexOf('tolerations:') > after.indexOf('path: /etc/cni/net.d'));
});

test('appendToSequence appends after the last item and before trailing comments', () => {
  const t = corpus[0].text;
  const after = applyEdits(t, appendToSequence(t, obj(t), TPATH, [TOL]));
  assert.match(after, /effect: NoSchedule   # kubeadm\n      - key: node\.kubernetes\.io\/network-unavailable\n        operator: Exists\n        effect: NoSchedule\n      # end of tolerations\n/);
});

test('appendToSequence into flow sequences keeps flow style and padding', () => {
  const t = corpus[2].text;
  assert.match(applyEdits(t, appendToSequence(t, obj(t), TPATH, [TOL])), /tolerations: \[\{key: node\.kubernetes\.io\/network-unavailable, operator: Exists, effect: NoSchedule\}\]\n/);
  const t3 = corpus[3].text;
  assert.match(applyEdits(t3, appendToSequence(t3, obj(t3), TPATH, [TOL])), /tolerations: \[ \{ key: dedicated, operator: Exists \}, \{ key: node\.kubernetes\.io\/network-unavailable, operator: Exists, effect: NoSchedule \} \]/);
});

test('appendToSequence and setMapEntries into flow collections written one item per line add lines of their own', () => {
  const head = 'kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n';
  const NEW = '{key: node.kubernetes.io/network-unavailable, operator: Exists, effect: NoSchedule}';
  const cases: Array<[string, string]> = [
    // trailing comma, closing bracket on a line of its own
    ['      tolerations: [\n        {key: a, operator: Exists},\n      ]\n', `      tolerations: [\n        {key: a, operator: Exists},\n        ${NEW},\n      ]\n`],
    // no trailing comma; the comment stays on its item's line
    ['      tolerations: [\n        {key: a, operator: Exists} # why a\n      ]\n', `      tolerations: [\n        {key: a, operator: Exists}, # why a\n        ${NEW}\n      ]\n`],
    // a trailing comma followed by a comment
    ['      tolerations: [\n        {key: a, operator: Exists}, # why a\n      ]\n', `      tolerations: [\n        {key: a, operator: Exists}, # why a\n        ${NEW},\n      ]\n`],
    // the first item beside the bracket, the others under it, the bracket closing the last line
    ['      tolerations: [{key: a, operator: Exists},\n                    {key: b, operator: Exists}]\n', `      tolerations: [{key: a, operator: Exists},\n                    {key: b, operator: Exists},\n                    ${NEW}]\n`],
    // CRLF
    ['      tolerations: [\r\n        {key: a, operator: Exists}\r\n      ]\r\n', `      tolerations: [\r\n        {key: a, operator: Exists},\r\n        ${NEW}\r\n      ]\r\n`],
  ];
  for (const [tail, want] of cases) {
    const h = tail.includes('\r\n') ? head.replace(/\n/g, '\r\n') : head;
    const t = h + tail;
    assert.equal(applyEdits(t, appendToSequence(t, obj(t), TPATH, [TOL])), h + want);
  }
  // One line stays one line.
  const one = `${head}      tolerations: [{key: a, operator: Exists}]\n`;
  assert.equal(applyEdits(one, appendToSequence(one, obj(one), TPATH, [TOL])), `${head}      tolerations: [{key: a, operator: Exists}, ${NEW}]\n`);
  const map = `${head}      nodeSelector: {\n        pool: infra,\n      }\n`;
  assert.equal(applyEdits(map, setMapEntries(map, obj(map), ['spec', 'template', 'spec', 'nodeSelector'], { 'kubernetes.io/os': 'linux' })),
    `${head}      nodeSelector: {\n        pool: infra,\n        kubernetes.io/os: linux,\n      }\n`);
});

test('setMapEntries replaces existing values, adds missing keys and creates missing maps', () => {
  const t = `apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    metadata:
      labels:
        app: "old"   # keep me
        tier: node
    spec:
      containers: []
`;
  const o = obj(t);
  const after = applyEdits(t, setMapEntries(t, o, ['spec', 'template', 'metadata', 'labels'], { app: 'new', 'k8s-app': 'agent' }));
  assert.equal(after, t.replace('app: "old"', 'app: "new"').replace('        tier: node\n', '        tier: node\n        k8s-app: agent\n'));
  const created = applyEdits(t, setMapEntries(t, o, ['spec', 'selector', 'matchLabels'], { app: 'x' }));
  assert.deepEqual(parse(created).spec.selector, { matchLabels: { app: 'x' } });
  assert.ok(created.startsWith(t.replace(/containers: \[\]\n$/, '')));
});

test('replaceScalar keeps quoting; renameKey renames only the key', () => {
  const t = `kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: 'a'\n        effect: NoSchedul\n        operater: Exists\n`;
  const o = obj(t);
  let after = applyEdits(t, replaceScalar(t, o, [...TPATH, 0, 'effect'], 'NoSchedule'));
  assert.ok(after.includes('effect: NoSchedule\n'));
  after = applyEdits(t, replaceScalar(t, o, [...TPATH, 0, 'key'], "b'c"));
  assert.ok(after.includes("key: 'b''c'"));
  after = applyEdits(t, renameKey(t, o, [...TPATH, 0, 'operater'], 'operator'));
  assert.ok(after.includes('        operator: Exists\n'));
  assert.equal(lines(after).length, lines(t).length);
});

test('removeSequenceItem removes whole block lines or a flow item', () => {
  const t = `kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: a\n        operator: Exists\n      - key: b\n        operator: Exists\n      x: [1, 2, 3]\n`;
  const o = obj(t);
  assert.deepEqual(parse(applyEdits(t, removeSequenceItem(t, o, [...TPATH, 0]))).spec.template.spec.tolerations, [{ key: 'b', operator: 'Exists' }]);
  assert.deepEqual(parse(applyEdits(t, removeSequenceItem(t, o, ['spec', 'template', 'spec', 'x', 2]))).spec.template.spec.x, [1, 2]);
  assert.deepEqual(parse(applyEdits(t, removeSequenceItem(t, o, ['spec', 'template', 'spec', 'x', 0]))).spec.template.spec.x, [2, 3]);
  // The only item of a flow sequence leaves `[]`, without the spaces around it.
  const one = t.replace('x: [1, 2, 3]', 'x: [ 1 ]');
  assert.equal(applyEdits(one, removeSequenceItem(one, obj(one), ['spec', 'template', 'spec', 'x', 0])), t.replace('x: [1, 2, 3]', 'x: []'));
  // Comments above the next item stay; the only item leaves `[]`.
  const c = `kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: a # why a\n        operator: Exists\n      # about b\n      - key: b\n      other: 1\n`;
  const removed = applyEdits(c, removeSequenceItem(c, obj(c), [...TPATH, 0]));
  assert.equal(removed, c.replace('      - key: a # why a\n        operator: Exists\n', ''));
  const single = `kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      tolerations: # only one\n      - key: a\n        operator: Exists\n      other: 1\n`;
  const emptied = applyEdits(single, removeSequenceItem(single, obj(single), [...TPATH, 0]));
  assert.equal(emptied, single.replace(' # only one\n      - key: a\n        operator: Exists', ' [] # only one'));
  // The anchor or tag of the only item's sequence stays before the `[]` that replaces it.
  for (const props of [' &tols', ' !!seq', ' &tols !!seq']) {
    const anchored = single.replace('tolerations:', `tolerations:${props}`);
    const out = applyEdits(anchored, removeSequenceItem(anchored, obj(anchored), [...TPATH, 0]));
    assert.equal(out, anchored.replace(`${props} # only one\n      - key: a\n        operator: Exists`, `${props} [] # only one`));
    assert.deepEqual(parseAllDocuments(out).flatMap((d) => d.errors.map((e) => e.message)), []);
  }
});

test('insertCommentLineAbove uses the line indentation and merges with an existing disable comment', () => {
  const t = 'a:\n  b: 1\n';
  assert.equal(applyEdits(t, insertCommentLineAbove(t, t.indexOf('b'), 'hello')), 'a:\n  # hello\n  b: 1\n');
  const once = applyEdits(t, disableRuleOnLine(t, t.indexOf('b'), 'rule-a'));
  const twice = applyEdits(once, disableRuleOnLine(once, once.indexOf('b:'), 'rule-b'));
  assert.equal(twice, 'a:\n  # daemonset-lens-disable-next-line rule-a rule-b\n  b: 1\n');
  assert.deepEqual(disableRuleOnLine(twice, twice.indexOf('b:'), 'rule-b'), []);
  const crlf = 'a:\r\n  b: 1\r\n';
  assert.equal(applyEdits(crlf, disableRuleOnLine(crlf, crlf.indexOf('b'), 'x')), 'a:\r\n  # daemonset-lens-disable-next-line x\r\n  b: 1\r\n');
});

test('edits that cannot be made safely return no edits instead of throwing', () => {
  const t = 'kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec: 42\n';
  const o = obj(t);
  assert.deepEqual(appendToSequence(t, o, TPATH, [TOL]), []);
  assert.deepEqual(replaceScalar(t, o, ['nope', 0], 'x'), []);
  assert.deepEqual(renameKey(t, o, ['nope'], 'x'), []);
});

test('selector-matches-labels fix: template labels made to match, in the file style, then the error is gone', () => {
  const cases = [
    // Block labels with a comment: one value replaced, one key added.
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  selector:\n    matchLabels:\n      app: agent\n      tier: "node"\n  template:\n    metadata:\n      labels:\n        app: other # keep\n    spec:\n      containers:\n      - {name: a, image: nginx}\n`,
    // Flow labels.
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {team: x}}\n    spec: {containers: [{name: a, image: nginx}]}\n`,
    // No template metadata at all, 4 spaces, CRLF.
    'apiVersion: apps/v1\r\nkind: DaemonSet\r\nmetadata:\r\n    name: a\r\nspec:\r\n    selector:\r\n        matchLabels:\r\n            app: agent\r\n    template:\r\n        spec:\r\n            containers:\r\n                - name: a\r\n                  image: nginx\r\n',
  ];
  for (const text of cases) {
    const f = validate(parseDocument('x.yaml', text)).find((x) => x.code === 'selector-matches-labels');
    assert.ok(f, text);
    const fix = f.fixes?.find((x) => x.title === 'Make the template labels match the selector');
    assert.ok(fix?.isPreferred, text);
    const after = applyEdits(text, fix.edits);
    assertEol(text, after);
    for (const comment of text.match(/#.*$/gm) ?? []) assert.ok(after.includes(comment));
    const before = dsValue(text);
    const value = dsValue(after);
    const labels = value.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(before.spec.selector.matchLabels)) assert.equal(labels[k], v);
    delete value.spec.template.metadata;
    delete before.spec.template.metadata;
    assert.deepEqual(value, before, 'nothing but the template labels changed');
    assert.equal(validate(parseDocument('x.yaml', after)).filter((x) => x.code === 'selector-matches-labels').length, 0);
  }
  // A selector that labels alone cannot satisfy gets no fix.
  const expr = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nspec:\n  selector:\n    matchLabels: {app: agent}\n    matchExpressions: [{key: tier, operator: In, values: [node]}]\n  template:\n    metadata: {labels: {team: x}}\n    spec: {containers: [{name: a, image: nginx}]}\n`;
  const f = validate(parseDocument('x.yaml', expr)).find((x) => x.code === 'selector-matches-labels');
  assert.ok(f);
  assert.equal(f.fixes?.length ?? 0, 0);
});

test('JSON manifests get JSON edits and no comment-based fixes', () => {
  const text = JSON.stringify({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium' },
    spec: { selector: { matchLabels: { app: 'cilium' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'agent', image: 'quay.io/cilium/cilium:v1.15.0' }] } } },
  }, null, 2) + '\n';
  const m = parseDocument('x.json', text);
  const f = validate(m).find((x) => x.code === NU_RULE)!;
  assert.ok(f);
  assert.equal(f.fixes!.some((x) => /^Disable/.test(x.title)), false);
  const after = applyEdits(text, f.fixes!.find((x) => x.isPreferred)!.edits);
  const parsed = JSON.parse(after);
  assert.deepEqual(parsed.spec.template.spec.tolerations, [TOL]);
  assert.equal(validate(parseDocument('x.json', after)).filter((x) => x.code === NU_RULE).length, 0);
  const sel = validate(m).find((x) => x.code === 'selector-matches-labels');
  if (sel?.fixes?.length) assert.equal(JSON.parse(applyEdits(text, sel.fixes[0].edits)).spec.template.metadata.labels.app, 'cilium');
});

test('scalars that YAML 1.1 or 1.2 would read otherwise are quoted, in block and flow style', () => {
  const tricky = ['yes', 'on', 'NO', 'true', 'null', '~', '', '8', '0777', '1e3', '.inf', 'a: b', 'x #y', ' lead', 'trail ', '-dash', '*star', 'it\'s', 'quote"d', 'plain-value_1.2/x'];
  for (const flow of [false, true]) {
    const t = `kind: DaemonSet\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      tolerations: ${flow ? '[]' : '\n      - {key: a}'}\n`;
    const items = tricky.map((v) => ({ key: v, value: v }));
    const after = applyEdits(t, appendToSequence(t, obj(t), TPATH, items));
    const got = parse(after, { version: '1.1' }).spec.template.spec.tolerations.slice(flow ? 0 : 1);
    assert.deepEqual(got, items, after);
    assert.deepEqual(parse(after).spec.template.spec.tolerations.slice(flow ? 0 : 1), items);
  }
  assert.match(applyEdits('kind: DaemonSet\napiVersion: apps/v1\nspec:\n  x: 1\n', appendToSequence('kind: DaemonSet\napiVersion: apps/v1\nspec:\n  x: 1\n', obj('kind: DaemonSet\napiVersion: apps/v1\nspec:\n  x: 1\n'), ['spec', 'y'], ['plain-value_1.2/x'])), /- plain-value_1\.2\/x\n/);
});

test('every toleration fix over the real-world corpus × cluster files × CRLF and tolerations-less variants yields valid YAML and clears its diagnostic', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { parseCluster } = await import('../../server/src/engine/cluster');
  const corpusDir = new URL('../fixtures/corpus/', import.meta.url);
  const clusterDir = new URL('../fixtures/clusters/', import.meta.url);
  const codes = new Set(['missing-network-unavailable-toleration', 'missing-not-ready-toleration', 'legacy-master-label', 'missing-control-plane-toleration', 'untolerated-taint', 'no-eligible-nodes', 'unschedulable-on-nodes', 'toleration-matches-no-taint', 'tolerates-all-taints']);
  let checked = 0;
  for (const c of [undefined, 'kubeadm.yaml', 'k3s.yaml']) {
    const cluster = c ? parseCluster(parseDocument(c, readFileSync(new URL(c, clusterDir), 'utf8'))) : undefined;
    for (const f of readdirSync(corpusDir)) {
      if (f.endsWith('.json')) continue;
      const orig = readFileSync(new URL(f, corpusDir), 'utf8');
      const variants = [orig, orig.replace(/\r?\n/g, '\r\n'), orig.replace(/^(\s*)tolerations:[^\n]*\n(\1(\s+|- ).*\n)*/m, '')];
      for (const t of variants) {
        const opts = { cluster, kubernetesVersion: '1.24' };
        for (const x of validate(parseDocument(f, t), opts).filter((y) => codes.has(y.code))) {
          for (const fix of x.fixes ?? []) {
            checked++;
            const after = applyEdits(t, fix.edits);
            assertEol(t, after);
            const m = parseDocument(f, after);
            assert.deepEqual(m.findings.filter((e) => e.severity === 'error').map((e) => e.message), [], `${f} ${fix.title}`);
            assert.equal(m.daemonSets.length, 1);
            const before = dsValue(t);
            const value = structuredClone(m.daemonSets[0].value) as Record<string, any>;
            // Only the pod spec's tolerations change (or nothing, for a comment).
            delete before.spec.template.spec.tolerations;
            delete value.spec.template.spec.tolerations;
            assert.deepEqual(value, before, `${f} ${fix.title}`);
            if (/^(Disable|Add all|Add both)/.test(fix.title) || (x.fixes!.length <= 2 && fix.isPreferred)) {
              assert.equal(validate(m, opts).filter((y) => y.code === x.code).length, 0, `${f} ${c} ${fix.title}`);
            }
          }
        }
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} fixes checked`);
});

/** JSON layouts of a manifest: what `kubectl get -o json`, editors and minifiers write. */
const JSON_LAYOUTS: Array<{ name: string; write: (v: unknown) => string }> = [
  { name: '2 spaces', write: (v) => JSON.stringify(v, null, 2) + '\n' },
  { name: '4 spaces, CRLF', write: (v) => (JSON.stringify(v, null, 4) + '\n').replace(/\n/g, '\r\n') },
  { name: 'tabs, no final newline', write: (v) => JSON.stringify(v, null, '\t') },
  { name: 'minified', write: (v) => JSON.stringify(v) },
];

/** The DaemonSet of a corpus file as plain data: its document, or the whole `kind: List` that holds it. */
function manifestValue(name: string, text: string): Record<string, any> {
  if (name.endsWith('.json')) return JSON.parse(text);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);
  return docs.find((d) => d?.kind === 'DaemonSet' || (d?.kind === 'List' && d.items?.some((i: any) => i?.kind === 'DaemonSet')))!;
}

const daemonSetIn = (v: Record<string, any>): Record<string, any> => (v.kind === 'List' ? v.items.find((i: any) => i?.kind === 'DaemonSet') : v);

test('every toleration fix over the corpus written as JSON (2 and 4 spaces, tabs, CRLF, minified; with and without tolerations) keeps the layout exactly and clears its diagnostic', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { parseCluster } = await import('../../server/src/engine/cluster');
  const corpusDir = new URL('../fixtures/corpus/', import.meta.url);
  const clusterDir = new URL('../fixtures/clusters/', import.meta.url);
  const codes = new Set(['missing-network-unavailable-toleration', 'missing-not-ready-toleration', 'legacy-master-label', 'missing-control-plane-toleration', 'untolerated-taint', 'no-eligible-nodes', 'unschedulable-on-nodes', 'toleration-matches-no-taint', 'tolerates-all-taints']);
  let checked = 0;
  const layoutsSeen = new Set<string>();
  for (const c of [undefined, 'kubeadm.yaml', 'k3s.yaml']) {
    const cluster = c ? parseCluster(parseDocument(c, readFileSync(new URL(c, clusterDir), 'utf8'))) : undefined;
    const opts = { cluster, kubernetesVersion: '1.24' };
    for (const f of readdirSync(corpusDir)) {
      const value = manifestValue(f, readFileSync(new URL(f, corpusDir), 'utf8'));
      const withoutTolerations = structuredClone(value);
      delete daemonSetIn(withoutTolerations).spec.template.spec.tolerations;
      for (const v of [value, withoutTolerations]) {
        for (const layout of JSON_LAYOUTS) {
          const t = layout.write(v);
          for (const x of validate(parseDocument('x.json', t), opts).filter((y) => codes.has(y.code))) {
            assert.equal(x.fixes?.some((fix) => fix.title.startsWith('Disable ')), false, 'no comment fixes in JSON');
            for (const fix of x.fixes ?? []) {
              checked++;
              layoutsSeen.add(layout.name);
              const label = `${f} as JSON (${layout.name}), ${c ?? 'no cluster'}: ${fix.title}`;
              const after = applyEdits(t, fix.edits);
              const parsed = JSON.parse(after);
              // The file is exactly what the same layout writes for the fixed manifest.
              assert.equal(after, layout.write(parsed), label);
              // Only the pod spec's tolerations change.
              const got = structuredClone(daemonSetIn(parsed));
              const want = structuredClone(daemonSetIn(v));
              delete got.spec.template.spec.tolerations;
              delete want.spec.template.spec.tolerations;
              assert.deepEqual(got, want, label);
              if (/^(Add all|Add both)/.test(fix.title) || (x.fixes!.length <= 1 && fix.isPreferred)) {
                assert.equal(validate(parseDocument('x.json', after), opts).filter((y) => y.code === x.code).length, 0, label);
              }
            }
          }
        }
      }
    }
  }
  assert.deepEqual([...layoutsSeen].sort(), JSON_LAYOUTS.map((l) => l.name).sort());
  assert.ok(checked > 100, `only ${checked} fixes checked`);
});

test('toleration fixes on the hand-written JSON of the corpus (one toleration per line) add lines in that style', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(new URL('../fixtures/corpus/datadog-agent.json', import.meta.url), 'utf8');
  // Without its control-plane tolerations, a node agent is told to add them.
  const t = text.replace(/ *\{ "key": "node-role\.kubernetes\.io\/[a-z-]+", [^\n]*\n/g, '');
  assert.notEqual(t, text);
  const f = validate(parseDocument('datadog-agent.json', t), { kubernetesVersion: '1.24' }).find((x) => x.code === 'missing-control-plane-toleration');
  assert.ok(f?.fixes?.length);
  const before = new Set(t.split('\n'));
  for (const fix of f.fixes) {
    const after = applyEdits(t, fix.edits);
    JSON.parse(after);
    for (const line of after.split('\n')) {
      if (before.has(line)) continue;
      assert.ok(before.has(line.replace(/,$/, '')) || /^ {10}\{ "key": "node-role\.kubernetes\.io\/(control-plane|master)", "operator": "Exists", "effect": "NoSchedule" \},?$/.test(line), `${fix.title}: ${JSON.stringify(line)}`);
    }
    if (fix.title.startsWith('Add both')) {
      assert.equal(validate(parseDocument('datadog-agent.json', after), { kubernetesVersion: '1.24' }).filter((x) => x.code === f.code).length, 0);
    }
  }
});
