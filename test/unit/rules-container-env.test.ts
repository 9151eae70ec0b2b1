import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';
import { RULES } from '../../server/src/engine/rules';
import { CALICO_NODE, check, CSI_NODE, edit, expectOne, FLUENT_BIT, fixAndRecheck, messages, SIDECAR, T, VALID } from './container-helpers';

const CODE = 'container-env';
const SOURCES = 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`';
const SOURCES_WITHOUT_FILES = 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`';
const ENV_FIELD_PATHS = 'supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"';
const RESOURCES = 'supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"';
const DNS_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const STRICT_NAME = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
const RELAXED_NAME = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const NODE_NAME_REF = '          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n        - name: FLUENT_ELASTICSEARCH_HOST';

test('node agents as their projects ship them give no container-env finding', () => {
  assert.ok(RULES.some((r) => r.id === CODE), `${CODE} is registered`);
  for (const [name, text] of Object.entries(VALID)) {
    for (const kubernetesVersion of ['1.35', '1.34', '1.29']) {
      assert.deepEqual(messages(text, CODE, { kubernetesVersion }), [], `${name} on ${kubernetesVersion}`);
    }
  }
});

test('container-env: a name is required (reported once, not also by the schema)', () => {
  const text = edit(FLUENT_BIT, '        - name: FLUENT_ELASTICSEARCH_HOST\n          value:', '        - value:');
  expectOne(text, CODE, `${T}.containers[0].env[1].name`, 'Required value', 'value');
  assert.deepEqual(messages(text, 'missing-required-field'), []);
  expectOne(edit(FLUENT_BIT, '- name: FLUENT_ELASTICSEARCH_HOST', '- name: ""'), CODE, `${T}.containers[0].env[1].name`, 'Required value', '""');
});

test('container-env: names are relaxed (RelaxedEnvironmentVariableValidation, GA in 1.34), strict before', () => {
  const digit = edit(FLUENT_BIT, '- name: FLUENT_ELASTICSEARCH_HOST', '- name: 1ST_HOST');
  assert.deepEqual(messages(digit, CODE), []);
  expectOne(digit, CODE, `${T}.containers[0].env[1].name`, `Invalid value: "1ST_HOST": ${STRICT_NAME}`, '1ST_HOST', { kubernetesVersion: '1.29' });
  // Beta and on by default in 1.32; in 1.31 only when the gate is set.
  assert.deepEqual(messages(digit, CODE, { kubernetesVersion: '1.32' }), []);
  assert.equal(messages(digit, CODE, { kubernetesVersion: '1.31' }).length, 1);
  assert.deepEqual(messages(digit, CODE, { kubernetesVersion: '1.31', featureGates: { RelaxedEnvironmentVariableValidation: true } }), []);
  assert.deepEqual(messages(digit, CODE, { kubernetesVersion: '1.34', featureGates: { RelaxedEnvironmentVariableValidation: false } }), [], 'locked on');
  const equals = edit(FLUENT_BIT, '- name: FLUENT_ELASTICSEARCH_HOST', '- name: HOST=elasticsearch');
  expectOne(equals, CODE, `${T}.containers[0].env[1].name`, `Invalid value: "HOST=elasticsearch": ${RELAXED_NAME}`, 'HOST=elasticsearch');
  const dots = edit(FLUENT_BIT, '- name: FLUENT_ELASTICSEARCH_HOST', '- name: ..HOST');
  assert.deepEqual(messages(dots, CODE, { kubernetesVersion: '1.29' }), [`${T}.containers[0].env[1].name: Invalid value: "..HOST": must not start with '..'`]);
});

test('container-env: valueFrom needs exactly one source, and no value beside it', () => {
  const both = edit(FLUENT_BIT, NODE_NAME_REF, NODE_NAME_REF.replace('          valueFrom:', '          value: node-1\n          valueFrom:'));
  expectOne(both, CODE, `${T}.containers[0].env[0].valueFrom`, 'Invalid value: "": may not be specified when `value` is not empty', 'valueFrom');
  // An empty value is no value.
  assert.deepEqual(messages(both.replace('value: node-1', 'value: ""'), CODE), []);
  const two = edit(FLUENT_BIT, '              fieldPath: spec.nodeName\n', '              fieldPath: spec.nodeName\n            configMapKeyRef:\n              name: fluent-bit\n              key: node\n');
  expectOne(two, CODE, `${T}.containers[0].env[0].valueFrom`, 'Invalid value: "": may not have more than one field specified at a time', 'valueFrom');
  const none = edit(FLUENT_BIT, '          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n', '          valueFrom: {}\n');
  expectOne(none, CODE, `${T}.containers[0].env[0].valueFrom`, `Invalid value: "": ${SOURCES}`, 'valueFrom');
  // Without EnvFiles (alpha in 1.34) fileKeyRef is no source, and not named.
  expectOne(none, CODE, `${T}.containers[0].env[0].valueFrom`, `Invalid value: "": ${SOURCES_WITHOUT_FILES}`, 'valueFrom', { kubernetesVersion: '1.34' });
});

test('container-env: fieldRef paths the downward API gives env vars, fixed when mistyped', () => {
  // ConvertDownwardAPIFieldLabel rejects what the downward API does not know at all.
  const typo = edit(FLUENT_BIT, 'fieldPath: spec.nodeName', 'fieldPath: spec.nodename');
  const f = expectOne(typo, CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`, 'Invalid value: "spec.nodename": error converting fieldPath: field label not supported: spec.nodename', 'spec.nodename');
  assert.equal(fixAndRecheck(typo, f, 'Change fieldPath to spec.nodeName'), FLUENT_BIT);
  const hostIp = edit(FLUENT_BIT, 'fieldPath: spec.nodeName', 'fieldPath: status.hostIp');
  assert.match(fixAndRecheck(hostIp, check(hostIp, CODE)[0], 'Change fieldPath to status.hostIP'), /fieldPath: status\.hostIP\n/);
  // Known to the downward API, but not for env vars: no guess.
  const labels = edit(FLUENT_BIT, 'fieldPath: spec.nodeName', 'fieldPath: metadata.labels');
  assert.equal(expectOne(labels, CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`, `Unsupported value: "metadata.labels": ${ENV_FIELD_PATHS}`, 'metadata.labels').fixes, undefined);
  expectOne(edit(FLUENT_BIT, 'fieldPath: spec.nodeName', 'fieldPath: status.phase'), CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`, `Unsupported value: "status.phase": ${ENV_FIELD_PATHS}`, 'status.phase');
  expectOne(edit(FLUENT_BIT, 'fieldPath: spec.nodeName', 'fieldPath: spec.containers'), CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`,
    'Invalid value: "spec.containers": error converting fieldPath: field label not supported: spec.containers', 'spec.containers');
  expectOne(edit(FLUENT_BIT, 'fieldPath: spec.nodeName', "fieldPath: spec.nodeName['x']"), CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`,
    'Invalid value: "spec.nodeName[\'x\']": error converting fieldPath: field label does not support subscript: spec.nodeName[\'x\']', "spec.nodeName['x']");
  expectOne(edit(FLUENT_BIT, 'fieldPath: spec.nodeName', 'apiVersion: v2\n              fieldPath: spec.nodeName'), CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`,
    'Invalid value: "spec.nodeName": error converting fieldPath: unsupported pod version: v2', 'spec.nodeName');
  // Subscripts of labels and annotations (annotation keys compared lower-cased), and the old spec.host.
  for (const ok of ["metadata.labels['app.kubernetes.io/name']", "metadata.annotations['Prometheus.io/Port']", 'spec.host', 'status.hostIPs', 'metadata.uid']) {
    assert.deepEqual(messages(edit(FLUENT_BIT, 'fieldPath: spec.nodeName', `fieldPath: "${ok}"`), CODE), [], ok);
  }
  const key = edit(FLUENT_BIT, 'fieldPath: spec.nodeName', "fieldPath: metadata.annotations['Bad Key']");
  assert.deepEqual(messages(key, CODE), [`${T}.containers[0].env[0].valueFrom.fieldRef: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`]);
  // A missing fieldPath is reported once, in the API server's words.
  const missing = edit(FLUENT_BIT, '            fieldRef:\n              fieldPath: spec.nodeName\n', '            fieldRef: {}\n');
  expectOne(missing, CODE, `${T}.containers[0].env[0].valueFrom.fieldRef.fieldPath`, 'Required value', 'fieldRef');
  assert.deepEqual(messages(missing, 'missing-required-field'), []);
});

test('container-env: resourceFieldRef resources and divisors', () => {
  const gpu = edit(CALICO_NODE, 'resource: limits.cpu', 'resource: limits.nvidia.com/gpu');
  expectOne(gpu, CODE, `${T}.containers[0].env[8].valueFrom.resourceFieldRef.resource`, `Unsupported value: "limits.nvidia.com/gpu": ${RESOURCES}`, 'limits.nvidia.com/gpu');
  const typo = edit(CALICO_NODE, 'resource: limits.cpu', 'resource: limit.cpu');
  const f = expectOne(typo, CODE, `${T}.containers[0].env[8].valueFrom.resourceFieldRef.resource`, `Unsupported value: "limit.cpu": ${RESOURCES}`, 'limit.cpu');
  assert.equal(fixAndRecheck(typo, f, 'Change resource to limits.cpu'), CALICO_NODE);
  assert.deepEqual(messages(edit(CALICO_NODE, 'resource: limits.cpu\n              divisor: 1m', 'resource: requests.hugepages-2Mi\n              divisor: 1Mi'), CODE), []);
  // The divisor must be one the resource supports (as its canonical form: 1000m is 1).
  const mebi = edit(CALICO_NODE, 'divisor: 1m', 'divisor: 1Mi');
  expectOne(mebi, CODE, `${T}.containers[0].env[8].valueFrom.resourceFieldRef.divisor`, 'Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource', '1Mi');
  assert.deepEqual(messages(edit(CALICO_NODE, 'divisor: 1m', 'divisor: 1000m'), CODE), []);
  assert.deepEqual(messages(edit(CALICO_NODE, 'divisor: 1m', 'divisor: "0"'), CODE), []);
  expectOne(edit(CSI_NODE, 'divisor: 1Mi', 'divisor: 2Mi'), CODE, `${T}.containers[0].env[2].valueFrom.resourceFieldRef.divisor`,
    'Invalid value: "limits.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource', '2Mi');
  expectOne(edit(CALICO_NODE, 'divisor: 1m', 'divisor: 1 core'), CODE, `${T}.containers[0].env[8].valueFrom.resourceFieldRef.divisor`,
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", '1 core');
  const missing = edit(CALICO_NODE, '              resource: limits.cpu\n', '');
  expectOne(missing, CODE, `${T}.containers[0].env[8].valueFrom.resourceFieldRef.resource`, 'Required value', 'resourceFieldRef');
  assert.deepEqual(messages(missing, 'missing-required-field'), []);
});

test('container-env: configMapKeyRef and secretKeyRef need a name (a DNS-1123 subdomain) and a config key', () => {
  const noName = edit(CALICO_NODE, '            configMapKeyRef:\n              name: calico-config\n              key: calico_backend\n        - name: IP', '            configMapKeyRef:\n              key: calico_backend\n        - name: IP');
  expectOne(noName, CODE, `${T}.containers[0].env[3].valueFrom.configMapKeyRef.name`, `Invalid value: "": ${DNS_SUBDOMAIN}`, 'configMapKeyRef');
  const upper = edit(FLUENT_BIT, 'name: elasticsearch-master-credentials', 'name: Elasticsearch-Credentials');
  expectOne(upper, CODE, `${T}.containers[0].env[2].valueFrom.secretKeyRef.name`, `Invalid value: "Elasticsearch-Credentials": ${DNS_SUBDOMAIN}`, 'Elasticsearch-Credentials');
  // Unlike envFrom, a key selector's name is not a prefix: a trailing '-' is invalid.
  expectOne(edit(FLUENT_BIT, 'name: elasticsearch-master-credentials', 'name: elasticsearch-'), CODE, `${T}.containers[0].env[2].valueFrom.secretKeyRef.name`, `Invalid value: "elasticsearch-": ${DNS_SUBDOMAIN}`, 'elasticsearch-');
  const key = edit(FLUENT_BIT, 'key: password', 'key: es password');
  expectOne(key, CODE, `${T}.containers[0].env[2].valueFrom.secretKeyRef.key`, `Invalid value: "es password": ${CONFIG_KEY}`, 'es password');
  expectOne(edit(FLUENT_BIT, 'key: password', 'key: ..'), CODE, `${T}.containers[0].env[2].valueFrom.secretKeyRef.key`, 'Invalid value: "..": must not be \'..\'', '..');
  const noKey = edit(FLUENT_BIT, '              key: password\n', '');
  expectOne(noKey, CODE, `${T}.containers[0].env[2].valueFrom.secretKeyRef.key`, 'Required value', 'secretKeyRef');
  assert.deepEqual(messages(noKey, 'missing-required-field'), []);
});

test('container-env: envFrom needs exactly one of configMapRef and secretRef, with a name, and a valid prefix', () => {
  const empty = edit(CALICO_NODE, '      containers:\n      - name: calico-node\n        image: docker.io/calico/node:v3.28.0\n        envFrom:\n        - configMapRef:', '      containers:\n      - name: calico-node\n        image: docker.io/calico/node:v3.28.0\n        envFrom:\n        - optional: true\n          configMapRef:');
  assert.deepEqual(messages(empty, CODE), []);
  const none = edit(CSI_NODE, '        - secretRef:\n            name: aws-secret\n            optional: true\n          prefix: AWS_\n', '        - prefix: AWS_\n');
  // At envFrom itself, as upstream reports it; the span is the entry.
  expectOne(none, CODE, `${T}.containers[0].envFrom`, 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`', 'prefix');
  const both = edit(CSI_NODE, '          prefix: AWS_\n', '          configMapRef:\n            name: aws-config\n          prefix: AWS_\n');
  // configMapRef is counted first: the span is on secretRef, wherever it is written.
  expectOne(both, CODE, `${T}.containers[0].envFrom`, 'Invalid value: "": may not have more than one field specified at a time', 'secretRef');
  const noName = edit(CSI_NODE, '            name: aws-secret\n            optional: true\n', '            optional: true\n');
  expectOne(noName, CODE, `${T}.containers[0].envFrom[0].secretRef.name`, 'Required value', 'secretRef');
  expectOne(edit(CSI_NODE, 'name: aws-secret', 'name: aws_secret'), CODE, `${T}.containers[0].envFrom[0].secretRef.name`, `Invalid value: "aws_secret": ${DNS_SUBDOMAIN}`, 'aws_secret');
  // The names are checked as prefixes (ValidateSecretName(name, true)): maskTrailingDash turns the
  // last two characters of a name ending in '-' into 'a' first, so these pass.
  for (const name of ['aws-secret-', 'aws_-']) assert.deepEqual(messages(edit(CSI_NODE, 'name: aws-secret', `name: ${name}`), CODE), [], name);
  expectOne(edit(CSI_NODE, 'name: aws-secret', 'name: aws_x-'), CODE, `${T}.containers[0].envFrom[0].secretRef.name`, `Invalid value: "aws_x-": ${DNS_SUBDOMAIN}`, 'aws_x-');
  const prefix = edit(CSI_NODE, 'prefix: AWS_', 'prefix: AWS=');
  expectOne(prefix, CODE, `${T}.containers[0].envFrom[0].prefix`, `Invalid value: "AWS=": ${RELAXED_NAME}`, 'AWS=');
  // Quoted: a plain 1_ is the integer 1 to kubectl (go-yaml drops the underscore).
  const digit = edit(CSI_NODE, 'prefix: AWS_', 'prefix: "1_"');
  assert.deepEqual(messages(digit, CODE), []);
  expectOne(digit, CODE, `${T}.containers[0].envFrom[0].prefix`, `Invalid value: "1_": ${STRICT_NAME}`, '"1_"', { kubernetesVersion: '1.29' });
});

test('container-env: init containers are checked as containers are', () => {
  const text = edit(CALICO_NODE, 'key: calico_backend\n        securityContext:', 'key: calico backend\n        securityContext:');
  expectOne(text, CODE, `${T}.initContainers[0].env[1].valueFrom.configMapKeyRef.key`, `Invalid value: "calico backend": ${CONFIG_KEY}`, 'calico backend');
});

test('container-env: fileKeyRef (EnvFiles, beta in 1.35) names a key, an emptyDir volume of the pod and a path within it', () => {
  const files = edit(SIDECAR, '      containers:\n', `      volumes:
      - name: config
        emptyDir: {}
      - name: defaulted
      - name: host
        hostPath:
          path: /etc/agent
      containers:\n`).replace('              fieldPath: status.podIP\n', `              fieldPath: status.podIP
        - name: AGENT_TOKEN
          valueFrom:
            fileKeyRef:
              volumeName: config
              path: agent.env
              key: TOKEN
`);
  assert.deepEqual(messages(files, CODE), []);
  // A volume without a source is an emptyDir (SetDefaults_Volume), whatever other keys it has.
  assert.deepEqual(messages(files.replace('volumeName: config', 'volumeName: defaulted'), CODE), []);
  assert.deepEqual(messages(files.replace('volumeName: config', 'volumeName: defaulted').replace('      - name: defaulted\n', '      - name: defaulted\n        comment: scratch\n'), CODE), []);
  // An emptyDir beside another source is still an emptyDir (upstream tests source.EmptyDir != nil);
  // the second source is the volumes rule's error.
  assert.deepEqual(messages(files.replace('        emptyDir: {}\n', '        emptyDir: {}\n        hostPath:\n          path: /tmp\n'), CODE), []);
  const at = `${T}.containers[0].env[2].valueFrom.fileKeyRef`;
  expectOne(files.replace('volumeName: config', 'volumeName: host'), CODE, `${at}.volumeName`, 'Invalid value: "host": referenced volume must be of type emptyDir', 'host');
  expectOne(files.replace('volumeName: config', 'volumeName: configs'), CODE, `${at}.volumeName`, 'Not found: "configs"', 'configs');
  expectOne(files.replace('path: agent.env', 'path: ../agent.env'), CODE, `${at}.path`, 'Invalid value: "../agent.env": must not contain \'..\'', '../agent.env');
  expectOne(files.replace('key: TOKEN', 'key: TOKEN=1'), CODE, `${at}.key`, `Invalid value: "TOKEN=1": ${RELAXED_NAME}`, 'TOKEN=1');
  // In 1.34 (EnvFiles alpha, off) the field is dropped: the variable has no source left.
  expectOne(files, CODE, `${T}.containers[0].env[2].valueFrom`, `Invalid value: "": ${SOURCES_WITHOUT_FILES}`, 'valueFrom', { kubernetesVersion: '1.34' });
  assert.deepEqual(messages(files, CODE, { kubernetesVersion: '1.34', featureGates: { EnvFiles: true } }), []);
  assert.deepEqual(messages(files, CODE, { featureGates: { EnvFiles: false } }).length, 1);
});

test('container-env: a Kustomize patch may leave sources and names to its base', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
spec:
  template:
    spec:
      containers:
      - name: fluent-bit
        env:
        - name: NODE_NAME
          valueFrom: {}
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              key: es-password
        - name: HOST=1
          value: x
        envFrom:
        - prefix: FB_
`;
  assert.deepEqual(messages(patch, CODE, {}, true), [`${T}.containers[0].env[2].name: Invalid value: "HOST=1": ${RELAXED_NAME}`]);
});

test('container-env: values of the wrong shape are the schema\'s, and never throw', () => {
  const shapes = [
    ['        env:\n        - name: NODE_NAME', '        env: {}\n        envFrom: x\n        x-env:\n        - name: NODE_NAME'],
    ['        - name: FLUENT_ELASTICSEARCH_HOST\n          value: elasticsearch-master.logging.svc\n', '        - FLUENT_ELASTICSEARCH_HOST\n        - 7\n        - null\n        - [a, b]\n'],
    ['          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n', '          valueFrom: spec.nodeName\n'],
    ['            fieldRef:\n              fieldPath: spec.nodeName\n', '            fieldRef:\n              fieldPath: [spec, nodeName]\n              apiVersion: 1\n'],
    ['              name: elasticsearch-master-credentials\n              key: password\n', '              key: 7\n              name: [a]\n'],
    ['        - name: FLUENT_ELASTICSEARCH_HOST\n', '        - name: 42\n'],
  ] as const;
  for (const [from, to] of shapes) {
    const text = edit(FLUENT_BIT, from, to).replace('      containers:\n', '      initContainers:\n      - name: wait\n        image: busybox:1.36\n        env:\n        - name: A=B\n      containers:\n');
    const all = validate(parseDocument('ds.yaml', text), { rules: RULES });
    assert.deepEqual(all.filter((f) => f.code === 'internal-error').map((f) => f.message), [], to);
    // The rule still reports the valid-shaped problem beside the bad input.
    assert.deepEqual(all.filter((f) => f.code === CODE).map((f) => `${f.path}: ${f.message}`), [`${T}.initContainers[0].env[0].name: Invalid value: "A=B": ${RELAXED_NAME}`], to);
    assert.ok(all.some((f) => f.code === 'invalid-type' || f.code === 'unknown-field'), `the schema reports ${to}`);
  }
  assert.equal(check(FLUENT_BIT, CODE).length, 0);
});
