// Files the app makes from a model's verified download, at install, kept beside
// its files under `derived/` (today: a 4-bit graph rewritten to int8 for the
// wasm backend, in external-data form). Not part of the manifest: never
// downloaded, hashed by the manifest or repaired; recorded in the install record
// with their size and SHA-256, so a load uses them only when they are intact.

import type { AppErrorData } from './errors';

export const DERIVED_DIR = 'derived';

export interface DerivedFile {
  /** Path inside the model's folder, e.g. `derived/q4-int8/onnx/model_q4.onnx`. */
  path: string;
  size: number;
  sha256: string;
}

/** One 4-bit graph of the package rewritten to int8 (MatMulInteger), weights in external data. */
export interface DerivedQ4Graph {
  /** The package's `.onnx` it replaces at load, e.g. `onnx/model_q4.onnx`. */
  source: string;
  graph: DerivedFile;
  data: DerivedFile;
  /** The name the derived graph calls its data file (its external_data location). */
  location: string;
  /** MatMulNBits nodes rewritten. */
  rewritten: number;
}

/** What the install derived, recorded with the model. */
export interface DerivedRecord {
  q4Int8: DerivedQ4Graph[];
  /** Why deriving failed, when it did: the model installed without (the load rewrites instead). */
  failure?: AppErrorData;
}

/** Where the int8 form of the package's 4-bit graph `source` is kept. */
export function derivedQ4Paths(source: string): {
  graph: string;
  data: string;
  location: string;
} {
  const name = source.slice(source.lastIndexOf('/') + 1).replace(/\.onnx$/, '');
  const location = `${name}.int8.onnx_data`;
  const graph = `${DERIVED_DIR}/q4-int8/${source}`;
  return { graph, data: `${graph.slice(0, graph.lastIndexOf('/') + 1)}${location}`, location };
}

/** Every file a record names (what the orphan sweep must keep). */
export function derivedPaths(record: DerivedRecord | undefined): string[] {
  return (record?.q4Int8 ?? []).flatMap((q) => [q.graph.path, q.data.path]);
}

/** Bytes the derived files take on disk. */
export function derivedBytes(record: DerivedRecord | undefined): number {
  return (record?.q4Int8 ?? []).reduce((sum, q) => sum + q.graph.size + q.data.size, 0);
}
