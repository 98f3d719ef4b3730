// Tests for the packer: hashes checked against independently computed ones,
// chunk tiling at the boundaries, file listing rules, and catalog building.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/core/catalog';
import { AppError } from '../../../src/core/errors';
import { parseManifest } from '../../../src/core/manifest';
import {
  DEFAULT_CHUNK_SIZE,
  hashFile,
  listFiles,
  type PackOptions,
  packModel,
  writeCatalog,
} from '../../../tools/pack/packModel';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pack-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function put(path: string, data: Buffer | string): Promise<Buffer> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), data);
  return Buffer.from(data);
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The chunks a file of these bytes must have, computed without the packer. */
function expectedChunks(data: Buffer, chunkSize: number) {
  const chunks = [];
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    const slice = data.subarray(offset, offset + chunkSize);
    chunks.push({ offset, length: slice.length, sha256: sha(slice) });
  }
  return chunks;
}

const options = (extra: Partial<PackOptions> = {}): PackOptions => ({
  dir,
  id: 'tiny',
  name: 'Tiny',
  version: '1.0.0',
  framework: 'onnx',
  task: 'text-classification',
  license: 'MIT',
  variants: [{ backend: 'wasm', dtype: 'fp32', memoryBytes: 1000, requiredFeatures: [] }],
  ...extra,
});

describe('hashFile', () => {
  const CHUNK = 1000;
  it.each([
    ['empty file', 0, 0],
    ['one byte', 1, 1],
    ['just under a chunk', CHUNK - 1, 1],
    ['exactly one chunk', CHUNK, 1],
    ['one byte over', CHUNK + 1, 2],
    ['exactly three chunks', 3 * CHUNK, 3],
    ['not a multiple', 2 * CHUNK + 357, 3],
  ])('%s (%i bytes) → %i chunks', async (_name, size, count) => {
    const data = await put('f.bin', randomBytes(size));
    const hashed = await hashFile(join(dir, 'f.bin'), CHUNK);
    expect(hashed.size).toBe(size);
    expect(hashed.sha256).toBe(sha(data));
    expect(hashed.chunks).toHaveLength(count);
    expect(hashed.chunks).toEqual(expectedChunks(data, CHUNK));
  });

  it('splits chunks that straddle the 1 MiB read buffers', async () => {
    const data = await put('big.bin', randomBytes(3 * 1024 * 1024 + 17));
    const hashed = await hashFile(join(dir, 'big.bin'), 1_000_003);
    expect(hashed.sha256).toBe(sha(data));
    expect(hashed.chunks).toEqual(expectedChunks(data, 1_000_003));
  });
});

describe('packModel', () => {
  it('hashes every file, tiles chunks, defaults variant files, and writes manifest.json', async () => {
    const files: Record<string, Buffer> = {
      'config.json': await put('config.json', '{"a":1}'),
      'onnx/model.onnx': await put('onnx/model.onnx', randomBytes(2500)),
      'empty.bin': await put('empty.bin', ''),
      'exact.bin': await put('exact.bin', randomBytes(1000)),
      'sub/manifest.json': await put('sub/manifest.json', '{}'), // only the top-level one is skipped
      'B.txt': await put('B.txt', 'upper case sorts first'),
    };
    await put('manifest.json', 'an old manifest, replaced');
    const manifest = await packModel(options({ chunkSize: 1000, description: 'A test model.' }));

    const paths = Object.keys(files).sort();
    expect(manifest.files.map((f) => f.path)).toEqual(paths);
    expect(paths[0]).toBe('B.txt');
    for (const f of manifest.files) {
      const data = files[f.path] as Buffer;
      expect(f.size, f.path).toBe(data.length);
      expect(f.sha256, f.path).toBe(sha(data));
      expect(f.chunks, f.path).toEqual(expectedChunks(data, 1000));
    }
    expect(manifest.files.find((f) => f.path === 'empty.bin')?.chunks).toEqual([]);
    expect(manifest.files.find((f) => f.path === 'onnx/model.onnx')?.chunks).toHaveLength(3);
    expect(manifest.variants[0]?.files).toEqual(paths);
    expect(manifest).toMatchObject({
      schema: 1,
      id: 'tiny',
      version: '1.0.0',
      description: 'A test model.',
    });

    const written = await readFile(join(dir, 'manifest.json'), 'utf8');
    expect(written).toMatch(/^\{\n {2}"schema": 1,/);
    expect(written.endsWith('}\n')).toBe(true);
    expect(JSON.parse(written)).toEqual(manifest);
    expect(parseManifest(JSON.parse(written))).toEqual(manifest);

    // Packing again reads the same files (not its own output) and gives the same bytes.
    await packModel(options({ chunkSize: 1000, description: 'A test model.' }));
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(written);
  });

  it('uses 8 MiB chunks by default and keeps explicit variant files', async () => {
    expect(DEFAULT_CHUNK_SIZE).toBe(8 * 1024 * 1024);
    await put('a.bin', randomBytes(10));
    await put('b.bin', randomBytes(10));
    const manifest = await packModel(
      options({
        variants: [
          {
            backend: 'webgpu',
            dtype: 'q4f16',
            files: ['b.bin'],
            memoryBytes: 5,
            requiredFeatures: ['shader-f16'],
          },
          { backend: 'wasm', dtype: 'q8', memoryBytes: 5, requiredFeatures: [] },
        ],
      }),
    );
    expect(manifest.files.map((f) => f.chunks.length)).toEqual([1, 1]);
    expect(manifest.variants.map((v) => v.files)).toEqual([['b.bin'], ['a.bin', 'b.bin']]);
  });

  it('refuses what the app would refuse, writing nothing', async () => {
    await put('a.bin', 'x');
    const bad: Array<Partial<PackOptions>> = [
      { id: 'Not A Slug' },
      { version: 'latest' },
      { variants: [] },
      {
        variants: [
          {
            backend: 'wasm',
            dtype: 'fp32',
            files: ['missing.bin'],
            memoryBytes: 1,
            requiredFeatures: [],
          },
        ],
      },
    ];
    for (const extra of bad) {
      await expect(packModel(options(extra))).rejects.toSatisfy((e) =>
        AppError.is(e, 'invalid-manifest'),
      );
    }
    await expect(readFile(join(dir, 'manifest.json'))).rejects.toThrow();
    await expect(packModel(options({ chunkSize: 0 }))).rejects.toThrow(RangeError);
    await expect(packModel(options({ chunkSize: 1.5 }))).rejects.toThrow(RangeError);
  });
});

describe('listFiles', () => {
  it('skips excluded paths by segment, by path and with wildcards', async () => {
    for (const path of [
      'keep.onnx',
      'README.md',
      'docs/guide.md',
      '.git/HEAD',
      'onnx/old/model.onnx',
      'onnx/model.onnx',
      'onnx/model_q4.onnx',
      'tokenizer.json',
      'manifest.json',
    ]) {
      await put(path, 'x');
    }
    expect(await listFiles(dir)).toEqual([
      '.git/HEAD',
      'README.md',
      'docs/guide.md',
      'keep.onnx',
      'onnx/model.onnx',
      'onnx/model_q4.onnx',
      'onnx/old/model.onnx',
      'tokenizer.json',
    ]);
    expect(await listFiles(dir, ['*.md', '.git', 'onnx/old', 'onnx/*_q?.onnx'])).toEqual([
      'keep.onnx',
      'onnx/model.onnx',
      'tokenizer.json',
    ]);
    expect(await listFiles(dir, ['**/model.onnx', 'tok*'])).toEqual([
      '.git/HEAD',
      'README.md',
      'docs/guide.md',
      'keep.onnx',
      'onnx/model_q4.onnx',
    ]);
  });
});

describe('writeCatalog', () => {
  async function pack(id: string, version: string, extra: Partial<PackOptions> = {}) {
    const at = join(dir, id, version);
    await mkdir(at, { recursive: true });
    await writeFile(join(at, 'weights.bin'), randomBytes(id.length * 100));
    return packModel(options({ dir: at, id, version, name: `Model ${id}`, ...extra }));
  }

  it('lists the latest version of each model by semver precedence', async () => {
    for (const v of ['1.2.0', '1.9.9', '1.10.0', '1.10.0-rc.1', '0.5.0']) {
      await pack('alpha', v, { description: `alpha ${v}` });
    }
    await pack('b', '0.1.0-beta.1');
    await mkdir(join(dir, 'b', '0.2.0')); // a folder without a manifest is not a package
    await writeFile(join(dir, 'notes.txt'), 'not a model');

    const catalog = await writeCatalog(dir);
    expect(catalog).toEqual({
      schema: 1,
      models: [
        {
          id: 'alpha',
          name: 'Model alpha',
          version: '1.10.0',
          framework: 'onnx',
          task: 'text-classification',
          description: 'alpha 1.10.0',
          size: 500,
          manifest: 'alpha/1.10.0/manifest.json',
        },
        {
          id: 'b',
          name: 'Model b',
          version: '0.1.0-beta.1',
          framework: 'onnx',
          task: 'text-classification',
          description: '',
          size: 100,
          manifest: 'b/0.1.0-beta.1/manifest.json',
        },
      ],
    });
    const written = JSON.parse(await readFile(join(dir, 'catalog.json'), 'utf8'));
    expect(parseCatalog(written)).toEqual(catalog);
  });

  it('writes an empty catalog for an empty root', async () => {
    expect(await writeCatalog(dir)).toEqual({ schema: 1, models: [] });
  });

  it('refuses a manifest in the wrong folder, or a broken one', async () => {
    await pack('alpha', '1.0.0');
    await mkdir(join(dir, 'alpha', '2.0.0'));
    await writeFile(
      join(dir, 'alpha', '2.0.0', 'manifest.json'),
      await readFile(join(dir, 'alpha', '1.0.0', 'manifest.json')),
    );
    await expect(writeCatalog(dir)).rejects.toSatisfy(
      (e) => AppError.is(e, 'invalid-manifest') && String(e.details.path).includes('2.0.0'),
    );
    await writeFile(join(dir, 'alpha', '2.0.0', 'manifest.json'), '{ not json');
    await expect(writeCatalog(dir)).rejects.toSatisfy((e) => AppError.is(e, 'invalid-manifest'));
  });
});
