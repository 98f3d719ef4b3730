// Which stored files are the ONNX external data of one transformers.js dtype:
// `<name><suffix>.onnx_data` (and `_data_N` chunks) beside `<name><suffix>.onnx`,
// named by transformers.js's dtype suffixes (q8 → `_quantized`, q4 → `_q4`, …).

/** transformers.js's file-name suffix per dtype (its DEFAULT_DTYPE_SUFFIX_MAPPING). */
const DTYPE_SUFFIXES: Record<string, string> = {
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q2: '_q2',
  q1: '_q1',
  q4f16: '_q4f16',
  q2f16: '_q2f16',
  q1f16: '_q1f16',
  bnb4: '_bnb4',
};

/** Longest first, so `_q4f16` is not taken for `_q4`'s file `…_q4f16`. */
const SUFFIXES_LONGEST_FIRST = Object.entries(DTYPE_SUFFIXES).sort(
  ([, a], [, b]) => b.length - a.length,
);

const EXTERNAL_DATA = /^(.*)\.onnx_data(?:_\d+)?$/;

/** The dtype a `.onnx` base name (no extension) was written for; plain names are fp32. */
function dtypeOfOnnxName(base: string): string {
  for (const [dtype, suffix] of SUFFIXES_LONGEST_FIRST) if (base.endsWith(suffix)) return dtype;
  return 'fp32';
}

export interface ExternalDataFile {
  /** The file's path in the model package, e.g. `onnx/model_quantized.onnx_data`. */
  path: string;
  /** The name the graph refers to it by (its base name), e.g. `model_quantized.onnx_data`. */
  mountAs: string;
}

/** The external data files of `dtype` among a package's file paths, in package order. */
export function externalDataFor(paths: readonly string[], dtype: string): ExternalDataFile[] {
  const files: ExternalDataFile[] = [];
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const match = EXTERNAL_DATA.exec(name);
    if (match?.[1] !== undefined && dtypeOfOnnxName(match[1]) === dtype) {
      files.push({ path, mountAs: name });
    }
  }
  return files;
}

/** The `.onnx` graphs of `dtype` among a package's file paths, e.g. `onnx/model_q4.onnx`. */
export function onnxGraphsFor(paths: readonly string[], dtype: string): string[] {
  return paths.filter((path) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return name.endsWith('.onnx') && dtypeOfOnnxName(name.slice(0, -'.onnx'.length)) === dtype;
  });
}
