// Page side of downloads across tabs: exactly one tab owns the download worker
// at a time (a Web Lock held for the tab's life); the others send it commands
// and show the progress it broadcasts, and the next in line takes over — and
// resumes what was interrupted — when the owner closes. Also the first visit
// after a closed tab resumes interrupted downloads this way. Built by the
// composition root, with the download worker client it drives.

import { AppError, type AppErrorData } from '../core/errors';
import { listDownloadRecords, putDownloadRecord } from '../storage/downloadRecords';
import { type DownloadSettings, downloadSettingsFrom } from './downloadSettings';
import type { DownloadWorkerClient } from './downloadWorkerClient';
import type { DownloadProgress, DownloadResult } from './types';

export type DownloadEvent =
  | { type: 'started'; url: string }
  | { type: 'progress'; url: string; progress: DownloadProgress }
  | { type: 'finished'; url: string; result: DownloadResult }
  | { type: 'failed'; url: string; error: AppErrorData };

type Command = {
  type: 'command';
  action: 'start' | 'pause' | 'cancel';
  url: string;
  /** What the user set: all that crosses to other tabs. */
  settings?: DownloadSettings;
};
type Message = DownloadEvent | Command | { type: 'owner' };

const LOCK = 'runanywhere-downloads';

export class TabCoordinator {
  private ownerFlag = false;
  private readonly channel = new BroadcastChannel(LOCK);
  private readonly listeners = new Set<(event: DownloadEvent | { type: 'owner' }) => void>();
  private readonly waiters = new Map<
    string,
    Array<{ resolve(r: DownloadResult): void; reject(e: AppError): void }>
  >();
  private readonly running = new Set<string>();
  /**
   * Commands sent while no tab had announced itself owner (e.g. a click before
   * the lock was granted). A broadcast with nobody listening is lost, so they
   * are kept until some owner acts on their download, and replayed to a new owner.
   */
  private readonly pending = new Map<string, Command>();

  constructor(private readonly client: DownloadWorkerClient) {
    this.channel.onmessage = (e: MessageEvent<Message>) => this.receive(e.data);
  }

  /** Whether this tab runs the downloads. */
  get isOwner(): boolean {
    return this.ownerFlag;
  }

  /** Queues for ownership; when granted (now or when the owner closes), resumes interrupted downloads. */
  start(): void {
    if (!navigator.locks) {
      void this.becomeOwner(); // No Web Locks: every tab is on its own.
      return;
    }
    void navigator.locks.request(LOCK, async () => {
      await this.becomeOwner();
      return new Promise<never>(() => {}); // held until the tab goes away
    });
  }

  subscribe(listener: (event: DownloadEvent | { type: 'owner' }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts (or joins) a download wherever the owner is; settles when it ends in any tab. */
  async download(url: string, settings: DownloadSettings = {}): Promise<DownloadResult> {
    const done = new Promise<DownloadResult>((resolve, reject) => {
      const list = this.waiters.get(url) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(url, list);
    });
    // Recorded first, so a tab that becomes owner later still finds it.
    await putDownloadRecord({
      manifestUrl: url,
      id: null,
      version: null,
      backend: null,
      ...(await existingRecord(url)),
      state: 'active',
      error: null,
      options: downloadSettingsFrom(settings),
      updatedAt: Date.now(),
    });
    this.command({
      type: 'command',
      action: 'start',
      url,
      settings: downloadSettingsFrom(settings),
    });
    return done;
  }

  pause(url: string): void {
    this.command({ type: 'command', action: 'pause', url });
  }

  cancel(url: string): void {
    this.command({ type: 'command', action: 'cancel', url });
  }

  private command(command: Command): void {
    if (this.ownerFlag) {
      void this.execute(command);
      return;
    }
    this.pending.set(`${command.action} ${command.url}`, command);
    this.channel.postMessage(command);
  }

  private async becomeOwner(): Promise<void> {
    this.ownerFlag = true;
    this.channel.postMessage({ type: 'owner' });
    for (const l of this.listeners) l({ type: 'owner' });
    // Once per owner, before anything resumes: bytes no record owns are deleted.
    await this.client.sweepOrphans().catch(() => {});
    const records = await listDownloadRecords().catch(() => []);
    for (const r of records) {
      if (r.state === 'active') this.run(r.manifestUrl, downloadSettingsFrom(r.options));
    }
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const command of waiting) await this.execute(command);
  }

  private async execute(command: Command): Promise<void> {
    if (command.action === 'start') this.run(command.url, downloadSettingsFrom(command.settings));
    else if (command.action === 'pause')
      await this.client.pauseDownload(command.url).catch(() => {});
    else await this.client.cancelDownload(command.url).catch(() => {});
  }

  private run(url: string, settings: DownloadSettings): void {
    if (this.running.has(url)) return;
    this.running.add(url);
    this.publish({ type: 'started', url });
    this.client
      .startDownload(url, (progress) => this.publish({ type: 'progress', url, progress }), settings)
      .then(
        (result) => this.publish({ type: 'finished', url, result }),
        (error) =>
          this.publish({ type: 'failed', url, error: AppError.from(error, 'internal').toJSON() }),
      )
      .finally(() => this.running.delete(url));
  }

  private publish(event: DownloadEvent): void {
    this.channel.postMessage(event);
    this.receive(event);
  }

  private receive(message: Message): void {
    if (message.type === 'command') {
      if (this.ownerFlag) void this.execute(message);
      return;
    }
    if (message.type === 'owner') {
      // A new owner may have missed what this tab asked for: ask again.
      for (const command of this.pending.values()) this.channel.postMessage(command);
    } else {
      // The owner is acting on this download: what was asked for it has arrived.
      for (const [key, command] of this.pending) {
        if (command.url === message.url) this.pending.delete(key);
      }
    }
    for (const l of this.listeners) l(message);
    if (message.type === 'finished' || message.type === 'failed') {
      const list = this.waiters.get(message.url) ?? [];
      this.waiters.delete(message.url);
      for (const w of list) {
        if (message.type === 'finished') w.resolve(message.result);
        else w.reject(AppError.fromData(message.error));
      }
    }
  }
}

async function existingRecord(url: string) {
  const records = await listDownloadRecords().catch(() => []);
  const found = records.find((r) => r.manifestUrl === url);
  return found ? { id: found.id, version: found.version, backend: found.backend } : {};
}
