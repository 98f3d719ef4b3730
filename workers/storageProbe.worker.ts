// Dedicated worker of the capability probe: tries OPFS where sync access handles exist.
import { probeOpfs } from '../src/storage/probeOpfs';

self.onmessage = async () => postMessage(await probeOpfs());
