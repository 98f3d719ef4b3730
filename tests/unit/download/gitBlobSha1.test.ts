// The git blob id (SHA-1 of `blob <size>\0<bytes>`) the engine checks a small
// Hub file against, on values `git hash-object` gives, read in one or many pieces.

import { describe, expect, it } from 'vitest';
import { gitBlobHeader, gitBlobSha1 } from '../../../src/download/gitBlobSha1';
import { gitBlobSha1 as serverBlobId } from '../../../tools/hub/hubRepos';

const reader = (bytes: Uint8Array) => async (offset: number, length: number) =>
  bytes.subarray(offset, offset + length);

describe('gitBlobSha1', () => {
  it.each([
    ['empty', new Uint8Array(0), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'],
    ['hello\\n', new TextEncoder().encode('hello\n'), 'ce013625030ba8dba906f756967f9e9ca394464a'],
    // Over the 4 MiB read piece: three reads (id from `git hash-object`).
    ['10 MB of zeros', new Uint8Array(10_000_000), '5630165e4a6c588e6657164f014b0afc169f29e4'],
  ])('%s gives the id git gives', async (_name, bytes, expected) => {
    const id = await gitBlobSha1(bytes.byteLength, reader(bytes));
    expect(id).toBe(expected);
    // The test Hub lists the same id for the same bytes.
    expect(serverBlobId(bytes)).toBe(id);
  });

  it('is not the SHA-1 of the bytes alone', async () => {
    const bytes = new TextEncoder().encode('hello\n');
    expect(await gitBlobSha1(bytes.byteLength, reader(bytes))).not.toBe(
      'f572d396fae9206628714fb2ce00f72e94f2258f', // sha1("hello\n")
    );
  });

  it('a file that cannot be read back has no id', async () => {
    expect(await gitBlobSha1(10, async () => null)).toBeNull();
  });

  it('header is `blob <size>` and a NUL', () => {
    expect(new TextDecoder().decode(gitBlobHeader(1234))).toBe('blob 1234\0');
  });
});
