// At install, in the download worker: rewrites a transformers.js 4-bit package's
// graphs once into int8 (core/onnx/rewriteQ4Model) in external-data form
// (core/onnx/externalizeInitializers), written beside the model under
// `derived/`, so a wasm load reads them from OPFS the q8 way instead of
// rewriting in memory at every load. See docs/runtimes.md.

import {
  DERIVED_DIR,
  type DerivedFile,
  type DerivedQ4Graph,
  type DerivedRecord,
  derivedQ4Paths,
} from '../core/derivedFiles';
import { AppError } from '../core/errors';
import type { ModelManifest } from '../core/manifest';
import { externalizeInitializers } from '../core/onnx/externalizeInitializers';
import { rewriteQ4Model } from '../core/onnx/rewriteQ4Model';
import { onnxGraphsFor } from '../core/onnxExternalData';
import { sha256Hex } from '../core/sha256';
import { modelStore } from '../storage/chooseModelStore';
import type { StoreKind } from '../storage/db';
import { readOpfsFile } from '../storage/modelFiles';
import type { StoredFileWriter } from '../storage/modelStore';
import { MODELS_DIR, removeEntryWhenReleased, walk } from '../storage/opfsPaths';
import { inlineHash } from './incrementalHash';

/** How the page plans to run the model it downloads: what the install may prepare for. */
export interface PlannedRun {
  device: string;
  dtype: string;
}

/** Whether an install with this plan, into this backend, derives the int8 graphs. */
export function derivesQ4(plan: PlannedRun | undefined, backend: StoreKind): boolean {
  // IndexedDB has no sync access handles: its loads read files whole anyway.
  return plan?.device === 'wasm' && plan.dtype === 'q4' && backend !== 'idb';
}

/** Padding between tensors is written as zeros from this (alignment is far smaller). */
const ZEROS = new Uint8Array(4096);

/**
 * Derives the int8 form of each 4-bit graph of the package. Never throws: a
 * failure removes what it wrote and is returned as `failure`, so the model
 * still installs and the load-time rewrite stays its path.
 */
export async function deriveQ4Files(
  manifest: ModelManifest,
  backend: StoreKind,
): Promise<DerivedRecord> {
  const { id, version } = manifest;
  const q4Int8: DerivedQ4Graph[] = [];
  try {
    await removeDerived(id, version); // whatever an earlier attempt left
    for (const source of onnxGraphsFor(
      manifest.files.map((f) => f.path),
      'q4',
    )) {
      const derived = await deriveGraph(manifest, backend, source);
      if (derived) q4Int8.push(derived);
    }
    return { q4Int8 };
  } catch (error) {
    const failure = AppError.from(error, 'internal', { step: 'derive int8 graph at install' });
    // Logged and recorded, never silent: the model still installs, the load rewrites instead.
    console.warn('deriving the int8 graph failed; the load will rewrite instead', failure);
    await removeDerived(id, version).catch(() => {});
    return { q4Int8: [], failure: failure.toJSON() };
  }
}

async function deriveGraph(
  manifest: ModelManifest,
  backend: StoreKind,
  source: string,
): Promise<DerivedQ4Graph | null> {
  const { id, version } = manifest;
  const dir = source.includes('/') ? source.slice(0, source.lastIndexOf('/') + 1) : '';
  const stored = await readOpfsFile(id, version, source);
  const rewrite = await rewriteQ4Model(new Uint8Array(await stored.arrayBuffer()), {
    // Only the 4-bit tensors' ranges are read from the package's own external data.
    readExternal: ({ location, offset, length }) =>
      readRange(manifest, dir + location, offset, length),
  });
  if (rewrite.rewritten === 0) return null; // nothing to gain: the load uses the download as it is
  const paths = derivedQ4Paths(source);
  const layout = externalizeInitializers(rewrite.bytes, { location: paths.location });
  const store = modelStore(backend);
  const hash = await inlineHash();
  const writer = await store.openFile({ id, version, path: paths.data, size: layout.dataBytes });
  try {
    await writer.reset(); // a file left by an earlier install is overwritten, not appended to
    let at = 0;
    for (const tensor of layout.tensors) {
      for (; at < tensor.offset; at += Math.min(ZEROS.length, tensor.offset - at)) {
        await put(writer, hash, ZEROS.subarray(0, Math.min(ZEROS.length, tensor.offset - at)), at);
      }
      const s = tensor.source;
      const bytes =
        s.kind === 'inline'
          ? s.bytes
          : await readRange(manifest, dir + s.location, s.offset, s.length);
      await put(writer, hash, bytes, at);
      at += bytes.length;
    }
    await writer.finish();
  } finally {
    await writer.close();
  }
  const data: DerivedFile = {
    path: paths.data,
    size: layout.dataBytes,
    sha256: await hash.digest(),
  };
  const graphWriter = await store.openFile({
    id,
    version,
    path: paths.graph,
    size: layout.graph.length,
  });
  try {
    await graphWriter.reset();
    await put(graphWriter, null, layout.graph, 0);
    await graphWriter.finish();
  } finally {
    await graphWriter.close();
  }
  const graph: DerivedFile = {
    path: paths.graph,
    size: layout.graph.length,
    sha256: await sha256Hex(layout.graph),
  };
  return { source, graph, data, location: paths.location, rewritten: rewrite.rewritten };
}

/** Writes one piece at `offset`, through whichever way the backend takes bytes. */
async function put(
  writer: StoredFileWriter,
  hash: { update(bytes: Uint8Array): unknown } | null,
  bytes: Uint8Array,
  offset: number,
): Promise<void> {
  // A streaming writer flushes once, in finish(); the others take each piece whole.
  if (writer.streams) await writer.write(bytes, offset);
  else await writer.commitChunk(offset, bytes);
  await hash?.update(bytes);
}

async function readRange(
  manifest: ModelManifest,
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const file = await readOpfsFile(manifest.id, manifest.version, path);
  if (offset + length > file.size) {
    throw new AppError('model-load-failed', {
      path,
      reason: `external data range ${offset}+${length} past the file's ${file.size} bytes`,
    });
  }
  return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
}

/** Removes a model's derived files (a failed or stale derivation). */
export async function removeDerived(id: string, version: string): Promise<void> {
  try {
    await removeEntryWhenReleased(await walk([MODELS_DIR, id, version], false), DERIVED_DIR);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotFoundError') return;
    throw error;
  }
}
