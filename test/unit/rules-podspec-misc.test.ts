import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { fixesOf, validate, type ValidateOptions } from '../../server/src/engine/validate';
import { RULES } from '../../server/src/engine/rules';
import type { Finding, Fix, TextEdit } from '../../server/src/engine/types';
import { podSpecManifest } from './podSpecManifest';

// Upstream detail texts (apimachinery/pkg/util/validation), spelled out so a wording change shows.
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const T = 'spec.template.spec';
const NEW_RULES = ['container-policies', 'container-restart-policy', 'pod-gates', 'topology-spread', 'preemption-policy', 'pod-overhead', 'termination-grace-period', 'image-pull-secrets'];

/** A DaemonSet whose pod spec is `podSpec` (written at column 0). */
const daemonSet = (podSpec: string, name = 'log-agent'): string => podSpecManifest(podSpec, { name, namespace: 'logging' });

/**
 * A log shipper with a config-reloader sidecar (an init container with restartPolicy: Always, which
 * keeps running beside the main container), a plain init container, and the pod-level fields these
 * rules check, all valid.
 */
const LOG_AGENT = `
priorityClassName: system-node-critical
tolerations:
- operator: Exists
preemptionPolicy: PreemptLowerPriority
terminationGracePeriodSeconds: 30
imagePullSecrets:
- name: registry-credentials
readinessGates:
- conditionType: example.com/log-pipeline-ready
schedulingGates:
- name: example.com/node-initialised
overhead:
  cpu: 250m
  memory: 120Mi
topologySpreadConstraints:
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: DoNotSchedule
  minDomains: 3
  nodeAffinityPolicy: Honor
  nodeTaintsPolicy: Ignore
  labelSelector:
    matchLabels:
      app: log-agent
  matchLabelKeys: [controller-revision-hash]
- maxSkew: 2
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchExpressions:
    - {key: app, operator: In, values: [log-agent]}
initContainers:
- name: wait-for-disk
  image: busybox:1.36
  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']
  imagePullPolicy: IfNotPresent
- name: config-reloader
  image: ghcr.io/example/config-reloader:v0.14.0
  restartPolicy: Always
  imagePullPolicy: Always
  terminationMessagePolicy: File
containers:
- name: fluent-bit
  image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
  imagePullPolicy: Never
  terminationMessagePolicy: FallbackToLogsOnError
  resizePolicy:
  - resourceName: cpu
    restartPolicy: NotRequired
  - resourceName: memory
    restartPolicy: RestartContainer
  resources:
    requests: {cpu: 100m, memory: 64Mi}
    limits: {cpu: 500m, memory: 256Mi}
`;

function check(text: string, code: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('ds.yaml', text), { rules: RULES, ...options }).filter((f) => f.code === code);
}

const under = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);

/** [path, message, text under the span] of each finding of `code`, in reporting order. */
function summary(text: string, code: string, options?: ValidateOptions): string[][] {
  return check(text, code, options).map((f) => [f.path, f.message, under(text, f)]);
}

function applyFix(text: string, fix: Fix): string {
  const edits: TextEdit[] = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

/** Applies the fix titled `title` of the finding of `code` at `path`; the finding must then be gone. */
function applyFixOf(text: string, code: string, path: string, title: string, options?: ValidateOptions): string {
  const f = check(text, code, options).find((x) => x.path === path);
  assert.ok(f, `${code} at ${path}`);
  const fix = f.fixes?.find((x) => x.title === title);
  assert.ok(fix, `fix "${title}" among ${JSON.stringify(f.fixes?.map((x) => x.title))}`);
  const fixed = applyFix(text, fix);
  assert.deepEqual(check(fixed, code, options).filter((x) => x.message === f.message && x.path === f.path).map((x) => x.message), []);
  return fixed;
}

const V133: ValidateOptions = { kubernetesVersion: '1.33' };
const V134: ValidateOptions = { kubernetesVersion: '1.34' };

test('a realistic node agent with a sidecar init container gives no finding from these rules, in 1.33 to 1.35', () => {
  const text = daemonSet(LOG_AGENT);
  for (const options of [{}, V134, V133, { kubernetesVersion: '1.29' }]) {
    for (const code of NEW_RULES) {
      assert.ok(RULES.some((r) => r.id === code), `${code} is registered`);
      assert.deepEqual(summary(text, code, options), [], `${code} ${JSON.stringify(options)}`);
    }
  }
  // The schema has nothing to say either.
  const all = validate(parseDocument('ds.yaml', text), { rules: RULES });
  assert.deepEqual(all.map((f) => `${f.code} ${f.path}: ${f.message}`), []);
});

// --- container-policies ----------------------------------------------------------------------------

test('container-policies: imagePullPolicy and terminationMessagePolicy, in containers and init containers', () => {
  const text = daemonSet(LOG_AGENT.replace('  imagePullPolicy: Never', '  imagePullPolicy: Sometimes\n  terminationMessagePolicy: Foo')
    .replace('  terminationMessagePolicy: FallbackToLogsOnError\n', '')
    .replace('  imagePullPolicy: IfNotPresent\n', '  imagePullPolicy: "ifnotpresent"\n'));
  assert.deepEqual(summary(text, 'container-policies'), [
    [`${T}.containers[0].terminationMessagePolicy`, 'Unsupported value: "Foo": supported values: "File", "FallbackToLogsOnError"', 'Foo'],
    [`${T}.containers[0].imagePullPolicy`, 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"', 'Sometimes'],
    [`${T}.initContainers[0].imagePullPolicy`, 'Unsupported value: "ifnotpresent": supported values: "Always", "IfNotPresent", "Never"', '"ifnotpresent"'],
  ]);
  // The quick fix edits only the scalar, keeping its quotes.
  const fixed = applyFixOf(text, 'container-policies', `${T}.initContainers[0].imagePullPolicy`, 'Change imagePullPolicy to IfNotPresent');
  assert.ok(fixed.includes('  imagePullPolicy: "IfNotPresent"\n'));
  assert.equal(fixed.length, text.length);
  // Findings asked for without their fixes get them back when the quick fix is asked for.
  const model = parseDocument('ds.yaml', text);
  const bare = validate(model, { rules: RULES, fixes: false }).find((f) => f.path === `${T}.initContainers[0].imagePullPolicy`)!;
  assert.equal(bare.fixes, undefined);
  assert.deepEqual(fixesOf(model, bare, { rules: RULES }).map((f) => f.title), ['Change imagePullPolicy to IfNotPresent']);
  // "Sometimes" is close to no policy: no fix is guessed.
  assert.equal(check(text, 'container-policies')[1].fixes, undefined);
  // Empty values are defaulted (SetDefaults_Container), never reported.
  const empty = daemonSet(LOG_AGENT.replace('  imagePullPolicy: Never', '  imagePullPolicy: ""').replace('terminationMessagePolicy: FallbackToLogsOnError', 'terminationMessagePolicy:'));
  assert.deepEqual(summary(empty, 'container-policies'), []);
});

test('container-policies: terminationMessagePolicy typo fixed to the closest value', () => {
  const text = daemonSet(LOG_AGENT.replace('terminationMessagePolicy: FallbackToLogsOnError', 'terminationMessagePolicy: FallbackToLogOnError'));
  const fixed = applyFixOf(text, 'container-policies', `${T}.containers[0].terminationMessagePolicy`, 'Change terminationMessagePolicy to FallbackToLogsOnError');
  assert.equal(fixed, daemonSet(LOG_AGENT));
});

test('container-policies: resizePolicy errors are printed on the list, a duplicate on the entry', () => {
  const text = daemonSet(LOG_AGENT.replace(`  resizePolicy:
  - resourceName: cpu
    restartPolicy: NotRequired
  - resourceName: memory
    restartPolicy: RestartContainer`, `  resizePolicy:
  - {resourceName: cpu, restartPolicy: RestartContainers}
  - {resourceName: cpu, restartPolicy: NotRequired}
  - {resourceName: gpu, restartPolicy: ""}
  - {restartPolicy: NotRequired}`));
  const R = `${T}.containers[0].resizePolicy`;
  assert.deepEqual(summary(text, 'container-policies'), [
    [R, 'Unsupported value: "RestartContainers": supported values: "NotRequired", "RestartContainer"', 'RestartContainers'],
    [`${R}[1]`, 'Duplicate value: "cpu"', 'cpu'],
    [R, 'Unsupported value: "gpu": supported values: "cpu", "memory"', 'gpu'],
    [R, 'Required value', '""'],
    [R, 'Required value', 'restartPolicy'],
  ]);
  applyFixOf(text, 'container-policies', R, 'Change restartPolicy to RestartContainer');
  // With the pod restartPolicy Never, only NotRequired is allowed (the DaemonSet rule rejects Never too).
  const never = daemonSet(`restartPolicy: Never\n${LOG_AGENT}`);
  assert.deepEqual(summary(never, 'container-policies'), [
    [R, 'Invalid value: "RestartContainer": must be \'NotRequired\' when `restartPolicy` is \'Never\'', 'RestartContainer'],
  ]);
});

test('container-policies: resizePolicy is dropped, not checked, while InPlacePodVerticalScaling is off', () => {
  const text = daemonSet(LOG_AGENT.replace('restartPolicy: RestartContainer', 'restartPolicy: Later'));
  assert.equal(check(text, 'container-policies').length, 1);
  assert.equal(check(text, 'container-policies', V133).length, 1);
  assert.deepEqual(summary(text, 'container-policies', { kubernetesVersion: '1.32' }), []);
  assert.equal(check(text, 'container-policies', { kubernetesVersion: '1.32', featureGates: { InPlacePodVerticalScaling: true } }).length, 1);
  assert.equal(check(text, 'container-policies', { kubernetesVersion: '1.34', featureGates: { InPlacePodVerticalScaling: false } }).length, 0);
  // Locked on (GA) in 1.35.
  assert.equal(check(text, 'container-policies', { featureGates: { InPlacePodVerticalScaling: false } }).length, 1);
  // The schema leaves a missing resourceName or restartPolicy to the rule.
  const missing = daemonSet(LOG_AGENT.replace('  - resourceName: memory\n', '  - resourceName: memory\n  - resourceName: cpu\n'));
  assert.deepEqual(validate(parseDocument('ds.yaml', missing), { rules: RULES }).map((f) => `${f.code} ${f.path}: ${f.message}`), [
    `container-policies ${T}.containers[0].resizePolicy: Required value`,
    `container-policies ${T}.containers[0].resizePolicy[2]: Duplicate value: "cpu"`,
  ]);
});

// --- container-restart-policy ----------------------------------------------------------------------

const SIDECAR_AND_JOBS = LOG_AGENT
  .replace('  imagePullPolicy: Never\n', '  imagePullPolicy: Never\n  restartPolicy: Always\n')
  .replace("  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']\n", "  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']\n  restartPolicy: Never\n");

test('container-restart-policy: 1.35 (ContainerRestartRules on) accepts Always, Never and OnFailure on any container', () => {
  const text = daemonSet(SIDECAR_AND_JOBS);
  assert.deepEqual(summary(text, 'container-restart-policy'), []);
  // 1.34: the gate is off and the API server drops these fields instead of rejecting them.
  assert.deepEqual(summary(text, 'container-restart-policy', V134), []);
  // Before 1.34: a regular container may not set restartPolicy, an init container only Always.
  assert.deepEqual(summary(text, 'container-restart-policy', V133), [
    [`${T}.containers[0].restartPolicy`, 'Forbidden: may not be set for non-init containers', 'restartPolicy'],
    [`${T}.initContainers[0].restartPolicy`, 'Unsupported value: "Never": supported values: "Always"', 'Never'],
  ]);
  const fixed = applyFixOf(text, 'container-restart-policy', `${T}.containers[0].restartPolicy`, 'Remove restartPolicy', V133);
  assert.equal(fixed, text.replace('        restartPolicy: Always\n        terminationMessagePolicy: FallbackToLogsOnError', '        terminationMessagePolicy: FallbackToLogsOnError'));
  // Without SidecarContainers (1.28) an init container's restartPolicy is dropped.
  assert.deepEqual(summary(text, 'container-restart-policy', { kubernetesVersion: '1.28' }).map((s) => s[0]), [`${T}.containers[0].restartPolicy`]);
});

test('container-restart-policy: unknown policies, fixed to the closest', () => {
  const text = daemonSet(LOG_AGENT.replace('  restartPolicy: Always\n  imagePullPolicy: Always', '  restartPolicy: always\n  imagePullPolicy: Always'));
  assert.deepEqual(summary(text, 'container-restart-policy'), [
    [`${T}.initContainers[1].restartPolicy`, 'Unsupported value: "always": supported values: "Always", "Never", "OnFailure"', 'always'],
  ]);
  assert.deepEqual(summary(text, 'container-restart-policy', V133), [
    [`${T}.initContainers[1].restartPolicy`, 'Unsupported value: "always": supported values: "Always"', 'always'],
  ]);
  assert.equal(applyFixOf(text, 'container-restart-policy', `${T}.initContainers[1].restartPolicy`, 'Change restartPolicy to Always', V133), daemonSet(LOG_AGENT));
  assert.equal(applyFixOf(text, 'container-restart-policy', `${T}.initContainers[1].restartPolicy`, 'Change restartPolicy to Always'), daemonSet(LOG_AGENT));
});

test('container-restart-policy: restart rules need a restartPolicy, action Restart and exitCodes; a sidecar may have none', () => {
  const rules = `  restartPolicyRules:
  - action: Restart
    exitCodes: {operator: In, values: [42]}
`;
  const valid = daemonSet(LOG_AGENT.replace('  imagePullPolicy: Never\n', `  imagePullPolicy: Never\n  restartPolicy: Never\n${rules}`));
  assert.deepEqual(summary(valid, 'container-restart-policy'), []);
  const text = daemonSet(LOG_AGENT
    .replace('  imagePullPolicy: Never\n', `  imagePullPolicy: Never\n  restartPolicyRules:\n  - action: Retry\n    exitCodes: {operator: Equals, values: [1]}\n  - action: Restart\n`)
    .replace('  restartPolicy: Always\n  imagePullPolicy: Always\n', `  restartPolicy: Always\n  imagePullPolicy: Always\n${rules}`));
  assert.deepEqual(summary(text, 'container-restart-policy'), [
    [`${T}.containers[0].restartPolicy`, 'Required value: must specify restartPolicy when restart rules are used', 'restartPolicyRules'],
    [`${T}.containers[0].restartPolicyRules[0].action`, 'Unsupported value: "Retry": supported values: "Restart"', 'Retry'],
    [`${T}.containers[0].restartPolicyRules[0].exitCodes.operator`, 'Unsupported value: "Equals": supported values: "In", "NotIn"', 'Equals'],
    [`${T}.containers[0].restartPolicyRules[1].exitCodes`, 'Required value: must be specified', 'action'],
    [`${T}.initContainers[1].restartPolicyRules`, 'Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always', 'restartPolicyRules'],
  ]);
  // 1.34 drops the rules (gate off) unless the gate is turned on.
  assert.deepEqual(summary(text, 'container-restart-policy', V134), []);
  assert.equal(check(text, 'container-restart-policy', { ...V134, featureGates: { ContainerRestartRules: true } }).length, 5);
  // The schema leaves a missing action or operator to the rule.
  const bare = daemonSet(LOG_AGENT.replace('  imagePullPolicy: Never\n', '  imagePullPolicy: Never\n  restartPolicy: OnFailure\n  restartPolicyRules:\n  - exitCodes: {values: [1]}\n'));
  assert.deepEqual(validate(parseDocument('ds.yaml', bare), { rules: RULES }).map((f) => `${f.code} ${f.path}: ${f.message}`), [
    `container-restart-policy ${T}.containers[0].restartPolicyRules[0].action: Unsupported value: "": supported values: "Restart"`,
    `container-restart-policy ${T}.containers[0].restartPolicyRules[0].exitCodes.operator: Unsupported value: "": supported values: "In", "NotIn"`,
  ]);
});

test('container-restart-policy: from 1.35 an init container with restart rules needs its own restartPolicy', () => {
  // validation-1.35.go validateInitContainers calls validateInitContainerRestartPolicy for every init
  // container; 1.34 called it only when restartPolicy was set.
  const withRules = (policy: string) => daemonSet(LOG_AGENT.replace("  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']\n",
    `  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']\n${policy}  restartPolicyRules:\n  - action: Restart\n    exitCodes: {operator: In, values: [42]}\n`));
  const text = withRules('');
  assert.deepEqual(summary(text, 'container-restart-policy'), [
    [`${T}.initContainers[0].restartPolicy`, 'Required value: must specify restartPolicy when restart rules are used', 'restartPolicyRules'],
  ]);
  assert.deepEqual(summary(text, 'container-restart-policy', V134), []);
  assert.deepEqual(summary(text, 'container-restart-policy', { ...V134, featureGates: { ContainerRestartRules: true } }), []);
  // With ContainerRestartRules turned off, 1.35 drops the rules (dropContainerRestartRules).
  assert.deepEqual(summary(text, 'container-restart-policy', { featureGates: { ContainerRestartRules: false } }), []);
  assert.deepEqual(summary(withRules('  restartPolicy: Never\n'), 'container-restart-policy'), []);
  // validateInitContainerRestartPolicy returns after that Required: the rules themselves are not
  // checked (a regular container's are, by validateContainerRestartPolicy).
  const badRules = daemonSet(LOG_AGENT.replace("  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']\n",
    "  command: [sh, -c, 'until [ -d /var/log/pods ]; do sleep 1; done']\n  restartPolicyRules:\n  - action: Retry\n  - action: Restart\n    exitCodes: {operator: Equals, values: [1]}\n"));
  assert.deepEqual(summary(badRules, 'container-restart-policy'), [
    [`${T}.initContainers[0].restartPolicy`, 'Required value: must specify restartPolicy when restart rules are used', 'restartPolicyRules'],
  ]);
});

test('container-restart-policy: RestartAllContainersOnContainerExits (1.35 alpha) accepts RestartAllContainers and rules on a sidecar', () => {
  const rule = '  restartPolicyRules:\n  - action: RestartAllContainers\n    exitCodes: {operator: NotIn, values: [0]}\n';
  const text = daemonSet(LOG_AGENT
    .replace('  imagePullPolicy: Never\n', `  imagePullPolicy: Never\n  restartPolicy: Never\n${rule}`)
    .replace('  restartPolicy: Always\n  imagePullPolicy: Always\n', `  restartPolicy: Always\n  imagePullPolicy: Always\n${rule}`));
  // Off by default: the action is rejected (the list names Restart alone, as upstream prints it) and a
  // sidecar may not have rules.
  assert.deepEqual(summary(text, 'container-restart-policy'), [
    [`${T}.containers[0].restartPolicyRules[0].action`, 'Unsupported value: "RestartAllContainers": supported values: "Restart"', 'RestartAllContainers'],
    [`${T}.initContainers[1].restartPolicyRules`, 'Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always', 'restartPolicyRules'],
  ]);
  const gate = { featureGates: { RestartAllContainersOnContainerExits: true } };
  assert.deepEqual(summary(text, 'container-restart-policy', gate), []);
  // The sidecar's rules are then checked as any container's.
  const badSidecarRule = daemonSet(LOG_AGENT
    .replace('  imagePullPolicy: Never\n', `  imagePullPolicy: Never\n  restartPolicy: Never\n${rule}`)
    .replace('  restartPolicy: Always\n  imagePullPolicy: Always\n', `  restartPolicy: Always\n  imagePullPolicy: Always\n${rule.replace('RestartAllContainers', 'Reboot')}`));
  assert.deepEqual(summary(badSidecarRule, 'container-restart-policy', gate), [
    [`${T}.initContainers[1].restartPolicyRules[0].action`, 'Unsupported value: "Reboot": supported values: "Restart"', 'Reboot'],
  ]);
  // The gate does not exist before 1.35.
  assert.deepEqual(summary(text, 'container-restart-policy', { kubernetesVersion: '1.34', featureGates: { ContainerRestartRules: true, RestartAllContainersOnContainerExits: true } }).map((s) => s[0]), [
    `${T}.containers[0].restartPolicyRules[0].action`,
    `${T}.initContainers[1].restartPolicyRules`,
  ]);
});

test('container-restart-policy: more than 20 rules, more than 255 exit codes', () => {
  const many = Array.from({ length: 21 }, () => '  - {action: Restart, exitCodes: {operator: NotIn, values: [0]}}\n').join('');
  const codes = Array.from({ length: 256 }, (_, i) => i).join(', ');
  const text = daemonSet(LOG_AGENT.replace('  imagePullPolicy: Never\n', `  imagePullPolicy: Never\n  restartPolicy: Never\n  restartPolicyRules:\n  - {action: Restart, exitCodes: {operator: In, values: [${codes}]}}\n${many}`));
  assert.deepEqual(summary(text, 'container-restart-policy').map((s) => s.slice(0, 2)), [
    [`${T}.containers[0].restartPolicyRules`, 'Too long: may not be more than 20 bytes'],
    [`${T}.containers[0].restartPolicyRules[0].exitCodes.values`, 'Too long: may not be more than 255 bytes'],
  ]);
});

// --- pod-gates -------------------------------------------------------------------------------------

test('pod-gates: readiness gate condition types and scheduling gate names are qualified names', () => {
  const text = daemonSet(LOG_AGENT.replace('- conditionType: example.com/log-pipeline-ready', '- conditionType: "bad type!"\n- {}')
    .replace('- name: example.com/node-initialised', '- name: example.com/node-initialised\n- name: example.com/node-initialised\n- name: a/b/c'));
  assert.deepEqual(summary(text, 'pod-gates'), [
    [`${T}.readinessGates[0].conditionType`, `Invalid value: "bad type!": ${NAME_PART}`, '"bad type!"'],
    // An empty name fails the pattern too: upstream reports both.
    [`${T}.readinessGates[1].conditionType`, 'Invalid value: "": name part must be non-empty', '{}'],
    [`${T}.readinessGates[1].conditionType`, `Invalid value: "": ${NAME_PART}`, '{}'],
    [`${T}.schedulingGates[1]`, 'Duplicate value: "example.com/node-initialised"', 'example.com/node-initialised'],
    [`${T}.schedulingGates[2]`, `Invalid value: "a/b/c": a valid label key ${NAME_PART.slice('name part '.length)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`, 'a/b/c'],
  ]);
  // The schema leaves the missing conditionType to the rule.
  assert.deepEqual(validate(parseDocument('ds.yaml', text), { rules: RULES }).filter((f) => f.code === 'missing-required-field'), []);
  // Scheduling gates are dropped before PodSchedulingReadiness (on by default from 1.27).
  assert.deepEqual(summary(text, 'pod-gates', { kubernetesVersion: '1.26' }).map((s) => s[0]), [`${T}.readinessGates[0].conditionType`, `${T}.readinessGates[1].conditionType`, `${T}.readinessGates[1].conditionType`]);
});

// --- topology-spread -------------------------------------------------------------------------------

test('topology-spread: maxSkew, topologyKey and whenUnsatisfiable, in upstream order and wording', () => {
  const text = daemonSet(`${LOG_AGENT}`.replace(`- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: DoNotSchedule`, `- maxSkew: 0
  topologyKey: ""
  whenUnsatisfiable: Sometimes`));
  const C = `${T}.topologySpreadConstraints[0]`;
  assert.deepEqual(summary(text, 'topology-spread'), [
    [`${C}.maxSkew`, 'Invalid value: 0: must be greater than zero', '0'],
    [`${C}.topologyKey`, 'Required value: can not be empty', '""'],
    [`${C}.whenUnsatisfiable`, 'Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"', 'Sometimes'],
    [`${C}.minDomains`, 'Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not Sometimes', '3'],
  ]);
  assert.equal(applyFixOf(text, 'topology-spread', `${C}.maxSkew`, 'Set maxSkew to 1').includes('- maxSkew: 1\n'), true);
  // A missing field is the rule's (the schema stays silent), shown on the constraint's first key.
  const bare = daemonSet('containers: [{name: agent, image: busybox}]\ntopologySpreadConstraints:\n- labelSelector: {matchLabels: {app: log-agent}}\n');
  assert.deepEqual(validate(parseDocument('ds.yaml', bare), { rules: RULES }).map((f) => [f.code, f.path, f.message, under(bare, f)]), [
    ['topology-spread', `${C}.maxSkew`, 'Invalid value: 0: must be greater than zero', 'labelSelector'],
    ['topology-spread', `${C}.topologyKey`, 'Required value: can not be empty', 'labelSelector'],
    ['topology-spread', `${C}.whenUnsatisfiable`, 'Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"', 'labelSelector'],
  ]);
});

test('topology-spread: whenUnsatisfiable typo fixed; a repeated {topologyKey, whenUnsatisfiable} pair', () => {
  const text = daemonSet(LOG_AGENT.replace('whenUnsatisfiable: ScheduleAnyway', 'whenUnsatisfiable: DoNotSchedul'));
  const fixed = applyFixOf(text, 'topology-spread', `${T}.topologySpreadConstraints[1].whenUnsatisfiable`, 'Change whenUnsatisfiable to DoNotSchedule');
  assert.deepEqual(summary(fixed, 'topology-spread'), []);
  const twice = daemonSet(LOG_AGENT.replace('topologyKey: topology.kubernetes.io/zone\n  whenUnsatisfiable: ScheduleAnyway', 'topologyKey: kubernetes.io/hostname\n  whenUnsatisfiable: DoNotSchedule'));
  assert.deepEqual(summary(twice, 'topology-spread'), [
    [`${T}.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}`, 'Duplicate value: "{kubernetes.io/hostname, DoNotSchedule}"', 'kubernetes.io/hostname'],
  ]);
});

test('topology-spread: minDomains, node inclusion policies and the labelSelector', () => {
  const text = daemonSet(LOG_AGENT.replace('minDomains: 3', 'minDomains: 0').replace('nodeAffinityPolicy: Honor', 'nodeAffinityPolicy: honour')
    .replace('nodeTaintsPolicy: Ignore', 'nodeTaintsPolicy: ""').replace('{key: app, operator: In, values: [log-agent]}', '{key: app, operator: Is, values: ["log agent"]}'));
  const C = `${T}.topologySpreadConstraints`;
  assert.deepEqual(summary(text, 'topology-spread'), [
    [`${C}[0].minDomains`, 'Invalid value: 0: must be greater than zero', '0'],
    [`${C}[0].nodeAffinityPolicy`, 'Unsupported value: "honour": supported values: "Honor", "Ignore"', 'honour'],
    [`${C}[0].nodeTaintsPolicy`, 'Unsupported value: "": supported values: "Honor", "Ignore"', '""'],
    [`${C}[1].labelSelector.matchExpressions[0].operator`, 'Invalid value: "Is": not a valid selector operator', 'Is'],
    [`${C}[1].labelSelector.matchExpressions[0].values[0]`, `Invalid value: "log agent": ${LABEL_VALUE}`, '"log agent"'],
  ]);
  applyFixOf(text, 'topology-spread', `${C}[0].nodeAffinityPolicy`, 'Change nodeAffinityPolicy to Honor');
  // Policies are dropped before NodeInclusionPolicyInPodTopologySpread (1.26), minDomains before 1.27.
  assert.deepEqual(summary(text, 'topology-spread', { kubernetesVersion: '1.25' }).map((s) => s[0]), [`${C}[1].labelSelector.matchExpressions[0].operator`, `${C}[1].labelSelector.matchExpressions[0].values[0]`]);
});

test('topology-spread: matchLabelKeys, with and without MatchLabelKeysInPodTopologySpreadSelectorMerge', () => {
  const C = `${T}.topologySpreadConstraints[0]`;
  // The key is both in matchLabels and in matchExpressions, and in matchLabelKeys.
  const text = daemonSet(LOG_AGENT.replace('  matchLabelKeys: [controller-revision-hash]', `    matchExpressions:
    - {key: app, operator: Exists}
  matchLabelKeys: [controller-revision-hash, app, "bad key!"]`));
  // 1.34+: ValidateMatchLabelKeysAndMismatchLabelKeys, whose "exists in both" path is the constraint's indexed by the key's index.
  assert.deepEqual(summary(text, 'topology-spread'), [
    [`${C}.matchLabelKeys[2]`, `Invalid value: "bad key!": ${NAME_PART}`, '"bad key!"'],
    [`${C}[1]`, 'Invalid value: "app": exists in both matchLabelKeys and labelSelector', 'app'],
  ]);
  // Before 1.34: ValidateMatchLabelKeysInTopologySpread, at the key itself.
  assert.deepEqual(summary(text, 'topology-spread', V133), [
    [`${C}.matchLabelKeys[1]`, 'Invalid value: "app": exists in both matchLabelKeys and labelSelector', 'app'],
    [`${C}.matchLabelKeys[2]`, `Invalid value: "bad key!": ${NAME_PART}`, '"bad key!"'],
  ]);
  // A key only in matchLabels is accepted by the newer check, not by the older one.
  const inMatchLabels = daemonSet(LOG_AGENT.replace('matchLabelKeys: [controller-revision-hash]', 'matchLabelKeys: [app]'));
  assert.deepEqual(summary(inMatchLabels, 'topology-spread'), []);
  assert.deepEqual(summary(inMatchLabels, 'topology-spread', { featureGates: { MatchLabelKeysInPodTopologySpreadSelectorMerge: false } }).map((s) => s[1]), ['Invalid value: "app": exists in both matchLabelKeys and labelSelector']);
  // matchLabelKeys without a labelSelector; dropped while MatchLabelKeysInPodTopologySpread is off.
  const noSelector = daemonSet('containers: [{name: agent, image: busybox}]\ntopologySpreadConstraints:\n- {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, matchLabelKeys: [app]}\n');
  const forbidden = [`${C}.matchLabelKeys`, 'Forbidden: must not be specified when labelSelector is not set', 'matchLabelKeys'];
  assert.deepEqual(summary(noSelector, 'topology-spread').filter((s) => s[1].startsWith('Forbidden')), [forbidden]);
  assert.deepEqual(summary(noSelector, 'topology-spread', V133).filter((s) => s[1].startsWith('Forbidden')).map((s) => s[0]), [forbidden[0]]);
  assert.deepEqual(summary(noSelector, 'topology-spread', { featureGates: { MatchLabelKeysInPodTopologySpread: false } }).filter((s) => s[1].startsWith('Forbidden')), []);
});

test('topology-spread: a constraint without labelSelector matches no pod (an API server warning)', () => {
  const text = daemonSet('containers: [{name: agent, image: busybox}]\ntopologySpreadConstraints:\n- maxSkew: 1\n  topologyKey: kubernetes.io/hostname\n  whenUnsatisfiable: ScheduleAnyway\n');
  const found = check(text, 'topology-spread');
  assert.deepEqual(found.map((f) => [f.severity, f.path, f.message, under(text, f)]), [
    ['warning', `${T}.topologySpreadConstraints[0].labelSelector`, 'a null labelSelector results in matching no pod', 'maxSkew'],
  ]);
});

// --- pod-level fields ------------------------------------------------------------------------------

test('preemption-policy: PreemptLowerPriority or Never; an empty one is required', () => {
  const text = daemonSet(LOG_AGENT.replace('preemptionPolicy: PreemptLowerPriority', 'preemptionPolicy: never'));
  assert.deepEqual(summary(text, 'preemption-policy'), [
    [`${T}.preemptionPolicy`, 'Unsupported value: "never": supported values: "PreemptLowerPriority", "Never"', 'never'],
  ]);
  assert.ok(applyFixOf(text, 'preemption-policy', `${T}.preemptionPolicy`, 'Change preemptionPolicy to Never').includes('preemptionPolicy: Never\n'));
  assert.deepEqual(summary(daemonSet(LOG_AGENT.replace('preemptionPolicy: PreemptLowerPriority', "preemptionPolicy: ''")), 'preemption-policy'), [
    [`${T}.preemptionPolicy`, 'Required value', "''"],
  ]);
  assert.deepEqual(summary(daemonSet(LOG_AGENT.replace('preemptionPolicy: PreemptLowerPriority', 'preemptionPolicy: null')), 'preemption-policy'), []);
});

test('pod-overhead: checked as container limits, printed as overhead.limits[<resource>]', () => {
  const text = daemonSet(LOG_AGENT.replace('  cpu: 250m\n  memory: 120Mi\n', '  cpu: -250m\n  memory: 120 Mi\n  pods: "1"\n  example.com/gpu: 500m\n  hugepages-2Mi: 3Mi\n'));
  const O = `${T}.overhead.limits`;
  assert.deepEqual(summary(text, 'pod-overhead'), [
    [`${O}[cpu]`, 'Invalid value: "-250m": must be greater than or equal to 0', '-250m'],
    // A quantity that does not parse fails decoding, with the decoder's words.
    [`${O}[memory]`, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", '120 Mi'],
    [`${O}[pods]`, 'Invalid value: "pods": must be a standard resource for containers', 'pods'],
    [`${O}[example.com/gpu]`, 'Invalid value: "500m": must be an integer', '500m'],
    [`${O}[hugepages-2Mi]`, 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi', '3Mi'],
  ]);
  const hugeOnly = daemonSet(LOG_AGENT.replace('  cpu: 250m\n  memory: 120Mi\n', '  hugepages-2Mi: 4Mi\n'));
  assert.deepEqual(summary(hugeOnly, 'pod-overhead'), [[`${T}.overhead`, 'Forbidden: HugePages require cpu or memory', 'overhead']]);
});

test('termination-grace-period: a negative value is accepted with a warning', () => {
  const text = daemonSet(LOG_AGENT.replace('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: -5'));
  const [f, ...rest] = check(text, 'termination-grace-period');
  assert.deepEqual(rest, []);
  assert.deepEqual([f.severity, f.path, f.message, under(text, f)], ['warning', `${T}.terminationGracePeriodSeconds`, 'must be >= 0; negative values are invalid and will be treated as 1', '-5']);
  // 0 (stop at once) and an absent value (defaulted to 30) are fine.
  assert.deepEqual(summary(daemonSet(LOG_AGENT.replace('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 0')), 'termination-grace-period'), []);
  assert.deepEqual(summary(daemonSet(LOG_AGENT.replace('terminationGracePeriodSeconds: 30\n', '')), 'termination-grace-period'), []);
});

test('image-pull-secrets: duplicate names, then empty names (API server warnings), each removable', () => {
  const text = daemonSet(LOG_AGENT.replace('- name: registry-credentials\n', '- name: registry-credentials\n- name: ""\n- name: registry-credentials\n- {}\n'));
  const S = `${T}.imagePullSecrets`;
  const found = check(text, 'image-pull-secrets');
  assert.deepEqual(found.map((f) => [f.severity, f.path, f.message, under(text, f)]), [
    ['warning', `${S}[2].name`, 'duplicate name "registry-credentials"', 'registry-credentials'],
    ['warning', `${S}[3].name`, 'duplicate name ""', '{}'],
    ['warning', `${S}[1].name`, 'invalid empty name ""', '""'],
    ['warning', `${S}[3].name`, 'invalid empty name ""', '{}'],
  ]);
  const fixed = applyFix(text, found[0].fixes![0]);
  assert.equal(found[0].fixes![0].title, 'Remove the repeated entry');
  assert.ok(fixed.includes('- name: registry-credentials\n      - name: ""\n      - {}\n'));
  assert.equal(found[2].fixes![0].title, 'Remove the entry');
});

test('the manifest of the brief: what the API server of 1.35 rejects, and what it accepts', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: -5
      readinessGates: [{conditionType: "bad type!"}]
      schedulingGates: [{name: example.com/gate}]
      topologySpreadConstraints: [{maxSkew: 0, topologyKey: "", whenUnsatisfiable: Sometimes}]
      preemptionPolicy: Maybe
      imagePullSecrets: [{name: ""}]
      containers:
      - name: agent
        image: busybox
        imagePullPolicy: Sometimes
        terminationMessagePolicy: Foo
        restartPolicy: Always
        resizePolicy: [{resourceName: cpu, restartPolicy: Foo}]
      initContainers:
      - {name: init, image: busybox, restartPolicy: Never}
`;
  const found = validate(parseDocument('ds.yaml', text), { rules: RULES }).map((f) => `${f.severity} ${f.code} ${f.path}: ${f.message}`);
  assert.deepEqual(found, [
    `error container-policies ${T}.containers[0].terminationMessagePolicy: Unsupported value: "Foo": supported values: "File", "FallbackToLogsOnError"`,
    `error container-policies ${T}.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
    `error container-policies ${T}.containers[0].resizePolicy: Unsupported value: "Foo": supported values: "NotRequired", "RestartContainer"`,
    `error pod-gates ${T}.readinessGates[0].conditionType: Invalid value: "bad type!": ${NAME_PART}`,
    `error topology-spread ${T}.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero`,
    `error topology-spread ${T}.topologySpreadConstraints[0].topologyKey: Required value: can not be empty`,
    `error topology-spread ${T}.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"`,
    `warning topology-spread ${T}.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod`,
    `error preemption-policy ${T}.preemptionPolicy: Unsupported value: "Maybe": supported values: "PreemptLowerPriority", "Never"`,
    `warning termination-grace-period ${T}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`,
    `warning image-pull-secrets ${T}.imagePullSecrets[0].name: invalid empty name ""`,
  ]);
});

test('a Kustomize patch: fields it leaves to its base are not missing, values it sets are still checked', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  template:
    spec:
      topologySpreadConstraints:
      - topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
      - topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnywhere
      containers:
      - name: fluent-bit
        restartPolicyRules:
        - action: Restart
          exitCodes: {operator: In, values: [42]}
        - action: Reboot
          exitCodes: {operator: In, values: [43]}
`;
  assert.equal(parseDocument('patch.yaml', patch).daemonSets[0].partial, true);
  assert.deepEqual(summary(patch, 'topology-spread').map((s) => s.slice(0, 2)), [
    [`${T}.topologySpreadConstraints[1].whenUnsatisfiable`, 'Unsupported value: "ScheduleAnywhere": supported values: "DoNotSchedule", "ScheduleAnyway"'],
  ]);
  assert.deepEqual(summary(patch, 'container-restart-policy').map((s) => s.slice(0, 2)), [
    [`${T}.containers[0].restartPolicyRules[1].action`, 'Unsupported value: "Reboot": supported values: "Restart"'],
  ]);
  // The same as a whole manifest: the missing fields are errors.
  const whole = patch.replace('spec:\n  template:', 'spec:\n  selector: {matchLabels: {app: log-agent}}\n  template:\n    metadata: {labels: {app: log-agent}}').replace('      - name: fluent-bit\n', '      - name: fluent-bit\n        image: fluent/fluent-bit:3.1.9\n');
  assert.equal(parseDocument('ds.yaml', whole).daemonSets[0].partial, false);
  assert.deepEqual(summary(whole, 'topology-spread').map((s) => s[1]), [
    'Invalid value: 0: must be greater than zero',
    'Invalid value: 0: must be greater than zero',
    'Unsupported value: "ScheduleAnywhere": supported values: "DoNotSchedule", "ScheduleAnyway"',
    'a null labelSelector results in matching no pod',
    'a null labelSelector results in matching no pod',
  ]);
  assert.equal(check(whole, 'container-restart-policy').length, 2);
});

test('bad shapes never throw', () => {
  for (const code of NEW_RULES) assert.ok(RULES.some((r) => r.id === code), `${code} is registered`);
  const shapes = [
    'containers: 5\ninitContainers: x\n',
    'containers:\n- 5\n- [a]\n- {name: a, image: b, imagePullPolicy: 5, terminationMessagePolicy: [x], resizePolicy: x, restartPolicy: {a: 1}, restartPolicyRules: 3}\n',
    'containers: [{name: a, image: b, restartPolicy: Never, resizePolicy: [5, [1], {resourceName: 5, restartPolicy: x}], restartPolicyRules: [5, {action: [1], exitCodes: 7}, {action: Restart, exitCodes: {operator: 1, values: x}}]}]\n',
    'initContainers: [{name: a, image: b, restartPolicy: Always, restartPolicyRules: x}, {name: c, image: d, restartPolicy: 1}]\ncontainers: [{name: e, image: f}]\n',
    'readinessGates: x\nschedulingGates: {a: 1}\n',
    'readinessGates: [1, [x], {conditionType: 5}]\nschedulingGates: [null, {name: [a]}]\n',
    'topologySpreadConstraints: x\n',
    'topologySpreadConstraints: [1, null, {maxSkew: "1", topologyKey: 5, whenUnsatisfiable: [x], minDomains: x, nodeAffinityPolicy: 1, matchLabelKeys: x, labelSelector: 5}]\n',
    'topologySpreadConstraints: [{maxSkew: 1, topologyKey: a, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [1, a], labelSelector: {matchLabels: x, matchExpressions: [1, {key: 5}]}}]\n',
    'preemptionPolicy: [x]\nterminationGracePeriodSeconds: "-5"\nimagePullSecrets: [x, 1, {name: 5}]\noverhead: [1]\n',
    'overhead: {cpu: [1], memory: {a: 1}}\nimagePullSecrets: x\n',
  ];
  for (const spec of shapes) {
    for (const options of [{}, V133]) {
      const text = daemonSet(spec);
      const found = validate(parseDocument('ds.yaml', text), { rules: RULES, ...options });
      assert.deepEqual(found.filter((f) => f.code === 'internal-error'), [], spec);
    }
  }
  // Not a DaemonSet body at all.
  for (const text of ['apiVersion: apps/v1\nkind: DaemonSet\nspec: 5\n', 'apiVersion: apps/v1\nkind: DaemonSet\nspec: {template: {spec: [1]}}\n']) {
    const found = validate(parseDocument('ds.yaml', text), { rules: RULES });
    assert.deepEqual(found.filter((f) => f.code === 'internal-error' || NEW_RULES.includes(f.code)), []);
  }
});

test('workloadRef: dropped while GenericWorkload is off (1.35 alpha), so nothing is required inside it', () => {
  const text = daemonSet('containers:\n- {name: agent, image: busybox}\nworkloadRef: {nmae: batch}\n');
  const schema = (options: ValidateOptions) => validate(parseDocument('ds.yaml', text), options)
    .filter((f) => f.code === 'missing-required-field' || f.code === 'unknown-field').map((f) => `${f.code} ${f.path}`);
  // pkg/api/pod dropDisabledWorkloadRef removes it before validation; decoding still rejects the unknown field.
  const decodeOnly = [`unknown-field ${T}.workloadRef.nmae`];
  assert.deepEqual(schema({}), decodeOnly);
  assert.deepEqual(schema({ kubernetesVersion: '1.34', featureGates: { GenericWorkload: true } }), decodeOnly);
  assert.deepEqual(schema({ featureGates: { GenericWorkload: true } }), [
    `missing-required-field ${T}.workloadRef.name`,
    `missing-required-field ${T}.workloadRef.podGroup`,
    `unknown-field ${T}.workloadRef.nmae`,
  ]);
});
