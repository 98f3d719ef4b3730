// Serves a stored 4-bit ONNX graph to transformers.js rewritten for onnxruntime's
// wasm build (see core/onnx/rewriteQ4Model): the 4-bit download stays as it is in
// OPFS; the rewrite runs in the worker at every load, from the stored bytes.

import { rewriteQ4Model } from '../../core/onnx/rewriteQ4Model';
import { readModelFile } from '../../storage/modelFiles';
import type { Q4RewriteTarget } from '../types';
import { fetchStoredModelFile, LOCAL_MODEL_ROOT } from './modelFetch';

/** What the last rewrite did, for diagnostics and tests. */
export interface Q4RewriteReport {
  file: string;
  rewritten: number;
  skipped: { node: string; reason: string }[];
  ms: number;
}

/**
 * A fetch for transformers.js that answers `.onnx` requests with the rewritten
 * graph and everything else (external data included) as fetchStoredModelFile does.
 */
export function q4RewritingFetch(
  target: Q4RewriteTarget,
  onReport: (report: Q4RewriteReport) => void = () => {},
): (input: RequestInfo | URL) => Promise<Response> {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.startsWith(LOCAL_MODEL_ROOT) ? url : new URL(url, location.href).pathname;
    if (!path.startsWith(LOCAL_MODEL_ROOT) || !path.endsWith('.onnx')) {
      return fetchStoredModelFile(input);
    }
    const [id, version, ...rest] = path.slice(LOCAL_MODEL_ROOT.length).split('/');
    const file = rest.map(decodeURIComponent).join('/');
    if (!id || !version || !file) return fetchStoredModelFile(input);
    const started = performance.now();
    let stored: Blob;
    try {
      stored = await readModelFile(id, version, file);
    } catch {
      return fetchStoredModelFile(input); // its 404 / error, as without the rewrite
    }
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    const result = await rewriteQ4Model(new Uint8Array(await stored.arrayBuffer()), {
      target,
      // Only the 4-bit tensors' ranges are read: the external file is never held whole here.
      readExternal: async ({ location: name, offset, length }) => {
        const external = await readModelFile(id, version, dir + name);
        return new Uint8Array(await external.slice(offset, offset + length).arrayBuffer());
      },
    });
    onReport({
      file,
      rewritten: result.rewritten,
      skipped: result.skipped,
      ms: performance.now() - started,
    });
    if (result.rewritten === 0) return new Response(stored);
    return new Response(result.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(result.bytes.length),
      },
    });
  };
}
