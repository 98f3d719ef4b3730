// A task screen: loads the open model in its worker (as the planner says),
// shows how it runs here and how long loading took, then the screen for its
// task: a packed ONNX/TFLite model (task.json) or a Hub model's transformers.js
// pipeline. Runs are timed by `timedRun`/`timedPipelineRun`, shown by each screen.

import { useEffect, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { pipelineTaskFor } from '../../core/tasks/pipelineTask';
import { taskScreenOf } from '../../core/tasks/taskScreen';
import type { NamedTensors } from '../../inference/types';
import { errorText } from '../errorText';
import { installed } from '../installedModels';
import { DetectionTask } from './DetectionTask';
import { DigitTask } from './DigitTask';
import { EmbeddingTask } from './EmbeddingTask';
import { ImageTask } from './ImageTask';
import { PhotoLabelsTask } from './PhotoLabelsTask';
import { loadPipelineModel, type PipelineModel } from './pipelineModel';
import { SentenceEmbeddingTask } from './SentenceEmbeddingTask';
import { loadTaskModel, type TaskModel } from './taskModel';
import { closeTask, openTask } from './taskRoute';
import './tasks.css';

/** Runs the model and measures the round trip to its worker, in milliseconds. */
export async function timedRun(
  model: TaskModel,
  inputs: NamedTensors,
): Promise<{ outputs: NamedTensors; ms: number }> {
  const started = performance.now();
  const outputs = await model.engine.run(inputs);
  return { outputs, ms: performance.now() - started };
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function TaskView() {
  const target = openTask.value;
  const record = installed.value.find((m) => m.id === target?.id && m.version === target?.version);
  const [model, setModel] = useState<TaskModel | PipelineModel | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (!record) return;
    let current = true;
    setModel(null);
    setError(null);
    const pipelineTask =
      taskScreenOf(record.manifest) === 'pipeline' ? pipelineTaskFor(record.manifest.task) : null;
    const loading: Promise<TaskModel | PipelineModel> = pipelineTask
      ? loadPipelineModel(record, pipelineTask)
      : loadTaskModel(record);
    loading.then(
      (loaded) => current && setModel(loaded),
      (e) => current && setError(AppError.from(e, 'model-load-failed')),
    );
    return () => {
      current = false;
    };
  }, [record?.key]);

  if (!record) {
    return (
      <section class="screen">
        <p class="note">This model is not installed.</p>
        <button type="button" onClick={closeTask}>
          Back to models
        </button>
      </section>
    );
  }
  const loaded = model?.loaded;
  const tensor = model && 'spec' in model ? model : null;
  const pipeline = model && 'task' in model ? model : null;
  return (
    <section class="screen task" aria-labelledby="task-title" data-task={record.manifest.task}>
      <div class="model-head">
        <h2 id="task-title">{record.manifest.name}</h2>
        <button type="button" onClick={closeTask}>
          Back to models
        </button>
      </div>
      {error ? (
        <p class="error" role="alert" data-testid="task-error" data-code={error.code}>
          {errorText(error)}
        </p>
      ) : loaded ? (
        <p class="note" data-testid="task-loaded">
          Loaded in {formatMs(loaded.loadMs)} · {loaded.runtime} on {loaded.backend.toUpperCase()}
          {'dtype' in loaded && <span> · {loaded.dtype}</span>}
          {'note' in loaded && loaded.note && <span> · {loaded.note}</span>}
        </p>
      ) : (
        <p class="note" data-testid="task-loading">
          Loading the model…
        </p>
      )}
      {tensor?.spec.task === 'digit-recognition' && <DigitTask model={tensor} spec={tensor.spec} />}
      {tensor?.spec.task === 'image-classification' && (
        <ImageTask model={tensor} spec={tensor.spec} />
      )}
      {tensor?.spec.task === 'text-embedding' && (
        <EmbeddingTask model={tensor} spec={tensor.spec} />
      )}
      {pipeline?.task === 'feature-extraction' && <SentenceEmbeddingTask model={pipeline} />}
      {pipeline?.task === 'image-classification' && <PhotoLabelsTask model={pipeline} />}
      {pipeline?.task === 'object-detection' && <DetectionTask model={pipeline} />}
    </section>
  );
}
