// The object the download worker exposes to the page: start a download (one
// per model at a time), cancel it. Progress flows back through a callback.

import { AppError } from '../core/errors';
import { manifestSize } from '../core/manifest';
import { downloadModel } from './downloadModel';
import type { DownloadApi, DownloadProgress, DownloadResult } from './types';

export class DownloadService implements DownloadApi {
  private readonly running = new Map<string, AbortController>();

  async download(
    manifestUrl: string,
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<DownloadResult> {
    if (this.running.has(manifestUrl)) {
      throw new AppError('cancelled', { manifestUrl, reason: 'already downloading' });
    }
    const controller = new AbortController();
    this.running.set(manifestUrl, controller);
    try {
      const manifest = await downloadModel(manifestUrl, { signal: controller.signal, onProgress });
      return { id: manifest.id, version: manifest.version, bytes: manifestSize(manifest) };
    } finally {
      this.running.delete(manifestUrl);
    }
  }

  cancel(manifestUrl: string): void {
    this.running.get(manifestUrl)?.abort();
  }
}
