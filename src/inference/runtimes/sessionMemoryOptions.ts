// onnxruntime-web session options that decide how much memory a loaded model
// holds beyond its weights. What each option measured is in docs/benchmarks.md
// ("Memory of a load"); only what was measured to pay is set.

import type { InferenceSession } from 'onnxruntime-web/webgpu';

/**
 * q8 (DynamicQuantizeLinear + MatMulInteger, fp32 tied-embedding Gemm): without
 * prepacking, ORT keeps no packed copy of constant weights; measured ~90 MiB less
 * after load on the 220 MiB SmolLM2-shaped model and no decode slow-down. Other
 * dtypes keep ORT's default: q4's MatMulNBits and fp32 were not measured.
 */
export function sessionMemoryOptions(dtype: string | undefined): InferenceSession.SessionOptions {
  return dtype === 'q8' ? { extra: { session: { disable_prepacking: '1' } } } : {};
}
