// What OPFS offers in this context, tried for real: a browser can list an API
// and still refuse it (private windows, WebKit automation profiles). The one
// OPFS probe, for the capability report and for choosing the download store.

export interface OpfsSupport {
  /** `navigator.storage.getDirectory()` opened the root. */
  opfs: boolean;
  /** A sync access handle opened, wrote and flushed (dedicated workers only). */
  syncAccessHandle: boolean;
  /** `createWritable()` opened a stream and closed it. */
  writable: boolean;
  /** Why OPFS or its sync access handle was refused ('' when neither was). */
  error: string;
}

interface SyncCapableHandle {
  createSyncAccessHandle?: () => Promise<{
    write(data: Uint8Array, options: { at: number }): number;
    flush(): void;
    close(): void;
  }>;
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export async function probeOpfs(): Promise<OpfsSupport> {
  const support: OpfsSupport = { opfs: false, syncAccessHandle: false, writable: false, error: '' };
  let root: FileSystemDirectoryHandle;
  try {
    root = await navigator.storage.getDirectory();
    support.opfs = true;
  } catch (error) {
    support.error = describe(error);
    return support;
  }
  const name = `.runanywhere-probe-${Math.random().toString(36).slice(2)}`;
  try {
    const file = await root.getFileHandle(name, { create: true });
    try {
      // Typed in the WebWorker lib only; this module is also compiled for the page.
      const open = (file as SyncCapableHandle).createSyncAccessHandle;
      if (typeof open !== 'function') throw new Error('createSyncAccessHandle is missing');
      const handle = await open.call(file);
      try {
        handle.write(new Uint8Array([1]), { at: 0 });
        handle.flush();
      } finally {
        handle.close();
      }
      support.syncAccessHandle = true;
    } catch (error) {
      support.error = describe(error);
    }
    // Without it (older Safari) `writable: false` says all there is to say.
    if (typeof file.createWritable === 'function') {
      await (await file.createWritable()).close();
      support.writable = true;
    }
  } catch (error) {
    support.error ||= describe(error);
  } finally {
    await root.removeEntry(name).catch(() => {});
  }
  return support;
}
