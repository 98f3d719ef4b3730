// Shared fixtures for the model-server tests: a temp root with generated files,
// and a raw HTTP request for paths that fetch() would normalise away.

import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export interface Fixture {
  /** Parent of `root`, holding a file the server must never serve. */
  base: string;
  root: string;
  files: Record<string, Buffer>;
  cleanup(): Promise<void>;
}

export async function makeFixture(files: Record<string, Buffer | string>): Promise<Fixture> {
  const base = await mkdtemp(join(tmpdir(), 'model-server-'));
  const root = join(base, 'root');
  await mkdir(root);
  await writeFile(join(base, 'secret.txt'), 'outside the root');
  const bytes: Record<string, Buffer> = {};
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), data);
    bytes[path] = data;
  }
  return { base, root, files: bytes, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/** Random bytes, so that a misplaced range cannot pass by accident. */
export function bytes(n: number): Buffer {
  return randomBytes(n);
}

/** Sends `path` exactly as written (no URL normalisation) and returns status and body. */
export function rawRequest(
  baseUrl: string,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: Buffer }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Compares bytes quickly (toEqual walks a Buffer element by element) with a useful message. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array | undefined): void {
  expect(actual.length).toBe(expected?.length);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.length);
  const firstDiff = a.findIndex((byte, i) => byte !== expected?.[i]);
  expect(Buffer.compare(a, expected ?? Buffer.alloc(0)), `first difference at ${firstDiff}`).toBe(
    0,
  );
}
