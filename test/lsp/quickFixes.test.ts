/**
 * Every quick fix the server offers, over a corpus with varied styles (flush and indented sequences,
 * flow collections, comments, CRLF): applied to the text, re-validated by the server. The diagnostic
 * it fixes is gone, the YAML is still valid, and no new kind of problem appears.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyAction, ROOT, TestClient } from './lspClient';

const DIRS = ['test/fixtures/lsp', 'test/fixtures/corpus', 'test/fixtures/pod-os'];
const files = DIRS.flatMap((d) => {
  try {
    return readdirSync(join(ROOT, d)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f));
  } catch {
    return [];
  }
});

let client: TestClient;
before(async () => {
  client = new TestClient();
  await client.initialize();
});
after(() => client.dispose());

const sig = (d: Diagnostic) => `${d.code}|${(d.data as { path?: string })?.path}|${d.message}`;

let fixesApplied = 0;

for (const file of files) {
  test(`every quick fix in ${file} removes its diagnostic and keeps valid YAML`, async () => {
    const original = readFileSync(join(ROOT, file), 'utf8');
    const name = file.replace(/\//g, '_');
    const uri = client.uri(name);
    const first = await client.open(name, original);
    const codesBefore = new Set(first.diagnostics.map((d) => d.code));
    for (const d0 of first.diagnostics) {
      // Back to the original text; the diagnostics of that version get the fixes to try.
      const current = await client.replaceAll(uri, original);
      const d = current.diagnostics.find((x) => sig(x) === sig(d0))!;
      assert.ok(d, `${sig(d0)} not reported again on the same text`);
      const actions = await client.resolvedCodeActions(uri, [d]);
      const titles = actions.map((a) => a.title);
      assert.equal(new Set(titles).size, titles.length, `duplicate actions: ${titles.join(', ')}`);
      for (const action of actions) {
        assert.equal(action.kind, 'quickfix');
        const fixed = applyAction(original, uri, action);
        assert.notEqual(fixed, original, `${action.title} changes nothing`);
        const after = await client.replaceAll(uri, fixed);
        const still = after.diagnostics.filter((x) => sig(x) === sig(d));
        assert.deepEqual(still.map(sig), [], `"${action.title}" left its diagnostic in place:\n${fixed}`);
        for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], `"${action.title}" broke the YAML:\n${fixed}`);
        // Moving off a removed API version runs the apps/v1 checks for the first time: the selector
        // problem it reveals is expected (the message says so), and it comes with its own fix.
        const revealed = d.code === 'removed-api-version' ? new Set(['selector-matches-labels']) : new Set<unknown>();
        const newCodes = after.diagnostics.map((x) => x.code).filter((c) => !codesBefore.has(c) && !revealed.has(c));
        assert.deepEqual(newCodes, [], `"${action.title}" introduced new problems:\n${fixed}`);
        if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(fixed), `"${action.title}" wrote LF into a CRLF file`);
        fixesApplied++;
      }
    }
    await client.close(uri);
  });
}

test('the corpus exercised quick fixes of several rules', () => {
  assert.ok(fixesApplied >= 8, `only ${fixesApplied} fixes applied`);
});

test('missing-not-ready-toleration and legacy-master-label over the real server: diagnostics, fixes, and their results', async () => {
  const file = 'test/fixtures/lsp/flannel-not-ready-crlf.yaml';
  const original = readFileSync(join(ROOT, file), 'utf8');
  assert.ok(original.includes('\r\n'));
  const uri = client.uri('not-ready-master.yaml');
  const first = await client.open('not-ready-master.yaml', original);
  const lineText = (d: Diagnostic) => original.split('\r\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character);

  const nr = first.diagnostics.find((d) => d.code === 'missing-not-ready-toleration')!;
  assert.ok(nr, first.diagnostics.map((d) => d.code).join(', '));
  assert.equal(nr.severity, 2, 'warning');
  assert.equal(lineText(nr), 'tolerations');
  assert.match(nr.message, /does not tolerate node\.kubernetes\.io\/not-ready:NoSchedule/);
  const nrActions = await client.resolvedCodeActions(uri, [nr]);
  assert.deepEqual(nrActions.map((a) => [a.title, !!a.isPreferred]), [
    ['Add toleration node.kubernetes.io/not-ready:NoSchedule', true],
    ['Disable missing-not-ready-toleration on this line', false],
  ]);
  const withToleration = applyAction(original, uri, nrActions[0]);
  assert.ok(withToleration.includes('        effect: NoSchedule\r\n      - key: node.kubernetes.io/not-ready\r\n        operator: Exists\r\n        effect: NoSchedule\r\n      serviceAccountName: flannel\r\n'), withToleration);
  const afterNr = await client.replaceAll(uri, withToleration);
  assert.deepEqual(afterNr.diagnostics.filter((d) => d.code === 'missing-not-ready-toleration'), []);

  const master = afterNr.diagnostics.find((d) => d.code === 'legacy-master-label')!;
  assert.ok(master, afterNr.diagnostics.map((d) => d.code).join(', '));
  assert.equal(master.severity, 3, 'information');
  assert.equal(withToleration.split('\r\n')[master.range.start.line].slice(master.range.start.character, master.range.end.character), 'node-role.kubernetes.io/master');
  const masterActions = await client.resolvedCodeActions(uri, [master]);
  assert.equal(masterActions[0].title, 'Use node-role.kubernetes.io/control-plane');
  assert.equal(masterActions[0].isPreferred, true);
  const renamed = applyAction(withToleration, uri, masterActions[0]);
  assert.equal(renamed, withToleration.replace('node-role.kubernetes.io/master: "" # the control-plane nodes', 'node-role.kubernetes.io/control-plane: "" # the control-plane nodes'));
  const afterMaster = await client.replaceAll(uri, renamed);
  assert.deepEqual(afterMaster.diagnostics.map((d) => d.code), []);
  await client.close(uri);
});
