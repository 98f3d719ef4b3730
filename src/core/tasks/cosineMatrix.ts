// Pairwise cosine similarity of embeddings, for the similarity matrix. A zero
// vector (no known word) has no direction: its similarities are NaN, shown as such.

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? Number.NaN : dot / Math.sqrt(na * nb);
}

export function cosineMatrix(vectors: ArrayLike<number>[]): number[][] {
  return vectors.map((a) => vectors.map((b) => cosine(a, b)));
}
