// Dedicated worker that owns model downloads (OPFS sync access handles exist only here).
import { expose } from 'comlink';
import '../src/bridge/transferErrors';
import { DownloadService } from '../src/download/downloadService';

expose(new DownloadService());
