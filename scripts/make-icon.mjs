// Draws the extension's 128x128 icon (images/icon.png) with nothing but node:zlib: a rounded tile
// holding a 3x3 grid of nodes — most of them running a pod (green dot), one excluded by a taint
// (hollow, red bar) — the picture the placement preview draws.
// Usage: node scripts/make-icon.mjs [out.png]
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges
const out = process.argv[2] ?? 'images/icon.png';

const BG = [0x32, 0x6c, 0xe5]; // Kubernetes blue
const NODE = [0xff, 0xff, 0xff];
const POD = [0x2e, 0xa0, 0x43];
const TAINT = [0xd9, 0x3f, 0x3f];

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

const cells = [];
const cell = 30;
const gap = 8;
const origin = (SIZE - (3 * cell + 2 * gap)) / 2;
for (let row = 0; row < 3; row++) {
  for (let col = 0; col < 3; col++) {
    cells.push({ x: origin + col * (cell + gap), y: origin + row * (cell + gap), excluded: row === 0 && col === 2 });
  }
}

/** Colour (RGBA) of one sub-sample point. */
function sample(x, y) {
  if (!roundedRect(x, y, 2, 2, SIZE - 2, SIZE - 2, 22)) return [0, 0, 0, 0];
  for (const c of cells) {
    if (!roundedRect(x, y, c.x, c.y, c.x + cell, c.y + cell, 6)) continue;
    const mx = c.x + cell / 2;
    const my = c.y + cell / 2;
    if (c.excluded) {
      const inner = roundedRect(x, y, c.x + 3, c.y + 3, c.x + cell - 3, c.y + cell - 3, 4);
      if (inner && Math.abs(y - my) <= 3 && Math.abs(x - mx) <= 9) return [...TAINT, 255];
      return inner ? [...BG, 255] : [...NODE, 255];
    }
    if ((x - mx) ** 2 + (y - my) ** 2 <= 8 * 8) return [...POD, 255];
    return [...NODE, 255];
  }
  return [...BG, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const [r, g, b, a] = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a;
      }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    const alpha = acc[3] / (SS * SS);
    for (let i = 0; i < 3; i++) raw[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    raw[o + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${SIZE}x${SIZE}, ${png.length} bytes`);
