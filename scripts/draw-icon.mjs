// Draws media/icon.png, the Marketplace icon (128x128 RGBA): a lens over an alert sign on Falco Lens' teal, drawn here
// from shapes (signed distances, 4x4 samples a pixel for smooth edges) and written as PNG bytes with node:zlib. No
// image from elsewhere. Run it again after changing a shape: node scripts/draw-icon.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SIZE = 128;
const SAMPLES = 4;

const length = (x, y) => Math.hypot(x, y);
/** Distance to a rounded square of half-side h and corner radius r centred at c (negative inside). */
const roundedSquare = (x, y, c, h, r) => {
  const qx = Math.abs(x - c) - h + r;
  const qy = Math.abs(y - c) - h + r;
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => length(x - cx, y - cy) - r;
/** Distance to the segment a-b thickened to radius r (a capsule). */
const capsule = (x, y, ax, ay, bx, by, r) => {
  const px = x - ax; const py = y - ay; const dx = bx - ax; const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return length(px - dx * t, py - dy * t) - r;
};
/** Distance (approximate, fine for filling) to a triangle with rounded corners of radius r. */
const triangle = (x, y, [[ax, ay], [bx, by], [cx, cy]], r) => {
  const edge = (px, py, qx, qy) => {
    const nx = py - qy; const ny = qx - px; const n = length(nx, ny);
    return ((x - px) * nx + (y - py) * ny) / n;
  };
  return Math.max(edge(ax, ay, bx, by), edge(bx, by, cx, cy), edge(cx, cy, ax, ay)) - r;
};

const TEAL_TOP = [21, 94, 99];
const TEAL_BOTTOM = [12, 52, 60];
const WHITE = [245, 247, 248];
const GLASS = [43, 179, 168];
const ORANGE = [255, 138, 61];
const INK = [12, 52, 60];

/** The colour and coverage of one sample point: the topmost shape that holds it, painted over the ones below. */
function sample(x, y) {
  if (roundedSquare(x, y, 64, 62, 24) > 0) return [0, 0, 0, 0];
  const t = y / SIZE;
  let colour = TEAL_TOP.map((v, i) => Math.round(v + (TEAL_BOTTOM[i] - v) * t));
  const over = (c, alpha = 1) => { colour = colour.map((v, i) => v + (c[i] - v) * alpha); };
  if (circle(x, y, 54, 54, 27) < 0) over(GLASS, 0.45);
  const sign = [[54, 35], [37, 66], [71, 66]];
  if (triangle(x, y, sign, 2.5) < 0) over(ORANGE);
  if (capsule(x, y, 54, 46, 54, 55, 2.8) < 0 || circle(x, y, 54, 61.5, 3) < 0) over(INK);
  const ring = Math.abs(circle(x, y, 54, 54, 31)) - 4.5;
  if (ring < 0 || capsule(x, y, 77, 77, 104, 104, 7) < 0) over(WHITE);
  return [...colour, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [r, g, b, a] = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        // Premultiplied, so that a transparent sample adds no colour to an edge.
        sum[0] += r * a; sum[1] += g * a; sum[2] += b * a; sum[3] += a;
      }
    }
    const at = py * (SIZE * 4 + 1) + 1 + px * 4;
    const alpha = sum[3] / (SAMPLES * SAMPLES);
    for (let i = 0; i < 3; i++) raw[at + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0;
    raw[at + 3] = Math.round(alpha);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const target = join(import.meta.dirname, '..', 'media', 'icon.png');
writeFileSync(target, png);
console.log(`media/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
