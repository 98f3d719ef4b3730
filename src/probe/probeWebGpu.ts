// WebGPU facts: whether the API exists, and the adapter's identity, features
// and buffer limits. The adapter is only asked about, never used.

import type { GpuAdapterReport, WebGpuReport } from '../core/probeReport';

// The slice of the WebGPU API read here (typed locally: the DOM lib has no WebGPU types).
interface GpuAdapterLike {
  features: Iterable<string>;
  limits: Record<string, number | undefined>;
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

export function hasWebGpuApi(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean(navigator.gpu);
}

export async function probeWebGpu(): Promise<WebGpuReport> {
  if (!hasWebGpuApi()) return { api: false, adapter: null };
  const gpu = (navigator as unknown as { gpu: GpuLike }).gpu;
  // Default options: the runtimes ask the same way, so they get this adapter.
  const adapter = await gpu.requestAdapter();
  return { api: true, adapter: adapter ? describeAdapter(adapter) : null };
}

function describeAdapter(adapter: GpuAdapterLike): GpuAdapterReport {
  const info = adapter.info ?? {};
  const text = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : '');
  // `isFallbackAdapter` moved from the adapter to `adapter.info` (Chrome 13x); read both.
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
  return {
    vendor: text('vendor'),
    architecture: text('architecture'),
    description: text('description'),
    isFallbackAdapter: fallback === true,
    features: [...adapter.features].sort(),
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize ?? 0,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize ?? 0,
    },
  };
}
