// Object detection with a Hub model (transformers.js): pick or take a photo;
// each object found is a box drawn over the photo, with its label and score
// as text (labels come from the model's config: never rendered as HTML).

import { useEffect, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { boxPlacement } from '../../core/tasks/boxPlacement';
import type { Detection } from '../../inference/types';
import { fileRgba } from './imagePixels';
import { PHOTO_MAX_SIDE } from './PhotoLabelsTask';
import { PhotoPicker } from './PhotoPicker';
import { type PipelineModel, timedPipelineRun } from './pipelineModel';
import { RunResult } from './RunResult';

/** DETR's usual cut-off (transformers.js's default): fewer, surer boxes. */
export const DETECTION_THRESHOLD = 0.9;

export function DetectionTask({ model }: { model: PipelineModel }) {
  const [photo, setPhoto] = useState<string | null>(null);
  const [found, setFound] = useState<Detection[] | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => () => void (photo && URL.revokeObjectURL(photo)), [photo]);

  async function detect(file: File) {
    setPhoto(URL.createObjectURL(file));
    setFound(null);
    try {
      const image = await fileRgba(file, PHOTO_MAX_SIDE);
      const { output, ms: took } = await timedPipelineRun(model, {
        task: 'object-detection',
        image,
        threshold: DETECTION_THRESHOLD,
      });
      setFound(output.detections);
      setMs(took);
      setError(null);
    } catch (e) {
      setError(AppError.from(e, 'inference-failed'));
    }
  }

  return (
    <div class="task-body">
      <PhotoPicker onPick={(file) => void detect(file)} />
      {photo && (
        <div class="detection-frame" data-testid="detection-frame">
          <img class="task-photo" src={photo} alt="Where objects are looked for" />
          {found?.map((d, i) => {
            const place = boxPlacement(d.box);
            return (
              <div
                key={i}
                class="detection-box"
                data-testid="detection-box"
                data-label={d.label}
                style={{
                  left: `${place.left}%`,
                  top: `${place.top}%`,
                  width: `${place.width}%`,
                  height: `${place.height}%`,
                }}
              >
                <span class="detection-label">
                  {d.label} {(d.score * 100).toFixed(1)}%
                </span>
              </div>
            );
          })}
        </div>
      )}
      {found && (
        <ol class="scores" data-testid="detections">
          {found.length === 0 && (
            <li>Nothing found with {DETECTION_THRESHOLD * 100}% certainty.</li>
          )}
          {found.map((d, i) => (
            <li key={i} data-label={d.label} data-score={d.score} data-box={JSON.stringify(d.box)}>
              <span class="score-label">{d.label}</span>
              <meter min={0} max={1} value={d.score} />
              <span class="score-value">{(d.score * 100).toFixed(1)}%</span>
            </li>
          ))}
        </ol>
      )}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
