// Sentence embeddings from a Hub model (transformers.js feature extraction):
// sentences, one per line, embedded in one run, mean-pooled and normalized,
// and their cosine similarity matrix.

import { useState } from 'preact/hooks';
import { AppError } from '../../core/errors';
import { type PipelineModel, timedPipelineRun } from './pipelineModel';
import { RunResult } from './RunResult';
import { SimilarityTable, sentenceLines } from './SimilarityTable';

const EXAMPLE = 'The cat sat on the mat.\nA kitten slept.\nThe truck drove on a road.';

export function SentenceEmbeddingTask({ model }: { model: PipelineModel }) {
  const [text, setText] = useState(EXAMPLE);
  const [result, setResult] = useState<{ sentences: string[]; vectors: number[][] } | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  async function compare() {
    const sentences = sentenceLines(text);
    try {
      const { output, ms: took } = await timedPipelineRun(model, {
        task: 'feature-extraction',
        texts: sentences,
      });
      setResult({ sentences, vectors: output.vectors });
      setMs(took);
      setError(null);
    } catch (e) {
      setResult(null);
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
      <button type="button" class="primary" onClick={() => void compare()}>
        Compare
      </button>
      {result && <SimilarityTable sentences={result.sentences} vectors={result.vectors} />}
      <RunResult ms={ms} error={error} />
    </div>
  );
}
