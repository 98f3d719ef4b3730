// Writes Brotli and gzip copies (`x.js.br`, `x.js.gz`) next to the built JS,
// CSS, JSON, HTML and `.wasm`, for hosts that serve precompressed files
// (tools/serve/appServer.ts does). Copies are cached by content hash, since
// Brotli at its best quality takes minutes on the runtimes' `.wasm`.

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export const COMPRESSIBLE = /\.(js|mjs|css|json|html|webmanifest|svg|wasm)$/;
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
/** Brotli's best quality costs ~100 s on the 27 MB ORT `.wasm` for 15 % less; 9 above 1 MB. */
const BIG = 1024 * 1024;
const CACHE = join(import.meta.dirname, '../../node_modules/.cache/compressed');

async function cached(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const file = join(CACHE, key);
  const hit = await readFile(file).catch(() => null);
  if (hit) return hit;
  const made = await make();
  await mkdir(CACHE, { recursive: true });
  await writeFile(file, made);
  return made;
}

export async function compressBuiltFiles(outDir: string, files: readonly string[]): Promise<void> {
  await Promise.all(
    files
      .filter((file) => COMPRESSIBLE.test(file))
      .map(async (file) => {
        const bytes = await readFile(join(outDir, file));
        const hash = createHash('sha256').update(bytes).digest('hex');
        const quality = bytes.length > BIG ? 9 : 11;
        const br = await cached(`${hash}.q${quality}.br`, () =>
          brotli(bytes, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: quality,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          }),
        );
        const gzipped = await cached(`${hash}.gz`, () => gz(bytes, { level: 9 }));
        await writeFile(join(outDir, `${file}.br`), br);
        await writeFile(join(outDir, `${file}.gz`), gzipped);
      }),
  );
}
