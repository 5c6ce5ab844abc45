// Renders Hearth's app icons (a cream flame over a hearth line, on ember) as real PNGs with
// nothing but node:zlib, so the icons are reproducible without an image toolchain:
//   node scripts/make-icons.mjs   → public/icons/*.png
// public/favicon.svg draws the same picture by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const EMBER = [0x9c, 0x41, 0x19];
const CREAM = [0xfa, 0xf5, 0xef];
const AMBER = [0xf2, 0xa4, 0x71];
const SUPERSAMPLE = 4;

/** A teardrop: a circle below, narrowing to a point at `tipY`. Coordinates are 0..1. */
function inTeardrop(x, y, { cx, cy, r, tipY }) {
  if (y >= cy) return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  if (y < tipY) return false;
  const t = (y - tipY) / (cy - tipY);
  // sin keeps the sides tangent to the circle where they meet it; the power sharpens the tip.
  return Math.abs(x - cx) <= r * Math.sin((t * Math.PI) / 2) ** 1.3;
}

function inRoundedRect(x, y, { x0, y0, x1, y1, radius }) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + radius - x, 0, x - (x1 - radius));
  const dy = Math.max(y0 + radius - y, 0, y - (y1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

const OUTER_FLAME = { cx: 0.5, cy: 0.57, r: 0.2, tipY: 0.15 };
const INNER_FLAME = { cx: 0.5, cy: 0.64, r: 0.1, tipY: 0.38 };
const HEARTH_LINE = { x0: 0.27, y0: 0.82, x1: 0.73, y1: 0.87, radius: 0.025 };

/** Colour of the picture at (x, y) in the content box, or null for the background. */
function picture(x, y) {
  if (inTeardrop(x, y, INNER_FLAME)) return AMBER;
  if (inTeardrop(x, y, OUTER_FLAME) || inRoundedRect(x, y, HEARTH_LINE)) return CREAM;
  return null;
}

/**
 * `maskable`: full-bleed ember, picture inside the central 80 % safe zone (platforms crop to
 * a circle or squircle). Otherwise: a rounded ember tile with transparent corners.
 */
function renderIcon(size, { maskable }) {
  const rgba = new Uint8Array(size * size * 4);
  const contentScale = maskable ? 0.62 : 0.78;
  const tile = { x0: 0, y0: 0, x1: 1, y1: 1, radius: 0.22 };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          if (!maskable && !inRoundedRect(x, y, tile)) continue;
          const colour = picture((x - 0.5) / contentScale + 0.5, (y - 0.5) / contentScale + 0.5) ?? EMBER;
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
          sum[3] += 255;
        }
      }
      const samples = SUPERSAMPLE * SUPERSAMPLE;
      const covered = sum[3] / 255;
      const offset = (py * size + px) * 4;
      if (covered > 0) {
        rgba[offset] = Math.round(sum[0] / covered);
        rgba[offset + 1] = Math.round(sum[1] / covered);
        rgba[offset + 2] = Math.round(sum[2] / covered);
      }
      rgba[offset + 3] = Math.round(sum[3] / samples);
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** PNG, 8-bit RGBA, no filtering (filter byte 0 on every row). */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true], // iOS rounds its own corners: full bleed
];
for (const [file, size, maskable] of icons) {
  writeFileSync(join(outDir, file), renderIcon(size, { maskable }));
  console.log(`wrote public/icons/${file} (${size}×${size})`);
}
