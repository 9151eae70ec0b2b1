import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addQuantities, canonicalQuantity, cmpQuantities, compareQuantities, formatQuantity, parseQuantity, quantityError, quantityOf, quantityString } from '../../server/src/engine/quantity';

const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX = "unable to parse quantity's suffix";

const near = (a: number | undefined, b: number) => {
  assert.notEqual(a, undefined);
  assert.ok(Math.abs((a as number) - b) <= Math.abs(b) * 1e-12, `${a} != ${b}`);
};

test('decimal SI suffixes scale by powers of ten', () => {
  near(parseQuantity('100m'), 0.1);
  near(parseQuantity('250m'), 0.25);
  near(parseQuantity('2'), 2);
  near(parseQuantity('1k'), 1e3);
  near(parseQuantity('128M'), 128e6);
  near(parseQuantity('1G'), 1e9);
  near(parseQuantity('2T'), 2e12);
  near(parseQuantity('1P'), 1e15);
  near(parseQuantity('3E'), 3e18);
  near(parseQuantity('500u'), 5e-4);
  near(parseQuantity('10n'), 1e-8);
});

test('binary SI suffixes scale by powers of two', () => {
  assert.equal(parseQuantity('1Ki'), 1024);
  assert.equal(parseQuantity('200Mi'), 200 * 2 ** 20);
  assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(parseQuantity('1Ti'), 2 ** 40);
  assert.equal(parseQuantity('1Pi'), 2 ** 50);
  assert.equal(parseQuantity('1Ei'), 2 ** 60);
});

test('exponents, signs, fractions and leading zeros', () => {
  near(parseQuantity('1e3'), 1000);
  near(parseQuantity('1E3'), 1000);
  near(parseQuantity('12e-3'), 0.012);
  near(parseQuantity('1e+2'), 100);
  near(parseQuantity('-1'), -1);
  near(parseQuantity('+5m'), 0.005);
  near(parseQuantity('.5'), 0.5);
  near(parseQuantity('0.5'), 0.5);
  near(parseQuantity('007'), 7);
  near(parseQuantity('1.G'), 1e9); // upstream TODO: "we currently allow 1.G"
  assert.equal(parseQuantity('0'), 0);
  assert.equal(parseQuantity('000'), 0);
  // parseQuantityString treats a missing numerator as 0, so upstream accepts these as zero.
  assert.equal(parseQuantity('m'), 0);
  assert.equal(parseQuantity('+'), 0);
  assert.equal(parseQuantity('.'), 0);
});

test('YAML numbers and padded strings parse as Quantity.UnmarshalJSON does', () => {
  near(parseQuantity(0.5), 0.5);
  near(parseQuantity(2), 2);
  near(parseQuantity(1e3), 1000);
  near(parseQuantity(' 100m '), 0.1);
  assert.equal(parseQuantity(null), 0);
});

test('amounts below one nano round up; BinarySI caps at int64', () => {
  near(parseQuantity('1e-12'), 1e-9);
  assert.equal(parseQuantity('100Ei'), 2 ** 63 - 1);
});

test('invalid quantities give the upstream error', () => {
  for (const bad of ['', '   ', 'abc', '1KiB', '1.2.3', '100 m', '1Gib', true, {}, [], '1e3x']) {
    assert.equal(parseQuantity(bad), undefined, JSON.stringify(bad));
    assert.equal(quantityError(bad), FORMAT_WRONG, JSON.stringify(bad));
  }
  for (const bad of ['1K', '1e', '2mi', '1Ki3', '1iM', '5kk', '--1']) {
    assert.equal(parseQuantity(bad), undefined, bad);
    assert.equal(quantityError(bad), SUFFIX, bad);
  }
  for (const good of ['100m', '1Gi', '1e3', 0.25, '0']) assert.equal(quantityError(good), undefined);
});

test('formatQuantity writes cpu in cores or millicores and bytes in binary units', () => {
  assert.equal(formatQuantity(0.25, 'cpu'), '250m');
  assert.equal(formatQuantity(2, 'cpu'), '2');
  assert.equal(formatQuantity(1.5, 'cpu'), '1500m');
  assert.equal(formatQuantity(parseQuantity('100m')!, 'cpu'), '100m');
  assert.equal(formatQuantity(0, 'cpu'), '0');
  assert.equal(formatQuantity(200 * 2 ** 20, 'memory'), '200Mi');
  assert.equal(formatQuantity(1.5 * 2 ** 30, 'memory'), '1.5Gi');
  assert.equal(formatQuantity(1e9, 'memory'), '1G');
  assert.equal(formatQuantity(512, 'memory'), '512');
  assert.equal(formatQuantity(10 * 2 ** 30, 'ephemeral-storage'), '10Gi');
  assert.equal(formatQuantity(110, 'pods'), '110');
  assert.equal(formatQuantity(1, 'nvidia.com/gpu'), '1');
});

test('canonicalQuantity prints what the API server prints (Quantity.String)', () => {
  const cases: Array<[unknown, string]> = [
    ['100m', '100m'], ['0.5', '500m'], [0.5, '500m'], ['1000m', '1'], ['1.5', '1500m'], ['2', '2'],
    ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['512Mi', '512Mi'], ['0.5Ki', '512'], ['1000Ki', '1000Ki'],
    ['1e3', '1e3'], ['1000', '1k'], ['1G', '1G'], ['12e-3', '12e-3'], ['-1', '-1'], ['-100m', '-100m'],
    ['0', '0'], ['1e-12', '1e-9'], ['0.0000001m', '1n'], ['1.0000000001', '1000000001n'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, String(input));
  assert.equal(canonicalQuantity('1KiB'), undefined);
});

test('compareQuantities compares exactly across suffixes', () => {
  assert.equal(compareQuantities('1', '1000m'), 0);
  assert.equal(compareQuantities('500m', '0.25'), 1);
  assert.equal(compareQuantities('1Gi', '1G'), 1);
  assert.equal(compareQuantities('128Mi', '134217728'), 0);
  assert.equal(compareQuantities('0.1', '100m'), 0);
  assert.equal(compareQuantities('-1', '0'), -1);
  assert.equal(compareQuantities('x', '1'), undefined);
});

test('repeated and many distinct quantities give the same answers as the first parse (the memo is exact and bounded)', () => {
  const texts = ['100m', '128Mi', ' 1.5Gi ', '1e3', '-1', 'bad', '0.1', '1024Mi'];
  const first = texts.map((t) => [parseQuantity(t), canonicalQuantity(t), quantityError(t)]);
  for (let i = 0; i < 5000; i++) canonicalQuantity(`${i}m`); // more distinct texts than the memo holds
  assert.deepEqual(texts.map((t) => [parseQuantity(t), canonicalQuantity(t), quantityError(t)]), first);
  assert.deepEqual(first[1], [134217728, '128Mi', undefined]);
  assert.equal(canonicalQuantity('4999m'), '4999m');
  assert.equal(compareQuantities('1024Mi', '1Gi'), 0);
});

test('sums keep the format of the first amount unless it is zero, as (*Quantity).Add does', () => {
  const sum = (...vs: string[]) => quantityString(vs.map((v) => quantityOf(v)!).reduce(addQuantities));
  assert.equal(sum('500m', '1'), '1500m');
  assert.equal(sum('64Mi', '32Mi'), '96Mi');
  assert.equal(sum('512Mi', '512Mi'), '1Gi');
  // A decimal first amount prints the sum in decimal; a binary one in binary when it can.
  assert.equal(sum('1G', '1Gi'), '2073741824');
  assert.equal(sum('1Gi', '1G'), '2073741824');
  assert.equal(sum('1Gi', '1Ki'), '1048577Ki');
  assert.equal(sum('0', '1Gi'), '1Gi');
  assert.equal(cmpQuantities(quantityOf('1500m')!, quantityOf('1.5')!), 0);
  assert.equal(quantityOf('1.5 cores'), undefined);
});
