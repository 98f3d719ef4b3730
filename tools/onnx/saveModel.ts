// Writes an ONNX model to disk, moving large initializers into a side-car
// `<model>.onnx_data` file (ONNX external data) when the model is big.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DataType, type ExternalRef, encodeModel, type ModelDef, tensorBytes } from './onnxModel';

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

export interface SaveOptions {
  /** true: always, false: never, 'auto' (default): when initializers exceed `autoLimitBytes`. */
  externalData?: boolean | 'auto';
  /** Default 100 MB. */
  autoLimitBytes?: number;
  /** Initializers smaller than this stay inline. Default 1024 bytes. */
  minExternalBytes?: number;
  /** Offsets of external tensors are aligned to this. Default 4096. */
  alignment?: number;
}

export interface SavedModel {
  /** Paths written: the .onnx file, then the external data file if any. */
  files: string[];
  bytes: number;
}

/** Serialises `model` to `path` (and `path + '_data'` when using external data). */
export function saveOnnxModel(model: ModelDef, path: string, opts: SaveOptions = {}): SavedModel {
  mkdirSync(dirname(path), { recursive: true });
  const inits = model.graph.initializers;
  const total = inits.reduce((sum, t) => sum + t.data.byteLength, 0);
  const mode = opts.externalData ?? 'auto';
  const external = mode === 'auto' ? total > (opts.autoLimitBytes ?? 100_000_000) : mode;
  if (!external) {
    const bytes = encodeModel(model);
    writeFileSync(path, bytes);
    return { files: [path], bytes: bytes.length };
  }

  const dataPath = `${path}_data`;
  const location = basename(dataPath);
  const minBytes = opts.minExternalBytes ?? 1024;
  const align = opts.alignment ?? 4096;
  const refs = new Map<string, ExternalRef>();
  const fd = openSync(dataPath, 'w');
  let offset = 0;
  try {
    for (const t of inits) {
      const bytes = tensorBytes(t.data);
      // Integer tensors (shapes, axes, pads) stay inline: ONNX shape inference reads them.
      if (bytes.length < minBytes || t.dataType === DataType.INT64 || t.dataType === DataType.INT32)
        continue;
      const padded = Math.ceil(offset / align) * align;
      if (padded > offset) writeAll(fd, new Uint8Array(padded - offset));
      writeAll(fd, bytes);
      refs.set(t.name, { location, offset: padded, length: bytes.length });
      offset = padded + bytes.length;
    }
  } finally {
    closeSync(fd);
  }
  const bytes = encodeModel(model, refs);
  writeFileSync(path, bytes);
  return { files: [path, dataPath], bytes: bytes.length + offset };
}
