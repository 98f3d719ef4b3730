// Text embeddings: a few sentences, one per line, each embedded by the model
// (tokenized with its own vocabulary), and their cosine similarity matrix.

import { useEffect, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { cosineMatrix } from '../../core/tasks/cosineMatrix';
import { encodeText, parseVocab } from '../../core/tasks/regexTokenizer';
import type { EmbeddingSpec } from '../../core/tasks/taskSpec';
import { RunResult } from './RunResult';
import { timedRun } from './TaskView';
import type { TaskModel } from './taskModel';

const EXAMPLE = 'The film is a delight.\nA wonderful, funny movie.\nThe plot is dull and slow.';

export function EmbeddingTask({ model, spec }: { model: TaskModel; spec: EmbeddingSpec }) {
  const [vocab, setVocab] = useState<Map<string, number> | null>(null);
  const [text, setText] = useState(EXAMPLE);
  const [result, setResult] = useState<{ sentences: string[]; vectors: number[][] } | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    model.text(spec.vocab).then(
      (data) => setVocab(parseVocab(data)),
      (e) => setError(AppError.from(e, 'model-load-failed')),
    );
  }, [model]);

  async function compare() {
    const input = model.loaded.inputs[0];
    if (!input || !vocab) return;
    const sentences = text
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    try {
      const vectors: number[][] = [];
      let total = 0;
      // The model takes one sentence per run ([1, length]).
      for (const sentence of sentences) {
        const data = encodeText(sentence, vocab, spec);
        const { outputs, ms: took } = await timedRun(model, {
          [input.name]: { type: 'int32', dims: [1, spec.length], data },
        });
        const [output] = Object.values(outputs);
        if (!output) throw new AppError('inference-failed', { reason: 'the model gave no output' });
        vectors.push(Array.from(output.data as Float32Array));
        total += took;
      }
      setResult({ sentences, vectors });
      setMs(total);
      setError(null);
    } catch (e) {
      setError(AppError.from(e, 'inference-failed'));
    }
  }

  const matrix = result ? cosineMatrix(result.vectors) : null;
  return (
    <div class="task-body">
      <label class="field">
        Sentences, one per line
        <textarea
          rows={5}
          value={text}
          data-testid="embedding-input"
          onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      <button type="button" class="primary" disabled={!vocab} onClick={() => void compare()}>
        Compare
      </button>
      {result && matrix && (
        <>
          <table class="similarity" data-testid="similarity">
            <caption>Cosine similarity</caption>
            <thead>
              <tr>
                <th scope="col" />
                {result.sentences.map((_, j) => (
                  <th key={j} scope="col">
                    {j + 1}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.map((row, i) => (
                <tr key={i}>
                  <th scope="row" title={result.sentences[i]}>
                    {i + 1}. {result.sentences[i]}
                  </th>
                  {row.map((value, j) => (
                    <td
                      key={j}
                      data-value={value}
                      style={{ '--similarity': Number.isNaN(value) ? 0 : Math.max(0, value) }}
                    >
                      {Number.isNaN(value) ? '–' : value.toFixed(2)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>Embeddings</summary>
            <ol data-testid="embeddings">
              {result.vectors.map((vector, i) => (
                <li key={i} data-vector={JSON.stringify(vector)}>
                  {vector.map((x) => x.toFixed(4)).join(', ')}
                </li>
              ))}
            </ol>
          </details>
        </>
      )}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
