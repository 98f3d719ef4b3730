// Which kind of task screen opens a model: a packed ONNX/TFLite model with its
// task.json, or a Hub (transformers.js) model through a pipeline; null: none
// (chat models are opened from the chat screen).

import { pipelineTaskFor } from './pipelineTask';
import { hasTaskScreen } from './taskSpec';

export type TaskScreenKind = 'tensor' | 'pipeline';

export function taskScreenOf(manifest: { framework: string; task: string }): TaskScreenKind | null {
  if (manifest.framework === 'transformers') {
    return pipelineTaskFor(manifest.task) ? 'pipeline' : null;
  }
  return hasTaskScreen(manifest.task) ? 'tensor' : null;
}
