// Loads an installed model for its task screen: reads its task.json (and the
// labels or vocabulary it names) from storage, asks the planner how to run it
// here, and loads it in the engine (the worker) for its framework.

import { AppError } from '../../core/errors';
import { parseTaskSpec, TASK_SPEC_FILE, type TaskSpec } from '../../core/tasks/taskSpec';
import { createTensorEngine, type TensorFramework } from '../../inference/engines';
import type { LoadedModel, TensorEngine } from '../../inference/types';
import type { InstalledModel } from '../../storage/db';
import { readModelFile } from '../../storage/modelFiles';
import { planFor, runnablePlan } from '../modelPlan';

export interface TaskModel {
  spec: TaskSpec;
  engine: TensorEngine;
  loaded: LoadedModel;
  /** A text file of the package the spec names (labels, vocabulary). */
  text(path: string): Promise<string>;
}

// One engine (one worker) per framework, made on first use; loading another
// model in it replaces the previous one.
const engines = new Map<TensorFramework, TensorEngine>();

function engineFor(framework: string): TensorEngine {
  if (framework !== 'onnx' && framework !== 'tflite') {
    throw new AppError('unsupported-device', {
      reason: `no task screen runs ${framework} models`,
    });
  }
  let engine = engines.get(framework);
  if (!engine) {
    engine = createTensorEngine(framework);
    engines.set(framework, engine);
  }
  return engine;
}

export async function loadTaskModel(model: InstalledModel): Promise<TaskModel> {
  const { id, version, manifest } = model;
  const text = async (path: string) => (await readModelFile(id, version, path)).text();
  let spec: TaskSpec;
  try {
    spec = parseTaskSpec(JSON.parse(await text(TASK_SPEC_FILE)));
  } catch (error) {
    if (AppError.is(error)) throw error;
    throw new AppError('invalid-manifest', { file: TASK_SPEC_FILE, reason: String(error) });
  }
  const plan = runnablePlan(manifest, await planFor(manifest));
  const engine = engineFor(manifest.framework);
  const loaded = await engine.load({
    id,
    version,
    device: plan.backend,
    file: spec.model,
    threads: plan.threads,
  });
  return { spec, engine, loaded, text };
}
