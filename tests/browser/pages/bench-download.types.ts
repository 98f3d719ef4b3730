// What the download benchmark's worker offers its page, kept apart from the
// worker so the page compiles without the worker-only engine code.
export interface RunResult {
  ms: number;
  bytes: number;
  /** Network reads (`reader.read()` results), where counted. */
  reads?: number;
}

/** A stripped-down downloader, to see what each stage of the engine costs. */
export interface PrototypeOptions {
  /** One GET streamed into the file, no ranges. */
  single: boolean;
  chunkSize: number;
  connections: number;
  /** Copy each chunk into a buffer and SHA-256 it with WebCrypto, as chunk verification needs. */
  hash: boolean;
  /** Flush the sync access handle after each chunk, as a journal needs before recording it. */
  flush: boolean;
  /** Write the bytes to the file (default true); false reads and drops them. */
  write?: boolean;
  /** Read with a BYOB reader into one reused buffer per connection. */
  byob?: boolean;
  /** With `byob`: bytes per hashed chunk (default 8 MiB). */
  hashSize?: number;
}

export interface BenchWorkerApi {
  ping(): boolean;
  /** Reads the whole body and drops it: the most a download can hope to reach. */
  fetchAndDiscard(url: string): Promise<RunResult>;
  prototype(url: string, size: number, options: PrototypeOptions): Promise<RunResult>;
  /** Deletes every model file from OPFS so runs do not fill the disk. */
  clearModels(): Promise<void>;
  usage(): Promise<StorageEstimate>;
}
