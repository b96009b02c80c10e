// Draws build/icon.png (512x512), the icon electron-builder packages for every platform. It is
// the same drawing as renderer/public/icon.svg scaled by 8: a blue rounded square with three
// bars of different lengths, a log read from the left. Run `node build/make-icon.mjs` after
// changing either; the PNG is checked in so packaging needs no image tools.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BACKGROUND = [0x24, 0x57, 0xc5];
const CORNER = 112;
const BAR_HALF_WIDTH = 24;
const BARS = [
  { y: 152, from: 120, to: 392 },
  { y: 256, from: 120, to: 296 },
  { y: 360, from: 120, to: 344 },
];

// Signed distance to a rounded square and to each capsule-shaped bar; clamping distance into
// [0, 1] over one pixel gives smooth edges.
function squareDistance(x, y) {
  const half = SIZE / 2;
  const qx = Math.abs(x - half) - (half - CORNER);
  const qy = Math.abs(y - half) - (half - CORNER);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - CORNER;
}

function barDistance(x, y, bar) {
  const cx = Math.min(Math.max(x, bar.from), bar.to);
  return Math.hypot(x - cx, y - bar.y) - BAR_HALF_WIDTH;
}

const coverage = (distance) => Math.min(Math.max(0.5 - distance, 0), 1);

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4); // leading 0: PNG filter type "none"
  for (let x = 0; x < SIZE; x++) {
    const px = x + 0.5;
    const py = y + 0.5;
    const alpha = coverage(squareDistance(px, py));
    const white = Math.max(...BARS.map((bar) => coverage(barDistance(px, py, bar))));
    const offset = 1 + x * 4;
    for (let channel = 0; channel < 3; channel++) {
      row[offset + channel] = Math.round(BACKGROUND[channel] * (1 - white) + 255 * white);
    }
    row[offset + 3] = Math.round(alpha * 255);
  }
  rows.push(row);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
