// Digit recognition: draw a digit on a pad (mouse, pen or touch: pointer
// events) or pick an image; it is brought to MNIST's 28×28 greyscale input
// (raw 0..255, bright ink on black) and the model's ten scores are shown.

import { useRef, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { digitTensor, fitInk } from '../../core/tasks/digitTensor';
import { type Ranked, topK } from '../../core/tasks/scores';
import type { DigitSpec } from '../../core/tasks/taskSpec';
import { filePixels } from './imagePixels';
import { RunResult } from './RunResult';
import { timedRun } from './TaskView';
import type { TaskModel } from './taskModel';

const PAD = 280;
const STROKE = 22;

/** The pad's drawing as the model's input pixels (null when nothing is drawn). */
function padPixels(pad: HTMLCanvasElement, size: number): Uint8ClampedArray | null {
  const context = pad.getContext('2d');
  if (!context) return null;
  const rgba = context.getImageData(0, 0, pad.width, pad.height).data;
  const ink = new Uint8Array(pad.width * pad.height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4] as number;
  const fit = fitInk(ink, pad.width, pad.height, size, Math.round((size * 20) / 28));
  if (!fit) return null;
  const small = new OffscreenCanvas(size, size);
  const out = small.getContext('2d');
  if (!out) return null;
  out.fillStyle = '#000';
  out.fillRect(0, 0, size, size);
  out.imageSmoothingQuality = 'high';
  out.drawImage(pad, fit.sx, fit.sy, fit.sw, fit.sh, fit.dx, fit.dy, fit.dw, fit.dh);
  return out.getImageData(0, 0, size, size).data;
}

function clearPad(pad: HTMLCanvasElement) {
  const context = pad.getContext('2d');
  if (!context) return;
  context.fillStyle = '#000';
  context.fillRect(0, 0, pad.width, pad.height);
}

export function DigitTask({ model, spec }: { model: TaskModel; spec: DigitSpec }) {
  const pad = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const [scores, setScores] = useState<Ranked[] | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  async function recognize(pixels: Uint8ClampedArray) {
    const input = model.loaded.inputs[0];
    if (!input) return;
    try {
      const data = digitTensor(pixels, spec.size);
      const { outputs, ms: took } = await timedRun(model, {
        [input.name]: { type: 'float32', dims: [1, 1, spec.size, spec.size], data },
      });
      const [output] = Object.values(outputs);
      if (!output) throw new AppError('inference-failed', { reason: 'the model gave no output' });
      setScores(topK(output.data as Float32Array, 10));
      setMs(took);
      setError(null);
    } catch (e) {
      setError(AppError.from(e, 'inference-failed'));
    }
  }

  const point = (event: PointerEvent) => {
    const canvas = event.currentTarget as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / box.width,
      y: ((event.clientY - box.top) * canvas.height) / box.height,
    };
  };

  const draw = (to: { x: number; y: number }) => {
    const context = pad.current?.getContext('2d');
    if (!context) return;
    const from = last.current ?? to;
    context.strokeStyle = '#fff';
    context.lineWidth = STROKE;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    last.current = to;
  };

  return (
    <div class="task-body">
      <p class="note">Draw a digit (0–9) in the box, or pick an image of one.</p>
      <canvas
        ref={(canvas) => {
          // First mount: a black pad (MNIST digits are bright ink on black).
          if (canvas && pad.current !== canvas) clearPad(canvas);
          pad.current = canvas;
        }}
        class="digit-pad"
        width={PAD}
        height={PAD}
        aria-label="Drawing pad"
        data-testid="digit-pad"
        onPointerDown={(event) => {
          (event.currentTarget as HTMLCanvasElement).setPointerCapture(event.pointerId);
          last.current = null;
          draw(point(event));
        }}
        onPointerMove={(event) => {
          if (last.current) draw(point(event));
        }}
        onPointerUp={() => {
          last.current = null;
          const pixels = pad.current && padPixels(pad.current, spec.size);
          if (pixels) void recognize(pixels);
        }}
      />
      <div class="task-actions">
        <button
          type="button"
          onClick={() => {
            if (pad.current) clearPad(pad.current);
            setScores(null);
            setMs(null);
          }}
        >
          Clear
        </button>
        <label class="file-pick">
          Pick an image…
          <input
            type="file"
            accept="image/*"
            data-testid="digit-file"
            onChange={async (event) => {
              const file = (event.currentTarget as HTMLInputElement).files?.[0];
              if (!file) return;
              try {
                await recognize(await filePixels(file, spec.size));
              } catch (e) {
                setError(AppError.from(e, 'inference-failed'));
              }
            }}
          />
        </label>
      </div>
      {scores && (
        <div class="digit-result">
          <p>
            Digit:{' '}
            <strong class="digit" data-testid="digit-result">
              {scores[0]?.index}
            </strong>
          </p>
          <ol class="scores" data-testid="digit-scores">
            {scores.map((s) => (
              <li key={s.index} data-index={s.index}>
                <span class="score-label">{s.index}</span>
                <meter min={0} max={1} value={s.probability} />
                <span class="score-value">{(s.probability * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
