import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange, toRangeOnLine } from '../../server/src/convert';

const TEXTS: Record<string, string> = {
  lf: 'apiVersion: apps/v1\nkind: DaemonSet\n\nspec:\n  tolerations:\n  - key: dedicated\n',
  crlf: 'apiVersion: apps/v1\r\nkind: DaemonSet\r\n\r\nspec:\r\n  tolerations:\r\n  - key: dedicated',
  lone_cr: 'a: 1\rb: two\r\rc: three',
  one_line: 'key: value',
  empty: '',
};

test('toRangeOnLine gives what toRange gives, for every span and every line hint', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    const doc = TextDocument.create(`file:///${name}.yaml`, 'yaml', 1, text);
    for (let start = 0; start <= text.length; start++) {
      for (let end = start; end <= text.length; end++) {
        const span = { start, end };
        const want = toRange(doc, span);
        // The line of the span's start (the usual case), a line around it, and lines beyond the text.
        for (const line of [want.start.line, want.start.line - 1, want.start.line + 1, want.end.line, doc.lineCount, -1]) {
          assert.deepEqual(toRangeOnLine(doc, span, line), want, `${name}: ${JSON.stringify(span)} with line ${line}`);
        }
      }
    }
  }
});

test('toRangeOnLine reads the span off the hinted line without a search', () => {
  const doc = TextDocument.create('file:///x.yaml', 'yaml', 1, TEXTS.crlf);
  const at = TEXTS.crlf.indexOf('dedicated');
  let searched = 0;
  const counting = { lineCount: doc.lineCount, offsetAt: doc.offsetAt.bind(doc), positionAt: (o: number) => (searched++, doc.positionAt(o)) };
  assert.deepEqual(toRangeOnLine(counting, { start: at, end: at + 'dedicated'.length }, 5), { start: { line: 5, character: 9 }, end: { line: 5, character: 18 } });
  assert.equal(searched, 0);
  // A span that does not lie on the hinted line is converted by the search.
  toRangeOnLine(counting, { start: at, end: at + 'dedicated'.length }, 4);
  assert.equal(searched, 2);
});
