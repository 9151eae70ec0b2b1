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
