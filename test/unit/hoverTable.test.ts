import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCluster } from '../../server/src/engine/cluster';
import { hoverAt, hoverInputs, preparedHovers, prepareHovers, type HoverContext } from '../../server/src/engine/hover';
import { parseDocument } from '../../server/src/engine/model';
import { indexObject, tokenIndexOf } from '../../server/src/engine/nodeAt';
import { toRange } from '../../server/src/convert';
import { HoverTable } from '../../server/src/hoverTable';

const FIXTURES = join(__dirname, '../fixtures');

/**
 * At every position of every line (a character before the line, every character of it and a few
 * past its end), the table answers what the engine answers there, or nothing. Returns how many
 * positions the table answered and how many the engine did.
 */
function assertTableAgrees(name: string, text: string, ctx: HoverContext): { listed: number; hovered: number } {
  const doc = TextDocument.create(`file:///${name}`, 'yaml', 3, text);
  const model = parseDocument(doc.uri, text, 3);
  for (const obj of model.objects) indexObject(obj);
  const shared = new Map<string, string>();
  if (model.objects.some((o) => tokenIndexOf(o))) assert.equal(preparedHovers(model, ctx), undefined, 'nothing is listed before the answers are computed');
  for (const obj of model.objects) prepareHovers(model, obj, ctx, shared);
  const hovers = preparedHovers(model, ctx);
  if (!hovers) return { listed: 0, hovered: 0 };
  const table = HoverTable.build(doc, hovers, hoverInputs(ctx));
  assert.equal(table.version, 3);
  assert.ok(table.matches(hoverInputs(ctx)));
  let listed = 0;
  let hovered = 0;
  for (let line = 0; line < doc.lineCount; line++) {
    const length = doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - doc.offsetAt({ line, character: 0 });
    for (let character = -1; character <= length + 2; character++) {
      const position = { line, character };
      const h = hoverAt(model, doc.offsetAt(position), ctx);
      const want = h && { markdown: h.markdown, range: toRange(doc, h.span) };
      const got = table.at(position);
      if (want) hovered++;
      if (!got) continue;
      listed++;
      assert.deepEqual(got, want, `${name} at ${line}:${character}`);
    }
  }
  return { listed, hovered };
}

test('the hover table answers what the engine answers, at every position of the fixtures', () => {
  const cluster = parseCluster(parseDocument('file:///c.yaml', readFileSync(join(FIXTURES, 'clusters/kubeadm.yaml'), 'utf8')));
  let listed = 0;
  let hovered = 0;
  for (const dir of ['corpus', 'invalid', 'lsp', 'clusters']) {
    for (const f of readdirSync(join(FIXTURES, dir)).filter((n) => /\.(ya?ml|json)$/.test(n))) {
      const text = readFileSync(join(FIXTURES, dir, f), 'utf8');
      for (const ctx of [{ cluster }, { cluster: parseCluster(parseDocument(`file:///${f}`, text)), isClusterFile: true }]) {
        const r = assertTableAgrees(`${dir}/${f}`, text, ctx);
        listed += r.listed;
        hovered += r.hovered;
      }
    }
  }
  // Hovers on one line are the rule: the table must answer most positions that have one.
  assert.ok(listed > 0.9 * hovered, `the table answered ${listed} of ${hovered} hovered positions`);
});

test('the hover table answers what the engine answers in CRLF, lone CR, flow and multi-line YAML', () => {
  const ds = (tolerations: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      tolerations:${tolerations}\n      nodeSelector: {disktype: ssd}\n`;
  const cases: Record<string, string> = {
    block: ds('\n      - key: dedicated\n        operator: Equal\n        value: logging\n        effect: NoSchedule\n'),
    crlf: ds('\n      - key: dedicated\n        effect: NoSchedule\n').replace(/\n/g, '\r\n'),
    loneCr: ds('\n      - key: dedicated\n        effect: NoSchedule\n').replace(/\n/g, '\r'),
    flow: ds(' [{key: dedicated, operator: Exists}, {key: "node.kubernetes.io/not-ready", effect: NoExecute}]'),
    multiLine: ds('\n      - key: "dedicated\n          -pool"\n        effect: NoSchedule\n'),
    twoDocs: `${ds('\n      - key: a\n')}---\n${ds('\n      - key: b\n        effect: NoSchedule\n')}`,
  };
  for (const [name, text] of Object.entries(cases)) {
    const r = assertTableAgrees(name, text, {});
    // A lone CR does not end a line in YAML: that file is one scalar, and nothing may be listed for it.
    if (name !== 'loneCr') assert.ok(r.hovered > 0 && r.listed > 0, name);
  }
});

test('the hover table is for the inputs it was built with', () => {
  const text = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: dedicated\n';
  const doc = TextDocument.create('file:///a.yaml', 'yaml', 1, text);
  const table = HoverTable.build(doc, [], hoverInputs({ featureGates: {} }));
  assert.equal(table.matches(hoverInputs({ featureGates: {} })), false, 'other gates, even equal ones');
  assert.equal(table.at({ line: 8, character: 10 }), undefined);
});
