// Test page for stored models: install through the real download worker, then
// damage the stored bytes behind the app's back (OPFS or IndexedDB, from the
// page), load, verify, repair, plant orphans and sweep them.

import { AppError } from '../../../src/core/errors';
import type { EngineOptions } from '../../../src/download/engineOptions';
import { TabCoordinator } from '../../../src/download/tabCoordinator';
import { getInstalledModel, installKey, openAppDb } from '../../../src/storage/db';
import { deleteDownloadRecord, listDownloadRecords } from '../../../src/storage/downloadRecords';
import { listJournals } from '../../../src/storage/journalStore';
import { checkInstalledModel } from '../../../src/storage/modelDamage';
import { readModelFile } from '../../../src/storage/modelFiles';
import { settingsOf, TestingDownloadClient } from './testingDownloadClient';

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; code: string; details: Record<string, unknown> };

function settle<T>(promise: Promise<T>): Promise<Result<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      const e = AppError.from(error, 'network');
      return { ok: false as const, code: e.code, details: e.details };
    },
  );
}

async function sha256(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function modelsDir(create = false): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create });
}

/** The folder holding `path` (under models/) and the file's name. */
async function locate(path: string, create = false) {
  const parts = path.split('/');
  const name = parts.pop() as string;
  let dir = await modelsDir(create);
  for (const part of parts) dir = await dir.getDirectoryHandle(part, { create });
  return { dir, name };
}

async function edit(path: string, change: (w: FileSystemWritableFileStream) => Promise<void>) {
  const { dir, name } = await locate(path);
  const writable = await (await dir.getFileHandle(name)).createWritable({ keepExistingData: true });
  await change(writable);
  await writable.close();
}

const downloads = new TestingDownloadClient();
const runs = new Map<string, Promise<Result<unknown>>>();
let coordinator: TabCoordinator | null = null;

/** A download with the engine's knobs set first (the test-only worker takes them). */
function startDownload(url: string, options: EngineOptions): Promise<unknown> {
  return downloads
    .setEngineOptions(options)
    .then(() => downloads.startDownload(url, () => {}, settingsOf(options)));
}

const harness = {
  install: (url: string, options: EngineOptions = {}) => settle(startDownload(url, options)),
  start(url: string, options: EngineOptions = {}): void {
    runs.set(url, settle(startDownload(url, options)));
  },
  wait: (url: string) => runs.get(url) ?? Promise.reject(new Error(`no download of ${url}`)),
  pause: (url: string) => downloads.pauseDownload(url),
  /** Reads every file through the one read API, as a runtime's load does; the first error, if any. */
  async load(id: string, version: string, paths: string[]): Promise<Result<number>> {
    let bytes = 0;
    for (const path of paths) {
      const read = await settle(readModelFile(id, version, path));
      if (!read.ok) return read;
      bytes += read.value.size;
    }
    return { ok: true, value: bytes };
  },
  /** The check a runtime makes before loading: installed, not marked damaged, every size right. */
  checkModel: async (id: string, version: string) =>
    settle(checkInstalledModel(id, version).then((m) => m.key)),
  verify: (id: string, version: string) => settle(downloads.verifyModel(id, version)),
  prepareRepair: (id: string, version: string, options: EngineOptions = {}) =>
    settle(
      downloads
        .setEngineOptions(options)
        .then(() => downloads.prepareRepair(id, version, settingsOf(options))),
    ),
  download: (url: string, options: EngineOptions = {}) => settle(startDownload(url, options)),
  repair: (id: string, version: string, options: EngineOptions = {}) =>
    settle(
      downloads
        .setEngineOptions(options)
        .then(() => downloads.repairModel(id, version, () => {}, settingsOf(options))),
    ),
  installRecord: async (id: string, version: string) =>
    (await getInstalledModel(id, version)) ?? null,
  journals: (modelKey: string) => listJournals(modelKey),
  downloadRecords: () => listDownloadRecords(),
  /** Leaves journals and bytes without their record, as a Cancel cut short by a reload does. */
  dropDownloadRecord: (url: string) => deleteDownloadRecord(url),
  async storedHashes(
    id: string,
    version: string,
    paths: string[],
  ): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const path of paths) {
      const read = await settle(readModelFile(id, version, path));
      out[path] = read.ok ? await sha256(read.value) : `unreadable: ${read.code}`;
    }
    return out;
  },
  /** OPFS damage, behind the app's back. Paths are under models/. */
  flipByte: (path: string, offset: number) =>
    edit(path, async (w) => {
      const { dir, name } = await locate(path);
      const file = await (await dir.getFileHandle(name)).getFile();
      const byte = new Uint8Array(await file.slice(offset, offset + 1).arrayBuffer())[0] ?? 0;
      await w.write({ type: 'write', position: offset, data: new Uint8Array([byte ^ 0xff]) });
    }),
  truncate: (path: string, size: number) => edit(path, (w) => w.truncate(size)),
  async deleteFile(path: string): Promise<void> {
    const { dir, name } = await locate(path);
    await dir.removeEntry(name);
  },
  /** IndexedDB damage: flips one byte of the chunk record at `offset` of file key `file`. */
  async flipIdbByte(file: string, offset: number, at: number): Promise<void> {
    const db = await openAppDb();
    const record = await db.get('chunks', [file, offset]);
    if (!record) throw new Error(`no chunk record ${file}@${offset}`);
    const bytes = new Uint8Array(record.bytes.slice(0));
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await db.put('chunks', { ...record, bytes: bytes.buffer });
  },
  /** Orphans: a file at `path` (under models/) with `size` bytes, folders created as needed. */
  async plant(path: string, size: number): Promise<void> {
    const { dir, name } = await locate(path, true);
    const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await writable.write(new Uint8Array(size));
    await writable.close();
  },
  async plantChunk(file: string, size: number): Promise<void> {
    await (await openAppDb()).put('chunks', { file, offset: 0, bytes: new ArrayBuffer(size) });
  },
  /** Every entry under OPFS models/ (folders end with '/'), sorted. */
  async tree(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
      for await (const entry of (
        dir as unknown as { values(): AsyncIterable<FileSystemHandle> }
      ).values()) {
        const path = `${prefix}${entry.name}`;
        out.push(entry.kind === 'directory' ? `${path}/` : path);
        if (entry.kind === 'directory') await walk(entry as FileSystemDirectoryHandle, `${path}/`);
      }
    };
    try {
      await walk(await modelsDir(), '');
    } catch {
      return [];
    }
    return out.sort();
  },
  chunkFiles: async () => {
    const keys = await (await openAppDb()).getAllKeys('chunks');
    return [...new Set(keys.map(([file]) => file))].sort();
  },
  sweep: () => downloads.sweepOrphans(),
  /** Starts this tab's bid for the downloads owner, as the app does at start-up. */
  coordinate(): void {
    coordinator = new TabCoordinator(downloads);
    coordinator.start();
  },
  isOwner: () => coordinator?.isOwner ?? false,
  modelKey: (id: string, version: string) => installKey(id, version),
};

export type StorageHarness = typeof harness;
Object.assign(window, { harness });
