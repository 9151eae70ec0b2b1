import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, hasBackstep, utf8Length } from '../../server/src/engine/text';
import { seededRandom } from '../random';

/** The textbook optimal string alignment distance, over the full matrix. */
function referenceDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

test('editDistance: known distances', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('tolerations', 'tolerations'), 0);
  assert.equal(editDistance('tolerationz', 'tolerations'), 1);
  assert.equal(editDistance('NoSchedlue', 'NoSchedule'), 1, 'an adjacent swap counts once');
  assert.equal(editDistance('ca', 'abc'), 3, 'OSA, not unrestricted Damerau-Levenshtein');
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('editDistance equals the full-matrix computation on random strings, long ones after short ones', () => {
  const rnd = seededRandom(42);
  const word = (max: number) => Array.from({ length: Math.floor(rnd() * max) }, () => 'abcde'[Math.floor(rnd() * 5)]).join('');
  for (let k = 0; k < 3000; k++) {
    const max = k < 2000 ? 8 : 80;
    const a = word(max);
    const b = word(max);
    assert.equal(editDistance(a, b), referenceDistance(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});

test('utf8Length equals what TextEncoder encodes, lone surrogates included', () => {
  const encoder = new TextEncoder();
  const samples = ['', 'app', 'é', 'ß-label', '日本語', '😀', 'a😀b', '\ud800', '\udc00', 'x\ud800y', '\udc00\ud800', '\ud83d\ude00\ud83d', '\u007f\u0080\u07ff\u0800\uffff'];
  for (const s of samples) assert.equal(utf8Length(s), encoder.encode(s).length, JSON.stringify(s));
  const rnd = seededRandom(7);
  const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff];
  for (let k = 0; k < 2000; k++) {
    const s = String.fromCharCode(...Array.from({ length: Math.floor(rnd() * 12) }, () => units[Math.floor(rnd() * units.length)]));
    assert.equal(utf8Length(s), encoder.encode(s).length, JSON.stringify(s));
  }
});

test('hasBackstep finds a `..` element as strings.Split(path, "/") does, on random paths too', () => {
  for (const p of ['..', '../a', 'a/..', 'a/../b', '/..', '//..//', 'a/b/..']) assert.equal(hasBackstep(p), true, p);
  for (const p of ['', '.', '...', '..a', 'a..', 'a/..b', 'b../a', '.../a', 'a/...', '/']) assert.equal(hasBackstep(p), false, p);
  const rnd = seededRandom(11);
  for (let k = 0; k < 3000; k++) {
    const p = Array.from({ length: Math.floor(rnd() * 10) }, () => './a'[Math.floor(rnd() * 3)]).join('');
    assert.equal(hasBackstep(p), p.split('/').includes('..'), JSON.stringify(p));
  }
});
