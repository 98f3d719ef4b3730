// Loads an installed Hub model for its task screen: the planner picks the
// backend and dtype here, and the pipeline loads in the transformers.js
// worker; runs are timed as the round trip to that worker.

import { AppError } from '../../core/errors';
import type { PipelineTask } from '../../core/tasks/pipelineTask';
import { createPipelineEngine } from '../../inference/engines';
import type {
  LoadedPipeline,
  PipelineEngine,
  PipelineInput,
  PipelineOutput,
} from '../../inference/types';
import type { InstalledModel } from '../../storage/db';
import { planFor, runnablePlan } from '../modelPlan';

export interface PipelineModel {
  task: PipelineTask;
  engine: PipelineEngine;
  loaded: LoadedPipeline;
}

// One engine (one worker) for every task screen's pipeline, made on first use;
// loading another model in it replaces the previous one.
let engine: PipelineEngine | null = null;

export async function loadPipelineModel(
  model: InstalledModel,
  task: PipelineTask,
): Promise<PipelineModel> {
  const { id, version, manifest } = model;
  const plan = runnablePlan(manifest, await planFor(manifest));
  engine ??= createPipelineEngine();
  const loaded = await engine.load({ id, version, task, device: plan.backend, dtype: plan.dtype });
  return { task, engine, loaded };
}

/** Runs the pipeline and measures the round trip to its worker, in milliseconds. */
export async function timedPipelineRun<T extends PipelineInput>(
  model: PipelineModel,
  input: T,
): Promise<{ output: Extract<PipelineOutput, { task: T['task'] }>; ms: number }> {
  const started = performance.now();
  const output = await model.engine.run(input);
  if (output.task !== input.task) {
    throw new AppError('inference-failed', { reason: `the worker answered ${output.task}` });
  }
  return {
    output: output as Extract<PipelineOutput, { task: T['task'] }>,
    ms: performance.now() - started,
  };
}
