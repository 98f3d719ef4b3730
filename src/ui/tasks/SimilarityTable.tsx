// The cosine similarity matrix of a few embedded sentences, and the vectors
// themselves, shared by the embedding screens.

import { cosineMatrix } from '../../core/tasks/cosineMatrix';

export function SimilarityTable({
  sentences,
  vectors,
}: {
  sentences: string[];
  vectors: number[][];
}) {
  const matrix = cosineMatrix(vectors);
  return (
    <>
      <table class="similarity" data-testid="similarity">
        <caption>Cosine similarity</caption>
        <thead>
          <tr>
            <th scope="col" />
            {sentences.map((_, j) => (
              <th key={j} scope="col">
                {j + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => (
            <tr key={i}>
              <th scope="row" title={sentences[i]}>
                {i + 1}. {sentences[i]}
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
          {vectors.map((vector, i) => (
            <li key={i} data-vector={JSON.stringify(vector)}>
              {vector.map((x) => x.toFixed(4)).join(', ')}
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}

/** Non-blank lines of a text box, trimmed. */
export function sentenceLines(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
