// Worker of its own for whole-file SHA-256, started by the download worker.
// Exposed at once (messages sent before it would be lost), with the life
// signal every bridged worker sends; the hasher (a wasm module) is ready a
// moment later and every call waits for it.
import { exposeWorker } from '../src/bridge/exposeWorker';
import { type HashWorkerApi, inlineHash } from '../src/download/incrementalHash';

const ready = inlineHash();
const api: HashWorkerApi = {
  ping: async () => (await ready).ping(),
  update: async (bytes) => (await ready).update(bytes),
  digest: async () => (await ready).digest(),
};
exposeWorker(api);
