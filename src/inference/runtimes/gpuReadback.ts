// Copies a GPU buffer's bytes to the CPU without touching the buffer's owner.
// onnxruntime's `Tensor.getData()` downloads a GPU tensor but turns it into a
// CPU tensor on the way; a kept output must stay on the GPU after it is read,
// so its buffer is copied into a staging buffer and mapped instead.

/** The few WebGPU calls used here (the worker build carries no WebGPU typings). */
interface GpuBufferLike {
  readonly size: number;
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}
interface GpuDeviceLike {
  createBuffer(descriptor: { size: number; usage: number }): GpuBufferLike;
  createCommandEncoder(): {
    copyBufferToBuffer(
      source: GpuBufferLike,
      sourceOffset: number,
      target: GpuBufferLike,
      targetOffset: number,
      size: number,
    ): void;
    finish(): unknown;
  };
  readonly queue: { submit(commands: unknown[]): void };
}

// Values fixed by the WebGPU specification.
const BUFFER_MAP_READ = 0x0001;
const BUFFER_COPY_DST = 0x0008;
const MAP_MODE_READ = 0x0001;

/** The first `byteLength` bytes of `source`, as a fresh ArrayBuffer. */
export async function readGpuBuffer(
  device: unknown,
  source: unknown,
  byteLength: number,
): Promise<ArrayBuffer> {
  const gpu = device as GpuDeviceLike;
  const from = source as GpuBufferLike;
  // Copies move whole 4-byte words; the source is allocated at least that large.
  const size = Math.min(from.size, Math.ceil(byteLength / 4) * 4);
  const staging = gpu.createBuffer({ size, usage: BUFFER_MAP_READ | BUFFER_COPY_DST });
  try {
    const encoder = gpu.createCommandEncoder();
    encoder.copyBufferToBuffer(from, 0, staging, 0, size);
    gpu.queue.submit([encoder.finish()]);
    await staging.mapAsync(MAP_MODE_READ);
    const bytes = staging.getMappedRange().slice(0, byteLength);
    staging.unmap();
    return bytes;
  } finally {
    staging.destroy();
  }
}
