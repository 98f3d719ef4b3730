// Dedicated worker that owns model downloads (OPFS sync access handles exist
// only here); it tells the page it is alive the way every bridged worker does.
import { exposeWorker } from '../src/bridge/exposeWorker';
import { WorkerApi } from '../src/download/workerApi';

exposeWorker(new WorkerApi());
