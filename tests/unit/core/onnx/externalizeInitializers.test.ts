// Moving initializers to one external-data file (src/core/onnx/externalizeInitializers):
// the layout (offsets aligned, in order, no overlap, small tensors inline), tensors
// already external re-pointed, and the result run by onnxruntime-web (wasm, Node)
// with its data mounted: the same logits as the model it came from.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import {
  type ExternalizedModel,
  externalizeInitializers,
} from '../../../../src/core/onnx/externalizeInitializers';
import { rewriteQ4Model } from '../../../../src/core/onnx/rewriteQ4Model';
import { buildLlamaGraph } from '../../../../tools/llama2c/llamaGraph';
import { q4Linear } from '../../../../tools/llama2c/quantize';
import { LLAMA_SHAPES, randomLlamaWeights } from '../../../../tools/llama2c/randomLlama';
import { encodeModel } from '../../../../tools/onnx/onnxModel';
import { prefillOn } from './llamaPrefill';

ort.env.wasm.numThreads = 1;
const SEED = 1;
const config = LLAMA_SHAPES.tiny;
const q4 = encodeModel(buildLlamaGraph(config, randomLlamaWeights(config, SEED), q4Linear));

/** The data file as a writer following the layout would leave it. */
function dataFile(
  result: ExternalizedModel,
  files: Record<string, Uint8Array> = {},
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(result.dataBytes);
  for (const t of result.tensors) {
    const s = t.source;
    const bytes =
      s.kind === 'inline'
        ? s.bytes
        : (files[s.location] as Uint8Array).subarray(s.offset, s.offset + s.length);
    out.set(bytes, t.offset);
  }
  return out;
}

async function logits(model: Uint8Array, externalData?: { path: string; data: Uint8Array }[]) {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    ...(externalData ? { externalData } : {}),
  });
  const { logits: result } = await prefillOn(session, config, [1, 5, 9, 14]);
  await session.release();
  return result;
}

describe('externalizeInitializers: the layout', () => {
  it.each([16, 64, 4096])(
    'align %i: offsets aligned, ascending, no overlap; size = last end',
    (align) => {
      const result = externalizeInitializers(q4, { location: 'm.onnx_data', align });
      expect(result.tensors.length).toBeGreaterThan(0);
      let end = 0;
      for (const t of result.tensors) {
        expect(t.offset % align).toBe(0);
        expect(t.offset).toBeGreaterThanOrEqual(end);
        expect(t.offset - end).toBeLessThan(align); // padding only, never a wasted gap
        end = t.offset + t.length;
      }
      expect(result.dataBytes).toBe(end);
    },
  );

  it('initializers under minBytes stay inline; all the others move, and the graph shrinks by their bytes', () => {
    const minBytes = 1024;
    const result = externalizeInitializers(q4, { location: 'm.onnx_data', minBytes });
    for (const t of result.tensors) expect(t.length).toBeGreaterThanOrEqual(minBytes);
    const moved = result.tensors.reduce((sum, t) => sum + t.length, 0);
    expect(result.graph.length).toBeLessThan(q4.length - moved + result.tensors.length * 80);
    const everything = externalizeInitializers(q4, { location: 'm.onnx_data', minBytes: 1 });
    expect(everything.tensors.length).toBeGreaterThan(result.tensors.length);
  });

  it('names the data file in every moved tensor, with EXTERNAL data location', () => {
    const result = externalizeInitializers(q4, { location: 'derived.onnx_data' });
    const text = new TextDecoder('latin1').decode(result.graph);
    expect(text.split('derived.onnx_data').length - 1).toBe(result.tensors.length);
  });

  it('a tensor already external is re-pointed, its source the old file and range', () => {
    const first = externalizeInitializers(q4, { location: 'old.onnx_data', align: 16 });
    const second = externalizeInitializers(first.graph, { location: 'new.onnx_data' });
    expect(second.tensors.map((t) => t.name)).toEqual(first.tensors.map((t) => t.name));
    for (const [i, t] of second.tensors.entries()) {
      const before = first.tensors[i];
      expect(t.source).toEqual({
        kind: 'external',
        location: 'old.onnx_data',
        offset: before?.offset,
        length: before?.length,
      });
    }
    expect(new TextDecoder('latin1').decode(second.graph)).not.toContain('old.onnx_data');
  });

  it('rejects an alignment that is not a power of two', () => {
    expect(() => externalizeInitializers(q4, { location: 'm', align: 48 })).toThrow(RangeError);
  });
});

describe('externalizeInitializers: onnxruntime reads the result', () => {
  it('the int8 rewrite, externalized, gives the same logits as inline', async () => {
    const int8 = (await rewriteQ4Model(q4)).bytes;
    const result = externalizeInitializers(int8, { location: 'model_q4.int8.onnx_data' });
    const external = [{ path: 'model_q4.int8.onnx_data', data: dataFile(result) }];
    expect(await logits(result.graph, external)).toEqual(await logits(int8));
  });

  it('twice externalized (data copied from the first file) still runs the same', async () => {
    const first = externalizeInitializers(q4, { location: 'a.onnx_data', align: 16 });
    const second = externalizeInitializers(first.graph, { location: 'b.onnx_data' });
    const data = dataFile(second, { 'a.onnx_data': dataFile(first) });
    expect(await logits(second.graph, [{ path: 'b.onnx_data', data }])).toEqual(await logits(q4));
  });
});
