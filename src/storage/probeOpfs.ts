// The one OPFS capability test: opens the root, then a scratch file with a sync
// access handle (write, flush) or else a writable stream. The download worker
// picks its backend with it; the capability probe runs it in a tiny worker.

/** What this context can do with OPFS, tried for real. */
export interface OpfsCapabilities {
  /** `navigator.storage.getDirectory()` answered. */
  opfs: boolean;
  /** A sync access handle opened, wrote and flushed (dedicated workers only). */
  syncAccessHandle: boolean;
  /** A writable stream opened and closed; only tried without a sync access handle. */
  writable: boolean;
  /** The first thing that failed ('' when nothing did), for diagnostics. */
  error: string;
}

/**
 * Tries OPFS for real: a browser can list an API and still refuse it (OPFS in
 * private windows, WebKit automation). The capability probe sends this function
 * to its worker as source text, so it must stay self-contained: globals only.
 */
export async function probeOpfs(): Promise<OpfsCapabilities> {
  interface SyncHandle {
    write(data: Uint8Array, options: { at: number }): number;
    flush(): void;
    close(): void;
  }
  const answer = { opfs: false, syncAccessHandle: false, writable: false, error: '' };
  const fail = (error: unknown) => {
    answer.error ||= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  };
  let root: FileSystemDirectoryHandle;
  try {
    root = await navigator.storage.getDirectory();
  } catch (error) {
    fail(error);
    return answer;
  }
  answer.opfs = true;
  const name = `.runanywhere-probe-${Math.random().toString(36).slice(2)}`;
  try {
    const file = await root.getFileHandle(name, { create: true });
    const open = (file as unknown as { createSyncAccessHandle?: () => Promise<SyncHandle> })
      .createSyncAccessHandle;
    if (typeof open === 'function') {
      try {
        const handle = await open.call(file);
        try {
          handle.write(new Uint8Array([1]), { at: 0 });
          handle.flush();
        } finally {
          handle.close();
        }
        answer.syncAccessHandle = true;
      } catch (error) {
        fail(error);
      }
    } else fail(new Error('createSyncAccessHandle is missing'));
    if (!answer.syncAccessHandle && typeof file.createWritable === 'function') {
      const stream = await file.createWritable();
      await stream.close();
      answer.writable = true;
    }
  } catch (error) {
    fail(error);
  } finally {
    await root.removeEntry(name).catch(() => {});
  }
  return answer;
}
