// Image classification with a Hub model (transformers.js): pick or take a
// photo; the model's own processor resizes and normalizes it, and the five
// best labels from its config are shown with their scores.

import { useEffect, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import type { LabelScore } from '../../inference/types';
import { fileRgba } from './imagePixels';
import { PhotoPicker } from './PhotoPicker';
import { type PipelineModel, timedPipelineRun } from './pipelineModel';
import { RunResult } from './RunResult';

/** The processor resizes anyway; this only bounds what travels to the worker. */
export const PHOTO_MAX_SIDE = 1280;

export function PhotoLabelsTask({ model }: { model: PipelineModel }) {
  const [photo, setPhoto] = useState<string | null>(null);
  const [top, setTop] = useState<LabelScore[] | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => () => void (photo && URL.revokeObjectURL(photo)), [photo]);

  async function classify(file: File) {
    setPhoto(URL.createObjectURL(file));
    try {
      const image = await fileRgba(file, PHOTO_MAX_SIDE);
      const { output, ms: took } = await timedPipelineRun(model, {
        task: 'image-classification',
        image,
        topK: 5,
      });
      setTop(output.labels);
      setMs(took);
      setError(null);
    } catch (e) {
      setTop(null);
      setError(AppError.from(e, 'inference-failed'));
    }
  }

  return (
    <div class="task-body">
      <PhotoPicker onPick={(file) => void classify(file)} />
      {photo && <img class="task-photo" src={photo} alt="What is being classified" />}
      {top && (
        <ol class="scores" data-testid="image-top5">
          {top.map((r) => (
            <li key={r.label} data-label={r.label} data-score={r.score}>
              <span class="score-label">{r.label}</span>
              <meter min={0} max={1} value={r.score} />
              <span class="score-value">{(r.score * 100).toFixed(1)}%</span>
            </li>
          ))}
        </ol>
      )}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
