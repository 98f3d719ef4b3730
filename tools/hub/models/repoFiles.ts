// The files of a generated test repo, by path, as the test Hub commits them.

export type RepoFiles = Record<string, Uint8Array>;

export function jsonFile(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}
