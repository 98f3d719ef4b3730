// Draws the app icons (a teal tile with a white "device" ring and spark) as
// PNGs, so the icons are reproducible from code: `tsx tools/make-icons.ts`.

import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const TEAL = [0x1f, 0x6f, 0x5c];
const WHITE = [0xff, 0xff, 0xff];

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

function png(size: number, pixel: (x: number, y: number) => number[]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r ?? 0, g ?? 0, b ?? 0, a ?? 255], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** `content` is the fraction of the tile the glyph may use (maskable icons keep to 80%). */
function icon(size: number, { rounded, content }: { rounded: boolean; content: number }) {
  const c = size / 2;
  const radius = size * 0.18;
  return png(size, (x, y) => {
    const px = x + 0.5;
    const py = y + 0.5;
    if (rounded) {
      const dx = Math.max(radius - px, 0, px - (size - radius));
      const dy = Math.max(radius - py, 0, py - (size - radius));
      if (dx * dx + dy * dy > radius * radius) return [0, 0, 0, 0];
    }
    const d = Math.hypot(px - c, py - c) / ((size * content) / 2);
    const ring = d > 0.62 && d < 0.78;
    const spark = d < 0.28;
    return [...(ring || spark ? WHITE : TEAL), 255];
  });
}

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), icon(192, { rounded: true, content: 1 }));
writeFileSync(new URL('icon-512.png', out), icon(512, { rounded: true, content: 1 }));
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, { rounded: false, content: 0.8 }));
writeFileSync(new URL('apple-touch-icon.png', out), icon(180, { rounded: false, content: 0.9 }));
console.log('icons written to public/icons/');
