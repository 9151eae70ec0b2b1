import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { main } from '../../server/src/cli';
import { runCheck, toJson, type JsonReport } from '../../server/src/cli/check';
import { decodeText, LineIndex, nodeIO, parseArgs, parseFeatureGates, patchPaths, UsageError } from '../../server/src/cli/common';
import { parseDocument, validate, RULES } from '../../server/src/engine';
import { featureGateNotes } from '../../server/src/engine/featureGates';

const REPO = resolve(__dirname, '../..');
const INVALID = join(REPO, 'test/fixtures/invalid');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output; `cwd` defaults to the repository. */
async function cli(argv: string[], opts: { stdin?: string | Uint8Array; cwd?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = nodeIO({
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: opts.cwd ?? REPO,
    readStdin: async () => (typeof opts.stdin === 'string' ? new TextEncoder().encode(opts.stdin) : opts.stdin ?? new Uint8Array()),
  });
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * The SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif (draft-04). One of its patterns
 * (`language`) has a stray `]` that only non-unicode regular expressions accept.
 */
function sarifValidator(): (log: unknown) => string | undefined {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validateLog = ajv.compile(schema);
  return (log) => (validateLog(log) ? undefined : JSON.stringify(validateLog.errors, null, 2));
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dsl-cli-'));
}

// `restartPolicy: Never` is on line 13 (0-based 12); its value spans characters 21..26.
const BAD = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: default
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      restartPolicy: Never
      containers:
      - name: agent
        image: busybox:1.36
`;

const GOOD = BAD.replace('      restartPolicy: Never\n', '');

function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
  }
}

function errorsIn(text: string) {
  return validate(parseDocument('x.yaml', text)).filter((f) => f.severity === 'error');
}

test('fixtures: BAD has exactly the restart-policy error, GOOD has no error', () => {
  assert.deepEqual(errorsIn(BAD).map((f) => f.code), ['restart-policy-always']);
  assert.deepEqual(errorsIn(GOOD), []);
});

test('text: file:line:col: severity rule-id message, 1-based; summary on stderr; exit 1 on errors', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'ds.yaml': BAD });
    const r = await cli(['check', 'ds.yaml'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'ds.yaml:13:22: error restart-policy-always spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n');
    assert.equal(r.stderr, '1 error, 0 warnings in 1 of 1 file checked.\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text: exit 0 and a clean summary when there is no problem', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'ds.yaml': GOOD });
    const r = await cli(['check', 'ds.yaml'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'No problems in 1 file checked.\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exit 0 when findings are only warnings or notes', async () => {
  // A network agent without hostNetwork and without the network-unavailable toleration: not an API error.
  const text = readFileSync(join(REPO, 'examples/kube-flannel.yaml'), 'utf8');
  const findings = validate(parseDocument('x.yaml', text));
  assert.ok(findings.length > 0, 'the example has findings');
  assert.ok(findings.every((f) => f.severity !== 'error'), 'none of them is an error');
  const r = await cli(['check', 'examples/kube-flannel.yaml']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim().split('\n').length, findings.length);
  assert.match(r.stdout, /^examples\/kube-flannel\.yaml:\d+:\d+: warning missing-network-unavailable-toleration /m);
});

test('json: exactly the documented shape, 0-based lines and characters, the file as given', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'ds.yaml': BAD, 'ok.yaml': GOOD });
    const r = await cli(['check', '--format', 'json', 'ds.yaml', 'ok.yaml'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const parsed = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(parsed, {
      files: [
        {
          file: 'ds.yaml',
          diagnostics: [{
            code: 'restart-policy-always',
            severity: 'error',
            message: 'Unsupported value: "Never": supported values: "Always"',
            path: 'spec.template.spec.restartPolicy',
            range: { start: { line: 12, character: 21 }, end: { line: 12, character: 26 } },
          }],
        },
        { file: 'ok.yaml', diagnostics: [] },
      ],
    });
    // Key order as documented, one line of output.
    assert.ok(r.stdout.startsWith('{"files":[{"file":"ds.yaml","diagnostics":[{"code":"restart-policy-always","severity":"error","message":'));
    assert.ok(r.stdout.includes('"path":"spec.template.spec.restartPolicy","range":{"start":{"line":12,"character":21},"end":{"line":12,"character":26}}}'));
    assert.equal(r.stdout.split('\n').length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('json: CRLF files count lines like LSP and characters in UTF-16 code units', async () => {
  const crlf = BAD.replace(/\n/g, '\r\n').replace('  name: agent', '  name: agent # 🚀 agent');
  const r = await cli(['check', '-f', 'json', '-'], { stdin: crlf });
  const d = (JSON.parse(r.stdout) as JsonReport).files[0].diagnostics.find((x) => x.code === 'restart-policy-always');
  assert.deepEqual(d?.range, { start: { line: 12, character: 21 }, end: { line: 12, character: 26 } });
  // Same text through the text format: 1-based.
  const t = await cli(['check', '-'], { stdin: crlf });
  assert.match(t.stdout, /^<stdin>:13:22: error restart-policy-always /m);
});

test('LineIndex: UTF-16 columns, \\r\\n, \\r and \\n line breaks, clamping', () => {
  const text = 'a🚀b\r\ncd\re\nf';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(3), { line: 0, character: 3 }); // 'b' after a surrogate pair
  assert.deepEqual(idx.positionAt(4), { line: 0, character: 4 }); // the \r
  assert.deepEqual(idx.positionAt(5), { line: 0, character: 4 }); // between \r and \n: end of the line
  assert.deepEqual(idx.positionAt(6), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(9), { line: 2, character: 0 }); // after a lone \r
  assert.deepEqual(idx.positionAt(11), { line: 3, character: 0 });
  assert.deepEqual(idx.positionAt(999), { line: 3, character: 1 });
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(new LineIndex('').positionAt(0), { line: 0, character: 0 });
});

test('stdin: - reads standard input, reported as <stdin>', async () => {
  const r = await cli(['check', '--format=json', '-'], { stdin: BAD });
  assert.equal(r.code, 1);
  const parsed = JSON.parse(r.stdout) as JsonReport;
  assert.equal(parsed.files.length, 1);
  assert.equal(parsed.files[0].file, '<stdin>');
  assert.equal(parsed.files[0].diagnostics[0].code, 'restart-policy-always');
  const ok = await cli(['check', '-'], { stdin: GOOD });
  assert.equal(ok.code, 0);
});

test('folders: recursive *.yaml, *.yml, *.json in name order; node_modules, dot-folders and other files skipped', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, {
      'manifests/b.yaml': GOOD,
      'manifests/a.yml': BAD,
      'manifests/nested/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      'manifests/nested/README.md': '# not a manifest',
      'manifests/nested/notes.txt': 'apiVersion: apps/v1',
      'manifests/node_modules/pkg/ds.yaml': BAD,
      'manifests/.git/ds.yaml': BAD,
      'manifests/.hidden/ds.yaml': BAD,
      'manifests/UPPER.YAML': GOOD,
    });
    const r = await cli(['check', '-f', 'json', 'manifests'], { cwd: dir });
    const files = (JSON.parse(r.stdout) as JsonReport).files.map((f) => f.file);
    assert.deepEqual(files, ['manifests/UPPER.YAML', 'manifests/a.yml', 'manifests/b.yaml', 'manifests/nested/c.json']);
    assert.equal(r.code, 1);
    // A trailing slash and "." are kept as given.
    const r2 = await cli(['check', '-f', 'json', 'manifests/nested/'], { cwd: dir });
    assert.deepEqual((JSON.parse(r2.stdout) as JsonReport).files.map((f) => f.file), ['manifests/nested/c.json']);
    assert.equal(r2.code, 0);
    const r3 = await cli(['check', '-f', 'json', '.'], { cwd: join(dir, 'manifests/nested') });
    assert.deepEqual((JSON.parse(r3.stdout) as JsonReport).files.map((f) => f.file), ['c.json']);
    // A file named explicitly is checked whatever its extension; the same file twice is checked once.
    const r4 = await cli(['check', '-f', 'json', 'manifests/nested/notes.txt', 'manifests/a.yml', './manifests/a.yml'], { cwd: dir });
    assert.deepEqual((JSON.parse(r4.stdout) as JsonReport).files.map((f) => f.file), ['manifests/nested/notes.txt', 'manifests/a.yml']);
    // A folder without manifests: nothing to check, said on stderr, exit 0.
    mkdirSync(join(dir, 'empty'));
    const r5 = await cli(['check', 'empty'], { cwd: dir });
    assert.equal(r5.code, 0);
    assert.match(r5.stderr, /no \*\.yaml, \*\.yml or \*\.json files found in 'empty'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sarif: validates against the SARIF 2.1.0 schema; one rule per id, 1-based regions, levels', async () => {
  const dir = tempDir();
  try {
    const warn = readFileSync(join(REPO, 'examples/kube-flannel.yaml'), 'utf8');
    writeFiles(dir, { 'deploy/ds.yaml': BAD, 'deploy/flannel.yaml': warn, 'deploy/with space.yaml': GOOD.replace('kind: DaemonSet', 'kind: DaemonSet\nbogus: [') });
    const r = await cli(['check', '--format', 'sarif', 'deploy'], { cwd: dir });
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);

    const invalid = sarifValidator()(log);
    assert.equal(invalid, undefined, invalid);

    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'daemonset-lens');
    const rules = run.tool.driver.rules as Array<{ id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string } }>;
    const ids = rules.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'one rule per id');
    for (const rule of RULES) {
      const d = rules.find((x) => x.id === rule.id);
      assert.ok(d, `rule ${rule.id} is described`);
      assert.equal(d.shortDescription.text, rule.description);
      assert.equal(d.fullDescription.text, rule.help);
      assert.equal(d.help.text, rule.help);
    }
    for (const res of run.results) assert.equal(rules[res.ruleIndex].id, res.ruleId);

    const restart = run.results.find((x: { ruleId: string }) => x.ruleId === 'restart-policy-always');
    assert.equal(restart.level, 'error');
    assert.deepEqual(restart.locations[0].physicalLocation.artifactLocation, { uri: 'deploy/ds.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(restart.locations[0].physicalLocation.region, { startLine: 13, startColumn: 22, endLine: 13, endColumn: 27 });
    assert.equal(restart.message.text, 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
    assert.equal(restart.locations[0].logicalLocations[0].fullyQualifiedName, 'spec.template.spec.restartPolicy');

    const warning = run.results.find((x: { ruleId: string }) => x.ruleId === 'missing-network-unavailable-toleration');
    assert.equal(warning.level, 'warning');
    const syntax = run.results.find((x: { ruleId: string }) => x.ruleId === 'yaml-syntax');
    assert.equal(syntax.locations[0].physicalLocation.artifactLocation.uri, 'deploy/with%20space.yaml');
    assert.ok(rules.find((x) => x.id === 'yaml-syntax')?.fullDescription.text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check: os-without-node-selector in text and SARIF, naming the rejected nodes with --cluster', async () => {
  const text = await cli(['check', 'test/fixtures/pod-os/kube-proxy-windows.yaml']);
  assert.equal(text.code, 0, 'a warning does not fail the check');
  assert.match(text.stdout, /^test\/fixtures\/pod-os\/kube-proxy-windows\.yaml:20:7: warning os-without-node-selector spec\.template\.spec\.os: os\.name is windows, but neither the nodeSelector nor the required node affinity keeps the pods on windows nodes/m);
  const withCluster = await cli(['check', '--cluster', 'test/fixtures/clusters/aks-mixed.yaml', 'test/fixtures/pod-os/kube-proxy-windows.yaml']);
  assert.match(withCluster.stdout, /creates a pod on aks-system-28461937-vmss000000, aks-system-28461937-vmss000001, aks-general-14205963-vmss000000 \(nodes of another OS in the cluster file\)/);
  const sarif = await cli(['check', '-f', 'sarif', 'test/fixtures/pod-os/kube-proxy-windows.yaml']);
  const log = JSON.parse(sarif.stdout);
  assert.equal(sarifValidator()(log), undefined);
  const [res] = log.runs[0].results;
  assert.equal(res.ruleId, 'os-without-node-selector');
  assert.equal(res.level, 'warning');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 20, startColumn: 7, endLine: 20, endColumn: 9 });
});

test('sarif: information and hint findings map to level note; an empty run still validates', async () => {
  const helm = await cli(['check', '-f', 'sarif', 'test/fixtures/invalid/helm-template.yaml']);
  assert.equal(helm.code, 0);
  const log = JSON.parse(helm.stdout);
  assert.deepEqual(log.runs[0].results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level]), [['template-not-validated', 'note']]);
  const empty = await cli(['check', '-f', 'sarif', 'test/fixtures/invalid/empty.yaml']);
  assert.equal(empty.code, 0);
  const check = sarifValidator();
  assert.equal(check(JSON.parse(empty.stdout)), undefined);
  assert.equal(check(log), undefined);
  // The validator does reject what is not SARIF.
  assert.notEqual(check({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), undefined);
  assert.notEqual(check({ ...log, runs: [{ ...log.runs[0], results: [{ level: 'fatal', message: { text: 'x' } }] }] }), undefined);
});

test('usage errors exit 2 with one line on stderr', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['check'], /^daemonset-lens check: no input: /],
    [['check', '--format', 'xml', 'x.yaml'], /^daemonset-lens check: option '--format' must be one of text, json, sarif, not 'xml'$/],
    [['check', '--bogus', 'x.yaml'], /^daemonset-lens check: unknown option '--bogus'$/],
    [['check', 'x.yaml', '--format'], /^daemonset-lens check: option '--format' needs a value$/],
    [['check', '--kubernetes-version', 'latest', 'x.yaml'], /--kubernetes-version: 'latest' is not a version like 1\.35/],
    [['check', '--feature-gates', 'Foo', 'x.yaml'], /--feature-gates: 'Foo' is not Name=true or Name=false/],
    [['check', '--pods', 'examples/pods.yaml', 'x.yaml'], /--pods needs --cluster/],
    [['check', '--cluster', 'no/such/cluster.yaml', 'examples/'], /--cluster: cannot read 'no\/such\/cluster\.yaml': no such file or directory/],
    [['frobnicate'], /^daemonset-lens: unknown command 'frobnicate'/],
    [['check', 'no/such/file.yaml'], /^daemonset-lens: cannot read 'no\/such\/file\.yaml': no such file or directory$/],
  ];
  for (const [argv, re] of cases) {
    const r = await cli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0], re, argv.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const none = await cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^Usage: daemonset-lens <command>/);
});

test('a path that cannot be read is never summed up as "No problems"', async () => {
  const dir = tempDir();
  try {
    const alone = await cli(['check', 'missing.yaml'], { cwd: dir });
    assert.equal(alone.code, 2);
    assert.equal(alone.stderr, "daemonset-lens: cannot read 'missing.yaml': no such file or directory\n1 path could not be read; no file was checked.\n");
    writeFiles(dir, { 'manifests/ds.yaml': BAD, 'manifests/ok.yaml': '' });
    // A folder beside the missing path: its files are checked and counted, the missing path too.
    const withFolder = await cli(['check', 'manifests', 'missing.yaml', 'gone/'], { cwd: dir });
    assert.equal(withFolder.code, 2);
    assert.match(withFolder.stderr, /; 2 paths could not be read\.\n$/);
    assert.match(withFolder.stderr, /in 1 of 2 files checked; /);
    writeFiles(dir, { 'clean/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent-config\ndata: {}\n' });
    const clean = await cli(['check', 'clean', 'missing.yaml'], { cwd: dir });
    assert.equal(clean.stderr.split('\n')[1], '1 path could not be read; no problems in the 1 file checked.');
    // Standard input that fails to read counts the same way.
    let stderr = '';
    const io = nodeIO({ stdout: () => undefined, stderr: (t) => void (stderr += t), cwd: dir, readStdin: async () => { throw new Error('EIO: i/o error, read'); } });
    assert.equal(await main(['check', '-'], io), 2);
    assert.match(stderr, /^daemonset-lens: cannot read '<stdin>': EIO: i\/o error, read\n1 path could not be read; no file was checked\.\n$/);
    // JSON and SARIF keep their shapes and say what was not read.
    const json = await cli(['check', '-f', 'json', 'clean', 'missing.yaml'], { cwd: dir });
    const report = JSON.parse(json.stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => f.file), ['clean/ok.yaml']);
    assert.deepEqual(report.unreadable, ["cannot read 'missing.yaml': no such file or directory"]);
    assert.equal((JSON.parse((await cli(['check', '-f', 'json', 'clean'], { cwd: dir })).stdout) as JsonReport).unreadable, undefined);
    const sarif = await cli(['check', '-f', 'sarif', 'clean', 'missing.yaml'], { cwd: dir });
    const log = JSON.parse(sarif.stdout);
    assert.equal(sarifValidator()(log), undefined);
    assert.deepEqual(log.runs[0].invocations, [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: "cannot read 'missing.yaml': no such file or directory" } }] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a read error exits 2 but the readable files are still reported', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'ds.yaml': BAD });
    const r = await cli(['check', '-f', 'json', 'missing.yaml', 'ds.yaml'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "daemonset-lens: cannot read 'missing.yaml': no such file or directory\n");
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport).files.map((f) => f.file), ['ds.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help, --version, help check', async () => {
  const h = await cli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Commands:\n  check /);
  const v = await cli(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version}\n`);
  const c = await cli(['check', '--help']);
  assert.equal(c.code, 0);
  assert.match(c.stdout, /^Usage: daemonset-lens check \[options\] PATH…/);
  const hc = await cli(['help', 'check']);
  assert.equal(hc.stdout, c.stdout);
});

test('--kubernetes-version and --feature-gates reach the engine', async () => {
  const r = await cli(['check', '--kubernetes-version', 'v1.33', '--feature-gates', 'TaintTolerationComparisonOperators=true,Other=false', '-'], { stdin: GOOD });
  assert.equal(r.code, 0);
  assert.deepEqual(parseFeatureGates(' A=true, B=FALSE ,'), { A: true, B: false });
  assert.throws(() => parseFeatureGates('A=yes'), UsageError);
});

test('--feature-gates that change nothing for the target get a note on stderr (typo, not yet there, removed, locked on)', async () => {
  const r = await cli(['check', '--kubernetes-version', '1.33', '--feature-gates', 'PodLevelResource=true,SidecarContainers=false,TaintTolerationComparisonOperators=true,NoSuchGate=true,PodLevelResources=true', '-'], { stdin: GOOD });
  assert.equal(r.code, 0);
  const notes = r.stderr.split('\n').filter((l) => l.includes('--feature-gates'));
  assert.deepEqual(notes, [
    "daemonset-lens check: note: --feature-gates: 'PodLevelResource' (did you mean PodLevelResources?) is not a gate DaemonSet Lens reads: it changes nothing here",
    "daemonset-lens check: note: --feature-gates: 'SidecarContainers' is locked on from 1.33: setting it to false changes nothing",
    "daemonset-lens check: note: --feature-gates: 'TaintTolerationComparisonOperators' does not exist in 1.33 (it was added in 1.35): it changes nothing",
    "daemonset-lens check: note: --feature-gates: 'NoSuchGate' is not a gate DaemonSet Lens reads: it changes nothing here",
  ]);
  assert.deepEqual(featureGateNotes({ DefaultHostNetworkHostPortsInPodTemplates: true }, 30), [], 'read up to 1.30');
  assert.deepEqual(featureGateNotes({ DefaultHostNetworkHostPortsInPodTemplates: true }, 31), ["'DefaultHostNetworkHostPortsInPodTemplates' was removed in 1.31: it changes nothing in 1.31"]);
  assert.deepEqual(featureGateNotes({ SidecarContainers: true, PodLevelResources: false, TaintTolerationComparisonOperators: true }, 35), [], 'gates that count are not noted');
  // Names every object has are no gates either.
  assert.deepEqual(featureGateNotes({ constructor: true, toString: false }, 35), [
    "'constructor' is not a gate DaemonSet Lens reads: it changes nothing here",
    "'toString' is not a gate DaemonSet Lens reads: it changes nothing here",
  ]);
  // place and pod say the same.
  const place = await cli(['place', '--cluster', 'examples/cluster.yaml', '--feature-gates', 'ImageVolumes=true', 'examples/fluent-bit.yaml']);
  assert.equal(place.code, 0);
  assert.match(place.stderr, /^daemonset-lens place: note: --feature-gates: 'ImageVolumes' \(did you mean ImageVolume\?\) is not a gate DaemonSet Lens reads: it changes nothing here$/m);
  const pod = await cli(['pod', '--cluster', 'examples/cluster.yaml', '--node', 'general-1', '--feature-gates', 'ImageVolumes=true', 'examples/fluent-bit.yaml']);
  assert.equal(pod.code, 0);
  assert.match(pod.stderr, /^daemonset-lens pod: note: --feature-gates: 'ImageVolumes' \(did you mean ImageVolume\?\) is not a gate/m);
});

test('--cluster runs the cluster-aware rules against the cluster file (and --pods adds its pods)', async () => {
  const without = await cli(['check', '-f', 'json', 'examples/fluent-bit.yaml']);
  const withCluster = await cli(['check', '-f', 'json', '--cluster', 'examples/cluster.yaml', '--pods', 'examples/pods.yaml', 'examples/fluent-bit.yaml']);
  assert.equal(withCluster.code, without.code);
  const codes = (r: Run) => (JSON.parse(r.stdout) as JsonReport).files[0].diagnostics.map((d) => d.code);
  assert.ok(!codes(without).includes('untolerated-taint'));
  const taint = (JSON.parse(withCluster.stdout) as JsonReport).files[0].diagnostics.find((d) => d.code === 'untolerated-taint');
  assert.ok(taint, 'untolerated-taint with a cluster');
  assert.match(taint.message, /gpu-1: taint nvidia\.com\/gpu=present:NoSchedule/);
  // The control-plane nodes it misses are named by the node agent's own rule.
  const cp = (JSON.parse(withCluster.stdout) as JsonReport).files[0].diagnostics.find((d) => d.code === 'missing-control-plane-toleration');
  assert.ok(cp, 'missing-control-plane-toleration with a cluster');
  assert.match(cp.message, /cp-1/);
});

test('--cluster and --pods: their own problems are findings of those files, counted and in every format', async () => {
  const dir = tempDir();
  try {
    // A taint with an unknown effect (cluster-invalid-taint or the like) and a YAML syntax error in the pods file.
    const cluster = readFileSync(join(REPO, 'examples/cluster.yaml'), 'utf8').replace('effect: NoSchedule', 'effect: NoSchedul');
    writeFiles(dir, { 'ds.yaml': GOOD, 'nodes.yaml': cluster, 'pods.yaml': 'apiVersion: v1\nkind: List\nitems: [\n' });
    const text = await cli(['check', '--cluster', 'nodes.yaml', '--pods', 'pods.yaml', 'ds.yaml'], { cwd: dir });
    assert.equal(text.code, 1, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.ok(lines.some((l) => /^nodes\.yaml:\d+:\d+: \w+ cluster-[a-z-]+ .*NoSchedul/.test(l)), text.stdout);
    assert.ok(lines.some((l) => /^pods\.yaml:\d+:\d+: error yaml-syntax /.test(l)), text.stdout);
    assert.match(text.stderr, /^2 errors, .* in 3 of 3 files checked\.$/m);
    assert.doesNotMatch(text.stderr, /^nodes\.yaml:/m, 'said once, on standard output');

    const json = JSON.parse((await cli(['check', '-f', 'json', '--cluster', 'nodes.yaml', '--pods', 'pods.yaml', 'ds.yaml'], { cwd: dir })).stdout) as JsonReport;
    assert.deepEqual(json.files.map((f) => f.file), ['ds.yaml', 'nodes.yaml', 'pods.yaml']);
    assert.ok(json.files[1].diagnostics.length > 0 && json.files[2].diagnostics[0].code === 'yaml-syntax');

    const sarif = JSON.parse((await cli(['check', '-f', 'sarif', '--cluster', 'nodes.yaml', 'ds.yaml'], { cwd: dir })).stdout);
    assert.equal(sarifValidator()(sarif), undefined);
    assert.ok(sarif.runs[0].results.some((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0].physicalLocation.artifactLocation.uri.endsWith('nodes.yaml')));

    // The cluster file given as an input too: its problems once.
    const both = await cli(['check', '--cluster', 'nodes.yaml', 'ds.yaml', 'nodes.yaml'], { cwd: dir });
    const count = both.stdout.split('\n').filter((l) => l.startsWith('nodes.yaml:') && l.includes('NoSchedul')).length;
    assert.equal(count, 1, both.stdout);
    // A sound cluster file adds nothing.
    writeFiles(dir, { 'nodes.yaml': readFileSync(join(REPO, 'examples/cluster.yaml'), 'utf8') });
    const sound = await cli(['check', '-f', 'json', '--cluster', 'nodes.yaml', 'ds.yaml'], { cwd: dir });
    assert.deepEqual((JSON.parse(sound.stdout) as JsonReport).files.map((f) => f.file), ['ds.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--cluster and --pods in the folder checked: their own problems still reported, even without a Node kind', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, {
      'ds.yaml': GOOD,
      // Hand-written nodes may omit `kind`; a pods file holds no Node.
      'nodes.yaml': 'metadata:\n  name: n1\nspec:\n  taints:\n  - key: a\n    effect: NoSchedul\n',
      'pods.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {namespace: default}\nspec:\n  nodeName: n1\n  containers: [{name: c, image: x}]\n',
    });
    const alone = await cli(['check', '--cluster', 'nodes.yaml', '--pods', 'pods.yaml', 'ds.yaml'], { cwd: dir });
    const inFolder = await cli(['check', '--cluster', 'nodes.yaml', '--pods', 'pods.yaml', '.'], { cwd: dir });
    const lines = (r: Run) => r.stdout.split('\n').filter((l) => /^(\.\/)?(nodes|pods)\.yaml:/.test(l)).map((l) => l.replace(/^\.\//, '')).sort();
    assert.equal(alone.code, 1, alone.stderr);
    assert.ok(lines(alone).some((l) => /cluster-taint-bad-effect/.test(l)) && lines(alone).some((l) => /cluster-pod-without-name/.test(l)), alone.stdout);
    assert.equal(inFolder.code, 1, inFolder.stdout + inFolder.stderr);
    assert.deepEqual(lines(inFolder), lines(alone));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseArgs: --name=value, -f value, -fvalue, flags, -- and -', () => {
  const specs = [{ name: 'format', short: 'f', takesValue: true }, { name: 'help', short: 'h', takesValue: false }];
  const a = parseArgs(['--format=json', 'a', '-', '-fsarif', '-h', '--', '--format', '-x'], specs);
  assert.equal(a.options.get('format'), 'sarif');
  assert.equal(a.options.get('help'), true);
  assert.deepEqual(a.positionals, ['a', '-', '--format', '-x']);
  assert.throws(() => parseArgs(['--help=yes'], specs), /takes no value/);
  assert.throws(() => parseArgs(['-z'], specs), /unknown option '-z'/);
});

// --- bad input ----------------------------------------------------------------------------

async function checkJson(argv: string[], stdin?: string | Uint8Array) {
  const r = await cli(['check', '-f', 'json', ...argv], { stdin });
  return { ...r, report: JSON.parse(r.stdout) as JsonReport };
}

test('bad input: invalid YAML gets yaml-syntax errors at their lines', async () => {
  const r = await checkJson(['test/fixtures/invalid/invalid-yaml.yaml']);
  assert.equal(r.code, 1);
  const d = r.report.files[0].diagnostics;
  assert.ok(d.length > 0 && d.every((x) => x.code === 'yaml-syntax' && x.severity === 'error'));
  assert.ok(d.some((x) => x.range.start.line === 14 && /tab/i.test(x.message)), JSON.stringify(d));
});

test('bad input: a binary file is named as such, not parsed', async () => {
  const r = await checkJson(['test/fixtures/invalid/archived.yaml']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.report.files[0].diagnostics.map((x) => [x.code, x.message]), [['binary-file', 'This is a binary file, not YAML: it was not read.']]);
  // Random bytes on stdin, including invalid UTF-8.
  const bytes = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
  const s = await checkJson(['-'], bytes);
  assert.equal(s.report.files[0].diagnostics[0].code, 'binary-file');
});

test('bad input: an empty file and a comment-only file have no findings', async () => {
  const r = await checkJson(['test/fixtures/invalid/empty.yaml']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.report.files[0].diagnostics, []);
  const c = await checkJson(['-'], '# nothing here\n---\n');
  assert.equal(c.code, 0);
});

test('templates: only files whose YAML {{ … }} shapes get the note; the others are checked as they are', async () => {
  const r = await checkJson(['test/fixtures/templates']);
  assert.equal(r.code, 1);
  const byFile = Object.fromEntries(r.report.files.map((f) => [f.file.replace(/^.*\//, ''), f.diagnostics]));
  const codesOf = (name: string) => byFile[name].map((x) => x.code).sort();
  assert.deepEqual(codesOf('helm-chart-daemonset.yaml'), ['template-not-validated']);
  assert.match(byFile['helm-chart-daemonset.yaml'][0].message, /Render it \(helm template\)/);
  assert.deepEqual(codesOf('salt-kube-proxy.yaml'), ['template-not-validated']);
  assert.match(byFile['salt-kube-proxy.yaml'][0].message, /Render it with its template engine/);
  assert.deepEqual(byFile['salt-kube-proxy.yaml'][0].range.start, { line: 18, character: 15 });
  // A {{ in a comment, in Prometheus alert text or in a quoted placeholder: plain YAML, fully checked.
  assert.deepEqual(codesOf('comment-placeholder.yaml'), ['missing-control-plane-toleration', 'restart-policy-always']);
  assert.deepEqual(codesOf('prometheus-bundle.yaml'), ['missing-control-plane-toleration', 'toleration-effect']);
  assert.deepEqual(codesOf('quoted-placeholders.yaml'), ['restart-policy-always']);
});

test('bad input: an alias bomb is refused quickly', async () => {
  const t0 = Date.now();
  const r = await checkJson(['test/fixtures/invalid/alias-bomb.yaml']);
  assert.ok(Date.now() - t0 < 10_000);
  assert.equal(r.code, 1);
  assert.deepEqual(r.report.files[0].diagnostics.map((x) => x.code), ['yaml-alias-limit']);
});

test('bad input: a Helm template gets one note and no false errors', async () => {
  const r = await checkJson(['test/fixtures/invalid/helm-template.yaml']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.report.files[0].diagnostics.map((x) => [x.code, x.severity]), [['template-not-validated', 'information']]);
  assert.deepEqual(r.report.files[0].diagnostics[0].range.start, { line: 0, character: 0 });
});

test('bad input: a Kustomize patch is not reported for the fields it leaves out', async () => {
  const r = await checkJson(['test/fixtures/invalid/kustomize-patch.yaml']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.report.files[0].diagnostics.filter((x) => x.severity === 'error'), []);
});

test('bad input: a removed apiVersion says to use apps/v1', async () => {
  const r = await checkJson(['test/fixtures/invalid/removed-api-version.yaml']);
  assert.equal(r.code, 1);
  const d = r.report.files[0].diagnostics;
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'removed-api-version');
  assert.equal(d[0].path, 'apiVersion');
  assert.match(d[0].message, /removed in Kubernetes 1\.16: use apps\/v1/);
  assert.deepEqual(d[0].range, { start: { line: 1, character: 12 }, end: { line: 1, character: 30 } });
});

test('--kubernetes-version: below 1.16 a removed apiVersion is still served, a note and exit 0', async () => {
  const r = await checkJson(['--kubernetes-version', '1.15', 'test/fixtures/invalid/removed-api-version.yaml']);
  assert.equal(r.code, 0);
  const d = r.report.files[0].diagnostics;
  // Only the note: the apps/v1 rules (selector required…) do not apply to extensions/v1beta1.
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'removed-api-version');
  assert.equal(d[0].severity, 'information');
  assert.match(d[0].message, /deprecated and removed in Kubernetes 1\.16 \(the target is 1\.15\): use apps\/v1/);
  const at16 = await checkJson(['--kubernetes-version', '1.16', 'test/fixtures/invalid/removed-api-version.yaml']);
  assert.equal(at16.code, 1);
  assert.equal(at16.report.files[0].diagnostics[0].severity, 'error');
});

test('bad input: the whole invalid/ folder in one run, every format, never a crash', async () => {
  for (const format of ['text', 'json', 'sarif']) {
    const r = await cli(['check', '-f', format, 'test/fixtures/invalid']);
    assert.equal(r.code, 1, format);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    if (format !== 'text') JSON.parse(r.stdout);
  }
});

test('bad input: a 50,000-line file is checked in reasonable time', async () => {
  // 1,000 DaemonSets of 34 lines each, the last one with an error, then comments up to 50,000 lines.
  const one = (i: number) => GOOD.replace('name: agent\n', `name: agent-${i}\n`).replace('image: busybox:1.36\n', `image: busybox:1.36\n${'        env:\n'}${Array.from({ length: 17 }, (_, k) => `        - {name: V${k}, value: "${i}"}\n`).join('')}`);
  const docs = Array.from({ length: 1000 }, (_, i) => one(i));
  docs[999] = docs[999].replace('    spec:\n', '    spec:\n      restartPolicy: OnFailure\n');
  let text = docs.join('---\n');
  const lines = text.split('\n').length - 1;
  text += '# padding\n'.repeat(Math.max(0, 50_000 - lines));
  assert.equal(text.split('\n').length - 1, 50_000);
  const dir = tempDir();
  try {
    writeFiles(dir, { 'big.yaml': text });
    const t0 = Date.now();
    const r = await cli(['check', '-f', 'json', 'big.yaml'], { cwd: dir });
    const ms = Date.now() - t0;
    assert.ok(ms < 60_000, `took ${ms} ms`);
    assert.equal(r.code, 1);
    const d = (JSON.parse(r.stdout) as JsonReport).files[0].diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => x.code), ['restart-policy-always']);
    const expectedLine = text.slice(0, text.indexOf('restartPolicy: OnFailure')).split('\n').length - 1;
    assert.deepEqual(d[0].range.start, { line: expectedLine, character: 21 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('toJson on an in-memory result has the same shape as the CLI output', async () => {
  const report = toJson([{ file: 'a.yaml', text: 'x', findings: [] }]);
  assert.deepEqual(report, { files: [{ file: 'a.yaml', diagnostics: [] }] });
  let out = '';
  const code = await runCheck(['-f', 'json', '-'], nodeIO({ stdout: (t) => void (out += t), stderr: () => {}, readStdin: async () => new TextEncoder().encode('x') }));
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), { files: [{ file: '<stdin>', diagnostics: [] }] });
});

test('a node list among the inputs gets the cluster reader findings (a taint typo there changes every placement)', async () => {
  const nodes = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n  spec:\n    taints:\n    - {key: dedicated, value: gpu, effect: NoSchedul}\n';
  const r = await checkJson(['-'], nodes);
  assert.equal(r.code, 1);
  assert.deepEqual(r.report.files[0].diagnostics.map((d) => [d.code, d.path, d.range.start]), [['cluster-taint-bad-effect', 'spec.taints[0].effect', { line: 8, character: 43 }]]);
  // The example cluster and pods files are clean.
  const ex = await checkJson(['examples/cluster.yaml', 'examples/pods.yaml']);
  assert.equal(ex.code, 0);
  assert.deepEqual(ex.report.files.map((f) => f.diagnostics), [[], []]);
});

test('a patch listed in the folder kustomization is checked as a partial manifest', async () => {
  const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluent-bit\n  namespace: logging\nspec:\n  template:\n    spec:\n      containers:\n        - name: fluent-bit\n          image: cr.fluentbit.io/fluent/fluent-bit:3.2.0\n';
  const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\npatches:\n  - path: image-patch.yaml\n  - patch: |-\n      - op: replace\n        path: /spec/minReadySeconds\n        value: 10\n    target:\n      kind: DaemonSet\n';
  const dir = tempDir();
  try {
    // The same text: alone it is an incomplete DaemonSet (it has images, so it does not look like a patch).
    writeFiles(dir, { 'overlay/image-patch.yaml': patch, 'overlay/kustomization.yaml': kustomization, 'alone/image-patch.yaml': patch });
    const r = await cli(['check', '-f', 'json', '.'], { cwd: dir });
    const errors = (file: string) => (JSON.parse(r.stdout) as JsonReport).files.find((f) => f.file === file)!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    assert.deepEqual(errors('overlay/image-patch.yaml'), []);
    assert.ok(errors('alone/image-patch.yaml').length > 0, 'without the kustomization the missing selector is an error');
    assert.equal(r.code, 1);
    const only = await cli(['check', 'overlay'], { cwd: dir });
    assert.equal(only.code, 0, only.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a kustomization overlay: the patch gets no placement findings, the base is placed', async () => {
  const base = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      tolerations:\n      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n      containers:\n      - name: agent\n        image: busybox:1.36\n';
  // Complete-looking (it names an image), but listed as a patch: only the kustomization says so.
  const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n      - name: agent\n        image: busybox:1.37\n        args: ["-v=4"]\n';
  const cluster = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: cp-1, labels: {kubernetes.io/os: linux}}\n  spec:\n    taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]\n- apiVersion: v1\n  kind: Node\n  metadata: {name: gpu-1, labels: {kubernetes.io/os: linux}}\n  spec:\n    taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]\n';
  const dir = tempDir();
  try {
    writeFiles(dir, {
      'cluster.yaml': cluster,
      'base/ds.yaml': base,
      'base/kustomization.yaml': 'resources:\n- ds.yaml\n',
      'overlay/args.yaml': patch,
      'overlay/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: args.yaml\n',
    });
    const r = await cli(['check', '-f', 'json', '--cluster', 'cluster.yaml', 'base', 'overlay'], { cwd: dir });
    const codes = (file: string) => (JSON.parse(r.stdout) as JsonReport).files.find((f) => f.file === file)!.diagnostics.map((d) => d.code);
    assert.deepEqual(codes('overlay/args.yaml'), []);
    assert.deepEqual(codes('base/ds.yaml'), ['untolerated-taint']);
    assert.equal(r.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('patchPaths: patches[].path, patchesStrategicMerge, patchesJson6902[].path; inline patches and junk ignored', () => {
  assert.deepEqual(patchPaths({
    patches: [{ path: 'a.yaml' }, { patch: 'x: 1\ny: 2' }, 'junk', null],
    patchesStrategicMerge: ['b.yaml', '- op: add\n  path: /x'],
    patchesJson6902: [{ path: 'c.yaml', target: { kind: 'DaemonSet' } }],
  }), ['a.yaml', 'c.yaml', 'b.yaml']);
  assert.deepEqual(patchPaths('not a map'), []);
  assert.deepEqual(patchPaths(null), []);
});

test('decodeText: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (PowerShell redirections)', () => {
  const text = 'name: café 🚀\n';
  const utf8 = new TextEncoder().encode(text);
  assert.equal(decodeText(utf8), text);
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])), text);
  const le = new Uint8Array(2 + text.length * 2);
  le.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    le[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  assert.equal(decodeText(le), text);
  const be = le.map((_, i) => (i < 2 ? [0xfe, 0xff][i] : le[i % 2 === 0 ? i + 1 : i - 1]));
  assert.equal(decodeText(be), text);
});

test('a UTF-16 file from PowerShell is checked like its UTF-8 twin', async () => {
  const utf16 = new Uint8Array(2 + BAD.length * 2);
  utf16.set([0xff, 0xfe]);
  for (let i = 0; i < BAD.length; i++) {
    utf16[2 + 2 * i] = BAD.charCodeAt(i) & 0xff;
    utf16[3 + 2 * i] = BAD.charCodeAt(i) >> 8;
  }
  const r = await checkJson(['-'], utf16);
  const u = await checkJson(['-'], BAD);
  assert.deepEqual(r.report, u.report);
  assert.equal(r.code, 1);
});

test('--rules changes severities like the daemonsetLens.rules setting (and decides the exit code)', async () => {
  const warn = await checkJson(['--rules', 'restart-policy-always=warning', '-'], BAD);
  assert.equal(warn.code, 0);
  assert.deepEqual(warn.report.files[0].diagnostics.map((d) => [d.code, d.severity]), [['restart-policy-always', 'warning']]);
  const off = await checkJson(['--rules', 'restart-policy-always=off,yaml-syntax=error', '-'], BAD);
  assert.equal(off.code, 0);
  assert.deepEqual(off.report.files[0].diagnostics, []);
  const up = await checkJson(['--rules', 'missing-network-unavailable-toleration=error', 'examples/kube-flannel.yaml']);
  assert.equal(up.code, 1);
  for (const [arg, re] of [['nope=off', /unknown rule 'nope'/], ['restart-policy-always=fatal', /'fatal' is not one of error, warning, information, hint, off/], ['restart-policy-always', /is not rule-id=severity/]] as const) {
    const r = await cli(['check', '--rules', arg, '-'], { stdin: BAD });
    assert.equal(r.code, 2);
    assert.match(r.stderr, re);
  }
});

test('--pods: a system-node-critical DaemonSet that evicts lower-priority pods gets a note naming them, not "would stay Pending"', async () => {
  const dir = 'test/fixtures/placement';
  const r = await cli(['check', '--cluster', `${dir}/preemption-nodes.yaml`, '--pods', `${dir}/preemption-pods.yaml`, `${dir}/preemption-agent.yaml`]);
  const lines = r.stdout.split('\n').filter((l) => l.includes('unschedulable-on-nodes'));
  assert.equal(lines.length, 2);
  assert.equal(lines[0], `${dir}/preemption-agent.yaml:4:9: warning unschedulable-on-nodes metadata.name: Daemon pods would stay Pending on edge-1 (needs 250m cpu, 100m free).`);
  assert.match(lines[1], /^test\/fixtures\/placement\/preemption-agent\.yaml:4:9: information unschedulable-on-nodes metadata\.name: Daemon pods preempt 2 pods of lower priority \(priority class `system-node-critical`, 2000001000\): on storage-1 the scheduler evicts rook-ceph\/rook-ceph-mon-a-5d8c6b7f9-k4m2n \(needs 250m cpu, 200m free\); on worker-1 /);
  assert.doesNotMatch(r.stdout, /Pending on storage-1|Pending on worker-1/);
});
