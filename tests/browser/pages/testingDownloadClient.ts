// The app's download client on the test-only worker entry, which also takes
// the engine's knobs: test and benchmark pages set them before each download.

import type { DownloadSettings } from '../../../src/download/downloadSettings';
import { DownloadWorkerClient } from '../../../src/download/downloadWorkerClient';
import type { EngineOptions } from '../../../src/download/engineOptions';
import type { DownloadApi } from '../../../src/download/types';

export interface TestingDownloadApi extends DownloadApi {
  /** The knobs every later download of this worker runs with (under the user's settings). */
  setEngineOptions(options: EngineOptions): void;
}

function createTestingDownloadWorker(name: string): Worker {
  return new Worker(new URL('./download-testing.worker.ts', import.meta.url), {
    type: 'module',
    name,
  });
}

export class TestingDownloadClient extends DownloadWorkerClient<TestingDownloadApi> {
  constructor() {
    super({ create: createTestingDownloadWorker });
  }

  setEngineOptions(options: EngineOptions): Promise<void> {
    return this.bridge.call((api) => api.setEngineOptions(options));
  }
}

/** The part of `options` a user could set. */
export function settingsOf(options: EngineOptions): DownloadSettings {
  return options.connections === undefined ? {} : { connections: options.connections };
}
