// Text embeddings: a few sentences, one per line, each embedded by the model
// (tokenized with its own vocabulary), and their cosine similarity matrix.

import { useEffect, useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { encodeText, parseVocab } from '../../core/tasks/regexTokenizer';
import type { EmbeddingSpec } from '../../core/tasks/taskSpec';
import { RunResult } from './RunResult';
import { SimilarityTable, sentenceLines } from './SimilarityTable';
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
    const sentences = sentenceLines(text);
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
      {result && <SimilarityTable sentences={result.sentences} vectors={result.vectors} />}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
