// Opens the int8 graphs an install derived from a 4-bit package (see
// download/deriveQ4Files): each graph read whole and checked against the size
// and SHA-256 in the install record, each data file checked for its size and
// opened for onnxruntime from OPFS, tensor by tensor (storedExternalData). Any
// mismatch says why, and the load rewrites at load time instead.

import type { ManifestFile } from '../../core/manifest';
import { sha256Hex } from '../../core/sha256';
import type { InstalledModel } from '../../storage/db';
import { readOpfsFile } from '../../storage/modelFiles';
import { fetchStoredModelFile, LOCAL_MODEL_ROOT } from './modelFetch';
import { type OpenedExternalData, openExternalData } from './storedExternalData';

export type DerivedQ4 =
  | {
      ok: true;
      /** The derived graph's bytes, by the package path transformers.js asks for. */
      graphs: Map<string, Uint8Array>;
      external: OpenedExternalData;
    }
  | { ok: false; reason: string };

export async function openDerivedQ4(model: InstalledModel): Promise<DerivedQ4> {
  const derived = model.derived?.q4Int8 ?? [];
  if (derived.length === 0) {
    const failure = model.derived?.failure;
    return {
      ok: false,
      reason: failure ? `deriving failed at install: ${failure.message}` : 'none derived',
    };
  }
  if (model.backend === 'idb') return { ok: false, reason: 'stored in IndexedDB' };
  const graphs = new Map<string, Uint8Array>();
  for (const q of derived) {
    let graph: Uint8Array;
    let dataSize: number;
    try {
      graph = new Uint8Array(
        await (await readOpfsFile(model.id, model.version, q.graph.path)).arrayBuffer(),
      );
      dataSize = (await readOpfsFile(model.id, model.version, q.data.path)).size;
    } catch (error) {
      return { ok: false, reason: `${q.source}: derived file unreadable (${String(error)})` };
    }
    if (graph.length !== q.graph.size || (await sha256Hex(graph)) !== q.graph.sha256) {
      return { ok: false, reason: `${q.graph.path}: size or SHA-256 differs from the install's` };
    }
    // The data file is only sized here: hashing it would read every weight twice per load.
    if (dataSize !== q.data.size) {
      return { ok: false, reason: `${q.data.path}: ${dataSize} bytes, ${q.data.size} recorded` };
    }
    graphs.set(q.source, graph);
  }
  // Listed with their recorded sizes, so that openExternalData reads them from disk by range.
  const listed: InstalledModel = {
    ...model,
    manifest: {
      ...model.manifest,
      files: [
        ...model.manifest.files,
        ...derived.map((q) => ({ path: q.data.path, size: q.data.size }) as ManifestFile),
      ],
    },
  };
  const external = await openExternalData(
    listed,
    derived.map((q) => ({ path: q.data.path, mountAs: q.location })),
  );
  return { ok: true, graphs, external };
}

/** A fetch for transformers.js answering the 4-bit graphs' paths with their derived int8 graphs. */
export function derivedGraphFetch(
  graphs: ReadonlyMap<string, Uint8Array>,
): (input: RequestInfo | URL) => Promise<Response> {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.startsWith(LOCAL_MODEL_ROOT) ? url : new URL(url, location.href).pathname;
    const [, , ...rest] = path.slice(LOCAL_MODEL_ROOT.length).split('/');
    const graph = path.startsWith(LOCAL_MODEL_ROOT)
      ? graphs.get(rest.map(decodeURIComponent).join('/'))
      : undefined;
    if (!graph) return fetchStoredModelFile(input);
    return new Response(graph as Uint8Array<ArrayBuffer>, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(graph.length),
      },
    });
  };
}
