/**
 * Code actions in both forms: the JSON the stdio writer sends as it is, and the value any other
 * transport serialises (handlers/codeActions.ts, serialized.ts). Over every fixture, for the
 * diagnostics as published and as a client may change them, they must say the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from '../../server/src/convert';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import type { Finding, Fix } from '../../server/src/engine/types';
import { fixesOf, validate, type ValidateOptions } from '../../server/src/engine/validate';
import { codeActionsFor } from '../../server/src/handlers/codeActions';

const REPO = resolve(__dirname, '../..');
const DIRS = ['test/fixtures/corpus', 'test/fixtures/lsp', 'test/fixtures/invalid', 'examples', 'test/fixtures/pod-os'];
const cluster = parseCluster(parseDocument('file:///cluster.yaml', readFileSync(join(REPO, 'examples/cluster.yaml'), 'utf8')));
const options: ValidateOptions = { cluster, clusterStamp: 'examples', fixes: false };

function* manifests(): Generator<{ name: string; doc: TextDocument; findings: Finding[]; fixes: (f: Finding) => Fix[] }> {
  for (const dir of DIRS) {
    for (const file of readdirSync(join(REPO, dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const text = readFileSync(join(REPO, dir, file), 'utf8');
      const uri = `file:///${dir}/${file}`;
      const model = parseDocument(uri, text, 1);
      const memo = new Map<Finding, Fix[]>();
      const fixes = (f: Finding) => memo.get(f) ?? memo.set(f, fixesOf(model, f, options)).get(f)!;
      yield { name: `${dir}/${file}`, doc: TextDocument.create(uri, 'yaml', 1, text), findings: validate(model, options), fixes };
    }
  }
}

/** The JSON the writer sends, and the value's JSON, parsed: what a client reads from each. */
function bothForms(...args: Parameters<typeof codeActionsFor>): [CodeAction[], CodeAction[]] {
  const result = codeActionsFor(...args);
  return [JSON.parse(result.json) as CodeAction[], JSON.parse(JSON.stringify(result)) as CodeAction[]];
}

const withoutData = ({ data: _data, ...d }: Diagnostic): Diagnostic => d;

test('the JSON and the value of code actions agree, for diagnostics as published and as changed by a client', () => {
  let actions = 0;
  for (const { name, doc, findings, fixes } of manifests()) {
    const published = findings.map((f) => toDiagnostic(doc, f));
    for (const resolveLater of [true, false]) {
      const variants = (d: Diagnostic): Diagnostic[] => [d, withoutData(d), { ...d, severity: d.severity === 1 ? 2 : 1 }, { ...d, tags: [2] }, { ...d, codeDescription: { href: 'https://example.com' } }, d];
      for (const d of published) {
        for (const v of variants(d)) {
          const [json, value] = bothForms(doc, findings, fixes, [v], undefined, resolveLater);
          assert.deepEqual(json, value, `${name}: ${d.code} at line ${d.range.start.line}`);
          for (const a of json) assert.deepEqual(a.diagnostics, [withoutData(v)], `${name}: ${a.title}`);
          actions += json.length;
        }
      }
      // All at once, as a client asking for a whole range: each rule and line disabled once.
      const [json, value] = bothForms(doc, findings, fixes, [...published, ...published], undefined, resolveLater);
      assert.deepEqual(json, value, name);
      const disables = json.filter((a) => a.title.startsWith('Disable ')).map((a) => `${a.title}:${a.diagnostics![0].range.start.line}`);
      assert.equal(new Set(disables).size, disables.length, `${name}: ${disables.join(', ')}`);
    }
  }
  assert.ok(actions > 1000, `only ${actions} actions`);
});

test('nothing to fix is an empty list in both forms', () => {
  const [{ doc, findings, fixes }] = manifests();
  for (const args of [[[]], [[{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'other' }]]] as Array<[Diagnostic[]]>) {
    assert.deepEqual(bothForms(doc, findings, fixes, ...args), [[], []]);
  }
  const some = findings.map((f) => toDiagnostic(doc, f));
  assert.deepEqual(bothForms(doc, findings, fixes, some, ['refactor']), [[], []]);
  assert.deepEqual(bothForms(doc, undefined, fixes, some), [[], []]);
});
