// Test-only entry of the download worker: the app's WorkerApi, plus the
// engine knobs (backend, chunk size, retries, stall timeouts…) that the
// production API does not offer. Only test and benchmark pages start it.
import { exposeWorker } from '../../../src/bridge/exposeWorker';
import type { EngineOptions } from '../../../src/download/engineOptions';
import { WorkerApi } from '../../../src/download/workerApi';
import type { TestingDownloadApi } from './testingDownloadClient';

const knobs: { options: EngineOptions } = { options: {} };
const service = new WorkerApi(() => knobs.options);
const api: TestingDownloadApi = Object.assign(service, {
  setEngineOptions(options: EngineOptions) {
    knobs.options = options;
  },
});
exposeWorker(api);
