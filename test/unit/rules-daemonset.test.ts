import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDocument } from '../../server/src/engine/model';
import { applyEdits } from '../../server/src/engine/edits';
import { validate } from '../../server/src/engine/validate';
import type { Finding } from '../../server/src/engine/types';
import { normalizeSettings } from '../../server/src/handlers/context';

/** A fluent-bit log shipper as it is usually deployed; each test changes one thing in it. */
const FLUENT_BIT = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: logging
  labels:
    app.kubernetes.io/name: fluent-bit
    app.kubernetes.io/part-of: logging
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: fluent-bit
  minReadySeconds: 5
  revisionHistoryLimit: 10
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 10%
  template:
    metadata:
      labels:
        app.kubernetes.io/name: fluent-bit
        app.kubernetes.io/part-of: logging
      annotations:
        fluentbit.io/exclude: "true"
    spec:
      serviceAccountName: fluent-bit
      priorityClassName: system-node-critical
      tolerations:
      - operator: Exists
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.4
        ports:
        - name: http
          containerPort: 2020
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
          limits:
            memory: 128Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
          readOnly: true
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
`;

const MINE = new Set([
  'selector-syntax', 'selector-matches-labels', 'empty-selector', 'active-deadline-seconds', 'min-ready-seconds',
  'revision-history-limit', 'update-strategy', 'rolling-update-values', 'metadata-name', 'metadata-labels',
  'metadata-annotations', 'template-labels', 'template-annotations',
]);

function findings(text: string, code?: string): Finding[] {
  const all = validate(parseDocument('ds.yaml', text));
  return code ? all.filter((f) => f.code === code) : all.filter((f) => MINE.has(f.code));
}

function at(text: string, f: Finding): string {
  return text.slice(f.span.start, f.span.end);
}

/** [path, text under the span, message] of each finding, for compact assertions. */
function summary(text: string, fs: Finding[]): Array<[string, string, string]> {
  return fs.map((f) => [f.path, at(text, f), f.message]);
}

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the manifest contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function applyFix(text: string, f: Finding, n = 0): string {
  const edits = [...(f.fixes?.[n]?.edits ?? [])].sort((a, b) => b.span.start - a.span.start);
  assert.ok(edits.length > 0, 'the finding has a fix');
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const LABEL_KEY_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

test('the realistic manifest passes every DaemonSet rule and the schema', () => {
  const all = validate(parseDocument('ds.yaml', FLUENT_BIT));
  assert.deepEqual(all.filter((f) => MINE.has(f.code) || f.severity === 'error'), []);
});

// selector-syntax

test('selector-syntax: matchLabels keys and values, on the offending key or value', () => {
  const text = edit(FLUENT_BIT, '    matchLabels:\n      app.kubernetes.io/name: fluent-bit\n', '    matchLabels:\n      app.kubernetes.io/name: fluent-bit\n      -tier: "log shipper"\n');
  assert.deepEqual(summary(text, findings(text, 'selector-syntax')), [
    ['spec.selector.matchLabels', '-tier', `Invalid value: "-tier": ${LABEL_KEY_MSG}`],
    ['spec.selector.matchLabels', '"log shipper"', `Invalid value: "log shipper": ${LABEL_VALUE_MSG}`],
  ]);
});

test('selector-syntax: matchExpressions operators and values', () => {
  const text = edit(FLUENT_BIT, '      app.kubernetes.io/name: fluent-bit\n  minReadySeconds', `      app.kubernetes.io/name: fluent-bit
    matchExpressions:
    - {key: tier, operator: in, values: [logs]}
    - key: zone
      operator: Exists
      values: [eu-west-1a]
    - key: role
      operator: NotIn
    - key: arch
      operator: In
      values: []
    - key: team/
      operator: In
      values: [platform, "not ok"]
  minReadySeconds`);
  assert.deepEqual(summary(text, findings(text, 'selector-syntax')), [
    ['spec.selector.matchExpressions[0].operator', 'in', 'Invalid value: "in": not a valid selector operator'],
    ['spec.selector.matchExpressions[1].values', 'values', "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ['spec.selector.matchExpressions[2].values', 'NotIn', "Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['spec.selector.matchExpressions[3].values', 'values', "Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['spec.selector.matchExpressions[4].key', 'team/', 'Invalid value: "team/": name part must be non-empty'],
    ['spec.selector.matchExpressions[4].key', 'team/', `Invalid value: "team/": ${LABEL_KEY_MSG}`],
    ['spec.selector.matchExpressions[4].values[1]', '"not ok"', `Invalid value: "not ok": ${LABEL_VALUE_MSG}`],
  ]);
  // With an invalid selector upstream skips the match check.
  assert.deepEqual(findings(text, 'selector-matches-labels'), []);
});

test('selector-syntax: a missing operator is an invalid one', () => {
  const text = edit(FLUENT_BIT, '      app.kubernetes.io/name: fluent-bit\n  minReadySeconds', '      app.kubernetes.io/name: fluent-bit\n    matchExpressions:\n    - key: tier\n  minReadySeconds');
  assert.deepEqual(summary(text, findings(text, 'selector-syntax')), [
    ['spec.selector.matchExpressions[0].operator', 'key', 'Invalid value: "": not a valid selector operator'],
  ]);
});

test('selector-syntax: valid expressions pass', () => {
  const text = edit(FLUENT_BIT, '      app.kubernetes.io/name: fluent-bit\n  minReadySeconds', `      app.kubernetes.io/name: fluent-bit
    matchExpressions:
    - {key: app.kubernetes.io/part-of, operator: In, values: [logging, observability]}
    - {key: canary, operator: DoesNotExist}
  minReadySeconds`);
  assert.deepEqual(findings(text), []);
});

// selector-matches-labels

test('selector-matches-labels: reported on spec.template.metadata.labels with the upstream message', () => {
  const text = edit(FLUENT_BIT, '    matchLabels:\n      app.kubernetes.io/name: fluent-bit\n', '    matchLabels:\n      app.kubernetes.io/name: fluentbit\n');
  const f = findings(text, 'selector-matches-labels');
  assert.equal(f.length, 1);
  assert.equal(f[0].path, 'spec.template.metadata.labels');
  assert.equal(f[0].message, 'Invalid value: map[string]string{"app.kubernetes.io/name":"fluent-bit", "app.kubernetes.io/part-of":"logging"}: `selector` does not match template `labels`');
  assert.equal(f[0].severity, 'error');
  const labelsKey = text.indexOf('labels:', text.indexOf('  template:'));
  assert.deepEqual(f[0].span, { start: labelsKey, end: labelsKey + 'labels'.length });
});

test('selector-matches-labels: a missing selector selects nothing (and the schema stays silent)', () => {
  const text = edit(FLUENT_BIT, '  selector:\n    matchLabels:\n      app.kubernetes.io/name: fluent-bit\n', '');
  const all = validate(parseDocument('ds.yaml', text));
  const f = all.filter((x) => x.code === 'selector-matches-labels');
  assert.equal(f.length, 1);
  assert.equal(f[0].path, 'spec.template.metadata.labels');
  assert.deepEqual(f[0].data, { selectorMissing: true });
  assert.equal(all.filter((x) => x.code === 'missing-required-field').length, 0);
});

test('selector-matches-labels: template without labels', () => {
  const text = edit(FLUENT_BIT, '      labels:\n        app.kubernetes.io/name: fluent-bit\n        app.kubernetes.io/part-of: logging\n      annotations:', '      annotations:');
  const f = findings(text, 'selector-matches-labels');
  assert.equal(f.length, 1);
  assert.equal(f[0].message, 'Invalid value: map[string]string(nil): `selector` does not match template `labels`');
  // No labels key: reported on the template's metadata key.
  assert.equal(f[0].span.start, text.indexOf('metadata:', text.indexOf('  template:')));
});

test('selector-matches-labels: expressions are matched as labels.Selector does', () => {
  const withExprs = (exprs: string) => edit(FLUENT_BIT, '      app.kubernetes.io/name: fluent-bit\n  minReadySeconds', `      app.kubernetes.io/name: fluent-bit\n    matchExpressions:\n${exprs}  minReadySeconds`);
  const ok = withExprs('    - {key: app.kubernetes.io/part-of, operator: In, values: [logging]}\n    - {key: tier, operator: NotIn, values: [web]}\n    - {key: canary, operator: DoesNotExist}\n');
  assert.deepEqual(findings(ok, 'selector-matches-labels'), []);
  for (const bad of [
    '    - {key: app.kubernetes.io/part-of, operator: NotIn, values: [logging]}\n',
    '    - {key: tier, operator: Exists}\n',
    '    - {key: app.kubernetes.io/part-of, operator: DoesNotExist}\n',
    '    - {key: tier, operator: In, values: [logs]}\n',
  ]) {
    assert.equal(findings(withExprs(bad), 'selector-matches-labels').length, 1, bad);
  }
});

// empty-selector

test('empty-selector: selector {} is invalid (and selects everything, so it matches)', () => {
  const text = edit(FLUENT_BIT, '  selector:\n    matchLabels:\n      app.kubernetes.io/name: fluent-bit\n', '  selector: {}\n');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [
    ['spec.selector', 'selector', 'Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for daemonset'],
  ]);
  assert.equal(f[0].code, 'empty-selector');
  const emptyMaps = edit(FLUENT_BIT, '  selector:\n    matchLabels:\n      app.kubernetes.io/name: fluent-bit\n', '  selector:\n    matchLabels: {}\n    matchExpressions: []\n');
  assert.equal(findings(emptyMaps, 'empty-selector').length, 1);
  assert.deepEqual(findings(FLUENT_BIT, 'empty-selector'), []);
});

// active-deadline-seconds

test('active-deadline-seconds: forbidden in a DaemonSet, with a fix that removes it', () => {
  const text = edit(FLUENT_BIT, '      serviceAccountName: fluent-bit\n', '      serviceAccountName: fluent-bit\n      activeDeadlineSeconds: 3600\n');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [
    ['spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
  ]);
  assert.equal(applyFix(text, f[0]), FLUENT_BIT);
});

test('active-deadline-seconds: 0 also fails the pod-spec range check', () => {
  const text = edit(FLUENT_BIT, '      serviceAccountName: fluent-bit\n', '      serviceAccountName: fluent-bit\n      activeDeadlineSeconds: 0\n');
  assert.deepEqual(summary(text, findings(text)), [
    ['spec.template.spec.activeDeadlineSeconds', '0', 'Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ['spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
  ]);
  const unset = edit(FLUENT_BIT, '      serviceAccountName: fluent-bit\n', '      serviceAccountName: fluent-bit\n      activeDeadlineSeconds:\n');
  assert.deepEqual(findings(unset), []);
});

// min-ready-seconds, revision-history-limit

test('min-ready-seconds: negative values are invalid, 0 is fine', () => {
  const text = edit(FLUENT_BIT, 'minReadySeconds: 5', 'minReadySeconds: -5');
  assert.deepEqual(summary(text, findings(text)), [['spec.minReadySeconds', '-5', 'Invalid value: -5: must be greater than or equal to 0']]);
  assert.equal(findings(text)[0].code, 'min-ready-seconds');
  assert.deepEqual(findings(edit(FLUENT_BIT, 'minReadySeconds: 5', 'minReadySeconds: 0')), []);
});

test('revision-history-limit: negative values are invalid, 0 is fine', () => {
  const text = edit(FLUENT_BIT, 'revisionHistoryLimit: 10', 'revisionHistoryLimit: -1');
  assert.deepEqual(summary(text, findings(text)), [['spec.revisionHistoryLimit', '-1', 'Invalid value: -1: must be greater than or equal to 0']]);
  assert.equal(findings(text)[0].code, 'revision-history-limit');
  assert.deepEqual(findings(edit(FLUENT_BIT, 'revisionHistoryLimit: 10', 'revisionHistoryLimit: 0')), []);
});

// update-strategy

test('update-strategy: an unknown type, with the struct as upstream prints it and fixes', () => {
  const text = edit(FLUENT_BIT, '    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 10%\n', '    type: Rolling\n');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [
    ['spec.updateStrategy', 'Rolling', 'Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Rolling", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"'],
  ]);
  assert.equal(f[0].code, 'update-strategy');
  assert.deepEqual(f[0].fixes?.map((x) => [x.title, x.isPreferred]), [['Set type: RollingUpdate', true], ['Set type: OnDelete', false]]);
  assert.deepEqual(findings(applyFix(text, f[0])), []);
});

test('update-strategy: rollingUpdate under OnDelete is accepted but ignored (a warning)', () => {
  const text = edit(FLUENT_BIT, 'type: RollingUpdate', 'type: OnDelete');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [
    ['spec.updateStrategy.rollingUpdate', 'rollingUpdate', '`rollingUpdate` is ignored when the update strategy type is OnDelete: pods are replaced only when you delete them.'],
  ]);
  assert.equal(f[0].severity, 'warning');
  assert.equal(f[0].unnecessary, true);
  const onDelete = edit(FLUENT_BIT, '    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 10%\n', '    type: OnDelete\n');
  assert.deepEqual(findings(onDelete), []);
  const emptyType = edit(FLUENT_BIT, 'type: RollingUpdate', 'type: ""');
  assert.deepEqual(findings(emptyType), []);
});

// rolling-update-values

test('rolling-update-values: maxSurge alone is invalid (maxUnavailable defaults to 1), fixed by maxUnavailable: 0', () => {
  const text = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxSurge: 1');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [
    ['spec.updateStrategy.rollingUpdate.maxSurge', '1', 'Invalid value: 1: may not be set when maxUnavailable is non-zero'],
  ]);
  assert.equal(f[0].code, 'rolling-update-values');
  const fixed = applyFix(text, f[0]);
  assert.match(fixed, /rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n/);
  assert.deepEqual(findings(fixed), []);
});

test('rolling-update-values: both zero after defaulting', () => {
  const text = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxUnavailable: 0');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', '0', 'Required value: cannot be 0 when maxSurge is 0'],
  ]);
  assert.deepEqual(findings(applyFix(text, f[0])), []);
  const percents = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxUnavailable: 0%\n      maxSurge: "0%"');
  assert.deepEqual(summary(percents, findings(percents)), [
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', '0%', 'Required value: cannot be 0 when maxSurge is 0'],
  ]);
});

test('rolling-update-values: percent syntax, range and negative integers', () => {
  const over = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxUnavailable: 150%');
  assert.deepEqual(summary(over, findings(over)), [
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', '150%', 'Invalid value: 150%: must not be greater than 100%'],
  ]);
  // "abc" is not a percent, and counts as 0: both values are then zero.
  const word = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxUnavailable: abc');
  assert.deepEqual(summary(word, findings(word)), [
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'abc', `Invalid value: abc: ${PERCENT_MSG}`],
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'abc', 'Required value: cannot be 0 when maxSurge is 0'],
  ]);
  // A quoted number is a string: not a percent, but strconv.Atoi reads it as 2.
  const quoted = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxUnavailable: "2"');
  assert.deepEqual(summary(quoted, findings(quoted)), [
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', '"2"', `Invalid value: 2: ${PERCENT_MSG}`],
  ]);
  const negative = edit(FLUENT_BIT, 'maxUnavailable: 10%', 'maxUnavailable: 0\n      maxSurge: -1');
  assert.deepEqual(summary(negative, findings(negative)), [
    ['spec.updateStrategy.rollingUpdate.maxSurge', '-1', 'Invalid value: -1: must be greater than or equal to 0'],
  ]);
});

test('rolling-update-values: valid surge and unavailable settings pass; OnDelete is not checked', () => {
  for (const ru of ['maxUnavailable: 1', 'maxUnavailable: 100%', 'maxUnavailable: 0\n      maxSurge: 25%', 'maxSurge: 0']) {
    assert.deepEqual(findings(edit(FLUENT_BIT, 'maxUnavailable: 10%', ru)), [], ru);
  }
  const noBlock = edit(FLUENT_BIT, '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 10%\n', '');
  assert.deepEqual(findings(noBlock), []);
  const onDelete = edit(FLUENT_BIT, '    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 10%\n', '    type: OnDelete\n    rollingUpdate: {maxSurge: 1}\n');
  assert.deepEqual(findings(onDelete, 'rolling-update-values'), []);
});

// metadata-name

test('metadata-name: DNS-1123 subdomain with a rename fix', () => {
  const text = edit(FLUENT_BIT, 'name: fluent-bit\n  namespace', 'name: Fluent_Bit\n  namespace');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [['metadata.name', 'Fluent_Bit', `Invalid value: "Fluent_Bit": ${SUBDOMAIN_MSG}`]]);
  assert.equal(f[0].fixes?.[0].title, 'Rename to fluent-bit');
  assert.deepEqual(findings(applyFix(text, f[0])), []);
});

test('metadata-name: too long, missing, generateName and namespace', () => {
  const long = `a${'-b'.repeat(130)}`;
  const tooLong = edit(FLUENT_BIT, 'name: fluent-bit\n  namespace', `name: ${long}\n  namespace`);
  assert.deepEqual(summary(tooLong, findings(tooLong)), [['metadata.name', long, 'Invalid value: "' + long + '": must be no more than 253 characters']]);

  const missing = edit(FLUENT_BIT, '  name: fluent-bit\n  namespace', '  namespace');
  assert.deepEqual(summary(missing, findings(missing)), [['metadata.name', 'metadata', 'Required value: name or generateName is required']]);

  const generated = edit(FLUENT_BIT, '  name: fluent-bit\n  namespace', '  generateName: fluent-bit-\n  namespace');
  assert.deepEqual(findings(generated), []);
  // maskTrailingDash drops the last two characters and appends 'a': what precedes the '-' is not checked.
  const masked = edit(FLUENT_BIT, '  name: fluent-bit\n  namespace', '  generateName: fluent_-\n  namespace');
  assert.deepEqual(findings(masked), []);
  const badGenerated = edit(FLUENT_BIT, '  name: fluent-bit\n  namespace', '  generateName: Fluent-\n  namespace');
  assert.deepEqual(summary(badGenerated, findings(badGenerated)), [['metadata.generateName', 'Fluent-', `Invalid value: "Fluent-": ${SUBDOMAIN_MSG}`]]);

  const ns = edit(FLUENT_BIT, 'namespace: logging', 'namespace: team.logging');
  assert.deepEqual(summary(ns, findings(ns)), [['metadata.namespace', 'team.logging', 'Invalid value: "team.logging": must not contain dots']]);
});

// metadata-labels, metadata-annotations

test('metadata-labels: keys and values, reported on metadata.labels at the exact key or value', () => {
  const text = edit(FLUENT_BIT, '    app.kubernetes.io/part-of: logging\n  annotations', '    app.kubernetes.io/part-of: logging\n    Example.com/team: platform\n    version: v1.0-\n  annotations');
  assert.deepEqual(summary(text, findings(text)), [
    ['metadata.labels', 'Example.com/team', `Invalid value: "Example.com/team": prefix part ${SUBDOMAIN_MSG}`],
    ['metadata.labels', 'v1.0-', `Invalid value: "v1.0-": ${LABEL_VALUE_MSG}`],
  ]);
  assert.ok(findings(text).every((f) => f.code === 'metadata-labels'));
  // Label keys are checked by apimachinery's content package, which counts bytes; names (above) count characters.
  const prefix = `${'a'.repeat(250)}.com`;
  const longPrefix = edit(FLUENT_BIT, '    app.kubernetes.io/part-of: logging\n  annotations', `    app.kubernetes.io/part-of: logging\n    ${prefix}/team: platform\n  annotations`);
  assert.deepEqual(summary(longPrefix, findings(longPrefix)), [['metadata.labels', `${prefix}/team`, `Invalid value: "${prefix}/team": prefix part must be no more than 253 bytes`]]);
});

test('metadata-annotations: keys are checked lower-cased, and the total size is limited', () => {
  const text = edit(FLUENT_BIT, '    deployment.kubernetes.io/revision: "3"\n', '    deployment.kubernetes.io/revision: "3"\n    Kubectl.Kubernetes.IO/Last-Applied: "{}"\n    bad key: x\n');
  assert.deepEqual(summary(text, findings(text)), [
    ['metadata.annotations', 'bad key', `Invalid value: "bad key": ${LABEL_KEY_MSG}`],
  ]);
  assert.equal(findings(text)[0].code, 'metadata-annotations');
  const big = edit(FLUENT_BIT, '    deployment.kubernetes.io/revision: "3"\n', `    deployment.kubernetes.io/revision: "3"\n    example.com/blob: ${'x'.repeat(262144)}\n`);
  const f = findings(big);
  assert.deepEqual(f.map((x) => [x.path, at(big, x), x.message]), [['metadata.annotations', 'annotations', 'Too long: may not be more than 262144 bytes']]);
  const justFits = edit(FLUENT_BIT, '    deployment.kubernetes.io/revision: "3"\n', `    deployment.kubernetes.io/revision: "3"\n    example.com/blob: ${'x'.repeat(262144 - 34 - 1 - 16)}\n`);
  assert.deepEqual(findings(justFits), []);
});

// template-labels, template-annotations

test('template-labels: reported on spec.template.labels (no metadata in the upstream path)', () => {
  const text = edit(FLUENT_BIT, '        app.kubernetes.io/part-of: logging\n      annotations', '        app.kubernetes.io/part-of: logging\n        release: "2024.10.01 "\n      annotations');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [['spec.template.labels', '"2024.10.01 "', `Invalid value: "2024.10.01 ": ${LABEL_VALUE_MSG}`]]);
  assert.equal(f[0].code, 'template-labels');
});

test('template-annotations: reported on spec.template.annotations', () => {
  const text = edit(FLUENT_BIT, '        fluentbit.io/exclude: "true"\n', '        fluentbit.io/exclude: "true"\n        /parser: json\n');
  const f = findings(text);
  assert.deepEqual(summary(text, f), [['spec.template.annotations', '/parser', 'Invalid value: "/parser": prefix part must be non-empty']]);
  assert.equal(f[0].code, 'template-annotations');
});

test('wrong types are left to the schema, not re-reported by the rules', () => {
  const text = edit(edit(edit(FLUENT_BIT, 'minReadySeconds: 5', 'minReadySeconds: "-5"'), 'maxUnavailable: 10%', 'maxUnavailable: 1.5'), '    app.kubernetes.io/part-of: logging\n  annotations', '    app.kubernetes.io/part-of: logging\n    replicas: 3\n  annotations');
  assert.deepEqual(findings(text), []);
  const codes = validate(parseDocument('ds.yaml', text)).map((f) => f.code);
  assert.deepEqual(codes.filter((c) => c === 'invalid-type').length, 3);
});

test('Kustomize patches skip the checks that need a complete object', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
spec:
  template:
    spec:
      containers:
      - name: fluent-bit
        resources:
          limits:
            memory: 256Mi
`;
  assert.deepEqual(findings(patch), []);
  const badPatch = edit(patch, 'name: fluent-bit\nspec', 'name: Fluent-Bit\nspec');
  assert.deepEqual(findings(badPatch).map((f) => f.code), ['metadata-name']);
});

// --- removed API versions and the target version -------------------------------------------

const OLD_AGENT = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: DaemonSet
metadata:
  name: nginx-ingress
  namespace: nginx-ingress
spec:
  template:
    metadata:
      labels:
        app: nginx-ingress
    spec:
      serviceAccountName: nginx-ingress
      containers:
      - image: nginx/nginx-ingress:1.5.8
        name: nginx-ingress
        ports:
        - name: http
          containerPort: 80
          hostPort: 80
`;

test('removed-api-version: the target version decides whether extensions/v1beta1 and apps/v1beta2 are served', () => {
  const parse = parseDocument;
  const run = validate;
  for (const api of ['extensions/v1beta1', 'apps/v1beta2']) {
    const model = parse('file:///ingress.yaml', OLD_AGENT(api));
    const at115 = run(model, { kubernetesVersion: '1.15' });
    assert.deepEqual(at115.map((f) => [f.code, f.severity]), [['removed-api-version', 'information']], api);
    assert.equal(at115[0].fixes?.[0].edits[0].newText, 'apps/v1');
    const at116 = run(model, { kubernetesVersion: '1.16' });
    assert.deepEqual(at116.map((f) => [f.code, f.severity]), [['removed-api-version', 'error']], api);
    assert.match(at116[0].message, /was removed in Kubernetes 1\.16/);
    // The default target (1.35) and the editor setting (`daemonsetLens.kubernetesVersion: "v1.15"`) take the same road.
    assert.equal(run(model)[0].severity, 'error');
    const setting = normalizeSettings({ kubernetesVersion: 'v1.15' });
    assert.equal(run(model, { kubernetesVersion: setting.kubernetesVersion })[0].severity, 'information');
  }
  // apps/v1beta1 never had a DaemonSet kind: an error at every version.
  const v1beta1 = run(parse('file:///ingress.yaml', OLD_AGENT('apps/v1beta1')), { kubernetesVersion: '1.15' });
  assert.deepEqual(v1beta1.map((f) => [f.code, f.severity]), [['removed-api-version', 'error']]);
  assert.match(v1beta1[0].message, /no DaemonSet kind/);
});

test('removed-api-version: moving an extensions/v1beta1 DaemonSet to apps/v1 writes the selector the old API defaulted', () => {
  const fixture = readFileSync(new URL('../fixtures/invalid/removed-api-version.yaml', import.meta.url), 'utf8');
  for (const text of [OLD_AGENT('extensions/v1beta1'), fixture, fixture.replace(/\n/g, '\r\n')]) {
    const [f] = validate(parseDocument('file:///old.yaml', text));
    const fix = f.fixes?.find((x) => x.isPreferred);
    assert.equal(fix?.title, 'Use apiVersion apps/v1 and add spec.selector from the template labels');
    const fixed = applyEdits(text, fix!.edits);
    // The API server would accept it: no error left, and the selector is the template labels.
    const after = validate(parseDocument('file:///old.yaml', fixed));
    assert.deepEqual(after.filter((x) => x.severity === 'error').map((x) => x.code), []);
    const ds = parseDocument('file:///old.yaml', fixed).daemonSets[0].value as { spec: { selector: unknown; template: { metadata: { labels: unknown } } } };
    assert.deepEqual(ds.spec.selector, { matchLabels: ds.spec.template.metadata.labels });
    // The apiVersion line changes and the selector's lines are added; nothing else is rewritten.
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const [a, b] = [text.split(eol), fixed.split(eol)];
    assert.deepEqual(a.filter((l) => !b.includes(l)), ['apiVersion: extensions/v1beta1']);
    const labels = Object.keys(ds.spec.template.metadata.labels as object).length;
    assert.equal(b.length - a.length, 2 + labels, 'selector:, matchLabels: and one line per label');
    if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(fixed), 'CRLF kept on every line');
  }
  // apps/v1beta2 already required a selector: the fix changes the version only.
  const [g] = validate(parseDocument('file:///old.yaml', OLD_AGENT('apps/v1beta2')));
  assert.equal(g.fixes?.[0].title, 'Use apiVersion apps/v1');
  assert.equal(g.fixes?.[0].edits.length, 1);
  // With a selector already there, nothing is added.
  const withSelector = OLD_AGENT('extensions/v1beta1').replace('spec:\n  template:', 'spec:\n  selector:\n    matchLabels:\n      app: nginx-ingress\n  template:');
  const [h] = validate(parseDocument('file:///old.yaml', withSelector));
  assert.deepEqual(h.fixes?.[0].edits.map((e) => e.newText), ['apps/v1']);
});
