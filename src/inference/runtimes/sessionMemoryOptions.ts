// onnxruntime-web session options that decide how much memory a loaded model
// holds beyond its weights; both runtimes build sessions with them. What each
// option measured is in docs/benchmarks.md ("Memory of a load").

import type { InferenceSession } from 'onnxruntime-web/webgpu';

export const SESSION_MEMORY_OPTIONS: InferenceSession.SessionOptions = {};
