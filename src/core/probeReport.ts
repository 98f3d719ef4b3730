// The capability probe's report: plain, serialisable facts about this browser
// and device. `src/probe/` fills it in; the planner reads it; tests record it.

export const PROBE_REPORT_SCHEMA = 1;

export type OsName =
  | 'ios'
  | 'ipados'
  | 'macos'
  | 'windows'
  | 'android'
  | 'chromeos'
  | 'linux'
  | 'unknown';
export type BrowserName =
  | 'safari'
  | 'chrome'
  | 'chromium'
  | 'edge'
  | 'firefox'
  | 'samsung'
  | 'opera'
  | 'unknown';
export type EngineName = 'webkit' | 'blink' | 'gecko' | 'unknown';

export interface PlatformReport {
  os: OsName;
  /** As the browser reports it; Safari freezes it (macOS 10.15.7, iOS 18.x), so treat it as a hint. */
  osVersion: string | null;
  browser: BrowserName;
  browserVersion: string | null;
  /** Every browser on iOS and iPadOS is WebKit, whatever its name. */
  engine: EngineName;
  mobile: boolean;
  userAgent: string;
  maxTouchPoints: number;
}

export interface GpuAdapterReport {
  vendor: string;
  architecture: string;
  description: string;
  /** A software adapter (SwiftShader, WARP): works, but computes on the CPU. */
  isFallbackAdapter: boolean;
  features: string[];
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
  };
}

export interface WebGpuReport {
  /** `navigator.gpu` exists. */
  api: boolean;
  /** The adapter `requestAdapter()` gave, or null when it gave none. */
  adapter: GpuAdapterReport | null;
}

export interface WasmReport {
  /** Each flag: a tiny module using the feature validates (JSPI: its JS API exists). */
  supported: boolean;
  simd: boolean;
  relaxedSimd: boolean;
  /** The engine validates shared memory and atomics; running threads also needs isolation. */
  threads: boolean;
  /** A shared `WebAssembly.Memory` can be created here (needs SharedArrayBuffer). */
  sharedMemory: boolean;
  memory64: boolean;
  jspi: boolean;
}

export interface IsolationReport {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
}

export interface DeviceReport {
  /** `navigator.hardwareConcurrency`; null when the browser hides it. */
  cores: number | null;
  /** `navigator.deviceMemory` in GB (Chromium only; rounded, reports at most 8). */
  deviceMemoryGB: number | null;
  /** `performance.memory.jsHeapSizeLimit` (Chromium only): the JS heap, not ArrayBuffers. */
  jsHeapSizeLimit: number | null;
}

export interface StorageReport {
  quotaBytes: number | null;
  usageBytes: number | null;
  persisted: boolean | null;
  /** `navigator.storage.getDirectory()` works in the page. */
  opfs: boolean;
  /** It works in a dedicated worker too. */
  workerOpfs: boolean;
  /** A sync access handle was created and written in a dedicated worker. */
  syncAccessHandle: boolean;
}

export interface WebnnReport {
  /** `navigator.ml` exists. */
  api: boolean;
  /** `navigator.ml.createContext()` succeeded. */
  context: boolean;
}

export type PromptAvailability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

export interface PromptApiReport {
  /** The `LanguageModel` global exists. */
  api: boolean;
  /** What `LanguageModel.availability()` answered; null when it could not be asked. */
  availability: PromptAvailability | null;
}

/** A probe step that timed out or threw: its facts are reported as absent. */
export interface ProbeIssue {
  step: string;
  message: string;
}

export interface ProbeReport {
  schema: typeof PROBE_REPORT_SCHEMA;
  /** ISO 8601 time the probe ran. */
  probedAt: string;
  durationMs: number;
  platform: PlatformReport;
  webgpu: WebGpuReport;
  wasm: WasmReport;
  isolation: IsolationReport;
  device: DeviceReport;
  storage: StorageReport;
  webnn: WebnnReport;
  promptApi: PromptApiReport;
  issues: ProbeIssue[];
}
