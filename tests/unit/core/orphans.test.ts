import { describe, expect, it } from 'vitest';
import {
  findOrphanChunkFiles,
  findOrphanEntries,
  type Owner,
  type StoredEntry,
} from '../../../src/core/orphans';

const installed: Owner = { backend: 'opfs-sync', paths: new Set(['weights/a.bin', 'config.json']) };
const downloading: Owner = { backend: null, paths: null };
const inIdb: Owner = { backend: 'idb', paths: new Set(['a.bin']) };
/** An install with files derived from it (derivedPaths of its record join the manifest's). */
const derived: Owner = {
  backend: 'opfs-sync',
  paths: new Set([
    'onnx/model_q4.onnx',
    'derived/q4-int8/onnx/model_q4.onnx',
    'derived/q4-int8/onnx/model_q4.int8.onnx_data',
  ]),
};
const owners = new Map<string, Owner>([
  ['m@1', installed],
  ['q@1', derived],
  ['d@2', downloading],
  ['i@1', inIdb],
]);

const dir = (path: string): StoredEntry => ({ path, kind: 'directory' });
const file = (path: string): StoredEntry => ({ path, kind: 'file' });

describe('findOrphanEntries', () => {
  it.each([
    {
      name: 'an installed model is kept',
      entries: [
        dir('m'),
        dir('m/1'),
        dir('m/1/weights'),
        file('m/1/weights/a.bin'),
        file('m/1/config.json'),
      ],
      orphans: [],
    },
    {
      name: 'a download in progress keeps any file',
      entries: [dir('d'), dir('d/2'), file('d/2/x.part')],
      orphans: [],
    },
    {
      name: 'an unowned model folder goes whole',
      entries: [dir('gone'), dir('gone/1'), file('gone/1/a.bin')],
      orphans: ['gone'],
    },
    {
      name: 'an unowned version of an owned id goes',
      entries: [dir('m'), dir('m/0.9'), file('m/0.9/a.bin')],
      orphans: ['m/0.9'],
    },
    { name: 'a stray file at the top goes', entries: [file('stray.bin')], orphans: ['stray.bin'] },
    {
      name: 'a stray file beside versions goes',
      entries: [dir('m'), file('m/stray')],
      orphans: ['m/stray'],
    },
    {
      name: 'a file an installed manifest does not list goes',
      entries: [dir('m'), dir('m/1'), file('m/1/extra.bin'), dir('m/1/old'), file('m/1/old/x')],
      orphans: ['m/1/extra.bin', 'm/1/old'],
    },
    {
      name: "an install's recorded derived files are kept; a derived file it does not record goes",
      entries: [
        dir('q'),
        dir('q/1'),
        dir('q/1/derived'),
        dir('q/1/derived/q4-int8'),
        dir('q/1/derived/q4-int8/onnx'),
        file('q/1/derived/q4-int8/onnx/model_q4.onnx'),
        file('q/1/derived/q4-int8/onnx/model_q4.int8.onnx_data'),
        file('q/1/derived/q4-int8/onnx/model_q4.onnx.partial'),
      ],
      orphans: ['q/1/derived/q4-int8/onnx/model_q4.onnx.partial'],
    },
    {
      name: 'OPFS files of a model stored in IndexedDB go',
      entries: [dir('i'), dir('i/1'), file('i/1/a.bin')],
      orphans: ['i'],
    },
  ])('$name', ({ entries, orphans }) => {
    expect(findOrphanEntries(entries, owners)).toEqual(orphans);
  });
});

describe('findOrphanChunkFiles', () => {
  it.each([
    { name: 'chunks of an IndexedDB model are kept', files: ['i@1/a.bin'], orphans: [] },
    {
      name: 'chunks of a file its manifest does not list go',
      files: ['i@1/b.bin'],
      orphans: ['i@1/b.bin'],
    },
    {
      name: 'chunks of a download whose backend is not known yet are kept',
      files: ['d@2/a.bin'],
      orphans: [],
    },
    {
      name: 'chunks of a model stored in OPFS go',
      files: ['m@1/config.json'],
      orphans: ['m@1/config.json'],
    },
    { name: 'chunks nobody owns go, once each', files: ['x@1/a', 'x@1/a'], orphans: ['x@1/a'] },
  ])('$name', ({ files, orphans }) => {
    expect(findOrphanChunkFiles(files, owners)).toEqual(orphans);
  });
});
