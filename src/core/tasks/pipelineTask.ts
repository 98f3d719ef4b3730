// Which transformers.js pipeline, if any, runs a Hub model's task screen. A Hub
// install's manifest task is the repo's `pipeline_tag` at the pinned commit.

export const PIPELINE_TASKS = [
  'feature-extraction',
  'image-classification',
  'object-detection',
] as const;

export type PipelineTask = (typeof PIPELINE_TASKS)[number];

/** Hub tags that mean the same screen (sentence-transformers repos say `sentence-similarity`). */
const ALIASES: Readonly<Record<string, PipelineTask>> = {
  'sentence-similarity': 'feature-extraction',
};

/** The pipeline for a manifest task, or null when no screen runs it (chat models included). */
export function pipelineTaskFor(task: string): PipelineTask | null {
  if ((PIPELINE_TASKS as readonly string[]).includes(task)) return task as PipelineTask;
  // Own keys only: a tag such as `toString` must not find Object's prototype.
  return Object.hasOwn(ALIASES, task) ? (ALIASES[task] ?? null) : null;
}
