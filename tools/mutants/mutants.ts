// Deliberate engine bugs that the fault suite must catch. Each is a small
// textual patch applied to a throw-away copy of the repository (never to the
// real sources, and no switch in the production code turns one on).

export interface Mutant {
  name: string;
  /** What the bug is, as a user would suffer it. */
  why: string;
  file: string;
  /** Text that must occur exactly once in `file` (else the mutant is stale: fix it). */
  find: string;
  replace: string;
}

export const MUTANTS: Mutant[] = [
  {
    name: 'type-error-in-chunk-write',
    why: 'a TypeError thrown by a chunk write (once per worker): an engine bug must not pass as a network fault',
    file: 'src/download/chunkScheduler.ts',
    find: '    await state.writer.commitChunk(chunk.offset, bytes);',
    replace: [
      '    const g = globalThis as { mutantThrown?: boolean };',
      '    if (!g.mutantThrown && chunk.index === 2) {',
      '      g.mutantThrown = true;',
      "      throw new TypeError('mutant: chunk write');",
      '    }',
      '    await state.writer.commitChunk(chunk.offset, bytes);',
    ].join('\n'),
  },
  {
    name: 'skipped-chunk-hash-check',
    why: 'chunk hashes are not checked: a flipped byte is kept and only the whole-file check notices',
    file: 'src/download/chunkScheduler.ts',
    find: '  if (received.sha256) {',
    replace: '  if (received.sha256 && chunk.index < 0) {',
  },
  {
    name: 'journal-before-verify',
    why: 'a chunk is journaled before its hash is checked: a bad chunk can look done to the next attempt',
    file: 'src/download/chunkScheduler.ts',
    find: '  const current = () => generation === state.generation;\n  if (received.sha256) {',
    replace: [
      '  const current = () => generation === state.generation;',
      "  await stepJournal(state, { type: 'chunk-verified', index: chunk.index });",
      '  if (received.sha256) {',
    ].join('\n'),
  },
];
