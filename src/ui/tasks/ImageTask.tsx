// Image classification: pick or take a photo; it is cropped and scaled to the
// model's input, normalized (and quantized for int8 models) as its task.json
// says, and the five best ImageNet labels are shown with their scores.

import { useEffect, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { imageTensor } from '../../core/tasks/imageTensor';
import { dequantize, type Ranked, topK } from '../../core/tasks/scores';
import type { ImageSpec } from '../../core/tasks/taskSpec';
import { filePixels } from './imagePixels';
import { PhotoPicker } from './PhotoPicker';
import { RunResult } from './RunResult';
import { timedRun } from './TaskView';
import type { TaskModel } from './taskModel';

export function ImageTask({ model, spec }: { model: TaskModel; spec: ImageSpec }) {
  const [labels, setLabels] = useState<string[]>([]);
  const [photo, setPhoto] = useState<string | null>(null);
  const [top, setTop] = useState<Ranked[] | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    model.text(spec.labels).then(
      (text) => setLabels(JSON.parse(text) as string[]),
      (e) => setError(AppError.from(e, 'model-load-failed')),
    );
  }, [model]);
  useEffect(() => () => void (photo && URL.revokeObjectURL(photo)), [photo]);

  async function classify(file: File) {
    const input = model.loaded.inputs[0];
    if (!input) return;
    setPhoto(URL.createObjectURL(file));
    try {
      const data = imageTensor(await filePixels(file, spec.size), spec);
      const dims =
        spec.layout === 'NCHW' ? [1, 3, spec.size, spec.size] : [1, spec.size, spec.size, 3];
      const type = data instanceof Int8Array ? 'int8' : 'float32';
      const { outputs, ms: took } = await timedRun(model, { [input.name]: { type, dims, data } });
      const [output] = Object.values(outputs);
      if (!output) throw new AppError('inference-failed', { reason: 'the model gave no output' });
      setTop(topK(dequantize(output.data as Int8Array, spec.outputQuantization), 5));
      setMs(took);
      setError(null);
    } catch (e) {
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
            <li key={r.index} data-index={r.index}>
              <span class="score-label">{labels[r.index] ?? `class ${r.index}`}</span>
              <meter min={0} max={1} value={r.probability} />
              <span class="score-value">{(r.probability * 100).toFixed(1)}%</span>
            </li>
          ))}
        </ol>
      )}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
