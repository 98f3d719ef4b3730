// The Models screen drives real downloads: progress with bytes, rate and time
// left, Pause keeps what was verified, Resume finishes it, Cancel leaves
// nothing installed. The model host is throttled so a person could click.

import { throttle } from '../../tools/serve/throttle';
import type { RequestLogEntry } from '../../tools/serve/types';
import { expect, test } from '../support/fixtures';
import { MODEL, smallChunks } from '../support/smallChunks';

// Bytes per second per response: with the engine's parallel connections the
// 1.1 MB demo model still takes several seconds, time enough to click.
const SLOW = 32 * 1024;
// The demo package is repacked with small chunks (tests/support/smallChunks.ts)
// so that "what was verified before the pause" is many chunks, not one 8 MiB
// chunk per file.
// The engine's default connection count (src/download/engineOptions.ts): at
// most this many chunks are in flight when Pause is pressed.
const CONNECTIONS = 4;

interface Chunk {
  path: string;
  index: number;
  offset: number;
  length: number;
}

/** The chunk a logged request asked for (its Range names the chunk's bytes exactly). */
function chunkOf(entry: RequestLogEntry, chunks: Map<string, Chunk>): Chunk | null {
  const m = /^bytes=(\d+)-(\d+)$/.exec(entry.range ?? '');
  const path = entry.path.slice(`/${MODEL}/`.length);
  const start = m ? Number(m[1]) : 0;
  const chunk = chunks.get(`${path}@${start}`);
  if (!chunk) return null;
  if (m) expect(Number(m[2]) - start + 1).toBe(chunk.length);
  return chunk;
}

const fetched = (entries: RequestLogEntry[], chunks: Map<string, Chunk>) =>
  entries
    .filter((e) => e.method === 'GET')
    .flatMap((e) => {
      const chunk = chunkOf(e, chunks);
      return chunk ? [{ chunk, complete: e.bytes === chunk.length, bytes: e.bytes }] : [];
    });

const key = (c: Chunk) => `${c.path}#${c.index}`;

smallChunks(
  'the Models screen shows progress, pauses, resumes and fetches only the chunks not yet verified',
  async ({ page, servers, pack: { manifest } }) => {
    expect(manifest.files.some((f) => f.chunks.length > 2 * CONNECTIONS)).toBe(true);
    const chunks = new Map<string, Chunk>();
    for (const file of manifest.files)
      file.chunks.forEach((c, index) => {
        chunks.set(`${file.path}@${c.offset}`, { path: file.path, index, ...c });
      });

    servers.models.setPlugins([throttle(SLOW)]);
    await page.goto(servers.app.url);
    const card = page.getByTestId('model-stories260k');
    await card.getByRole('button', { name: 'Download' }).click();

    await expect(card.getByTestId('download-progress')).toBeVisible();
    await expect(card.locator('.download-text')).toContainText(/of 1\.1 MB · .+\/s · .+ left/);
    // Pause only once more chunks were delivered than there are connections,
    // so that a full re-download could not pass the bound below.
    await expect
      .poll(() => fetched(servers.models.stats.log, chunks).filter((f) => f.complete).length, {
        timeout: 60_000,
      })
      .toBeGreaterThan(2 * CONNECTIONS);
    await card.getByRole('button', { name: 'Pause' }).click();
    await expect(card.getByTestId('download-paused')).toContainText(/Paused at .+ of 1\.1 MB/);
    await expect(card.getByTestId('installed')).toHaveCount(0);
    await servers.models.idle();

    // What the app verified before the pause: its journal (docs/downloads.md).
    const journaled = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('runanywhere');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const all = await new Promise<Array<{ path: string; done: number[] }>>((ok, fail) => {
        const r = db.transaction('journal').objectStore('journal').getAll();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      db.close();
      return all.flatMap((j) => j.done.map((index) => `${j.path}#${index}`));
    });
    const before = servers.models.stats.log.length;
    const sentBefore = fetched(servers.models.stats.log.slice(0, before), chunks);
    expect(journaled.length).toBeGreaterThan(CONNECTIONS);
    // Every journaled chunk was fully sent by the server, once.
    for (const k of journaled)
      expect(sentBefore.filter((f) => f.complete && key(f.chunk) === k)).toHaveLength(1);

    servers.models.setPlugins([]);
    await card.getByRole('button', { name: 'Resume' }).click();
    await expect(card.getByTestId('installed')).toBeVisible();
    await servers.models.idle();

    const after = fetched(servers.models.stats.log.slice(before), chunks).map((f) => key(f.chunk));
    // No chunk verified before the pause was fetched again.
    expect(after.filter((k) => journaled.includes(k))).toEqual([]);
    // Re-fetched: chunks requested before the pause and again after it. Only
    // those in flight when Pause was pressed, at most one per connection.
    const startedBefore = new Set(sentBefore.map((f) => key(f.chunk)));
    const refetched = after.filter((k) => startedBefore.has(k));
    expect(refetched.length).toBeLessThanOrEqual(CONNECTIONS);
    // And every chunk of the model was delivered in full by the end.
    const complete = new Set(
      fetched(servers.models.stats.log, chunks)
        .filter((f) => f.complete)
        .map((f) => key(f.chunk)),
    );
    expect(complete.size).toBe(chunks.size);
  },
);

test('Cancel stops the download and leaves nothing installed or stored', async ({
  page,
  servers,
}) => {
  servers.models.setPlugins([throttle(SLOW)]);
  await page.goto(servers.app.url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('download-progress')).toBeVisible();
  await card.getByRole('button', { name: 'Cancel' }).click();
  await expect(card.getByRole('button', { name: 'Download' })).toBeVisible();

  await page.reload();
  await expect(
    page.getByTestId('model-stories260k').getByRole('button', { name: 'Download' }),
  ).toBeVisible();
  // The reload may end the worker while it is still deleting the cancelled bytes
  // (the card shows Download at once); the next start's orphan sweep removes what
  // is left, so nothing stays for good.
  const storedModelFiles = () =>
    page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const names: string[] = [];
      const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
        for await (const [name, handle] of dir as unknown as AsyncIterable<
          [string, FileSystemHandle]
        >) {
          if (handle.kind === 'file') names.push(prefix + name);
          else await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
        }
      };
      try {
        await walk(root, '');
      } catch (error) {
        // The sweep removed a folder while the walk was in it: look again.
        if (error instanceof DOMException && error.name === 'NotFoundError') return null;
        throw error;
      }
      return names.filter((n) => n.startsWith('models/'));
    });
  await expect.poll(storedModelFiles, { timeout: 30_000 }).toEqual([]);
  await expect(page.getByTestId('installed')).toHaveCount(0);
});
