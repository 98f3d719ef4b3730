// External data for onnxruntime-web read straight from OPFS, tensor by tensor,
// so no JS copy of the weights exists while a session is built. onnxruntime
// keeps a mounted external-data file as a Uint8Array and copies each tensor's
// range out of it with `subarray` into wasm memory; this Uint8Array reads that
// range from a sync access handle instead of holding the file's bytes.

/** The part of a FileSystemSyncAccessHandle read here (a worker-only type). */
export interface SyncFileReader {
  read(buffer: Uint8Array, options: { at: number }): number;
  getSize(): number;
  close(): void;
}

/** A read-only view of a stored file that reads only the ranges asked for. */
export class FileBackedBytes extends Uint8Array {
  readonly #handle: SyncFileReader;
  readonly #size: number;
  #scratch = new ArrayBuffer(0);
  /** Bytes handed out so far: the runtime's own accounting of what it read from disk. */
  bytesRead = 0;

  constructor(handle: SyncFileReader, size: number) {
    super(0);
    this.#handle = handle;
    this.#size = size;
  }

  override get byteLength(): number {
    return this.#size;
  }

  override get length(): number {
    return this.#size;
  }

  /**
   * The bytes of [begin, end) read from the file, in one scratch buffer reused by
   * every call: onnxruntime copies them out before it asks for the next range, and a
   * fresh array per tensor would leave the whole file as garbage until the next GC.
   */
  override subarray(begin = 0, end = this.#size): Uint8Array<ArrayBuffer> {
    const from = Math.max(0, Math.min(begin, this.#size));
    const to = Math.max(from, Math.min(end, this.#size));
    if (this.#scratch.byteLength < to - from) this.#scratch = new ArrayBuffer(to - from);
    const out = new Uint8Array(this.#scratch, 0, to - from);
    let done = 0;
    // A sync read may return fewer bytes than asked; 0 means the file ended early.
    while (done < out.byteLength) {
      const n = this.#handle.read(out.subarray(done), { at: from + done });
      if (n <= 0) break;
      done += n;
    }
    // onnxruntime turns a throw here into a failed load; a short read must not pass as zeros.
    if (done !== out.byteLength) {
      throw new Error(`short read of external data: ${done} of ${out.byteLength} bytes at ${from}`);
    }
    this.bytesRead += done;
    return out;
  }
}
