// The repos a test Hub serves: each a set of commits (path → bytes), branches
// that point at commits and can be moved, and the listing the real Hub would
// give for a commit (git blob ids, LFS entries with SHA-256 for big files).

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface HubTreeEntry {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

export interface StoredBlob {
  /** What the storage host serves. */
  bytes: Uint8Array;
  /** Key in the storage host: the LFS SHA-256 or the git blob id of the listed bytes. */
  key: string;
}

interface Commit {
  sha: string;
  files: Map<string, Uint8Array>;
  /** The listing, computed once (hashing every file per request is slow). */
  tree?: HubTreeEntry[];
}

export interface HubRepoOptions {
  repo: string;
  task?: string;
  license?: string;
  /** Gated: 401 without a token, 403 with another than this one. */
  token?: string;
  /** Files whose stored bytes differ (one byte flipped) from what the listing's hash says. */
  corrupt?: string[];
  /** A listing only (a recorded fixture tree): no bytes to resolve. */
  tree?: HubTreeEntry[];
  commitSha?: string;
}

/** Files LFS tracks on the real Hub (its default .gitattributes), besides any over 10 MB. */
const LFS_PATTERN =
  /\.(onnx|onnx_data(_\d+)?|bin|safetensors|pt|h5|tflite|msgpack|model)$|^tokenizer\.json$/;
const LFS_MIN_BYTES = 10 * 1024 * 1024;

export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isLfs(path: string, size: number): boolean {
  return LFS_PATTERN.test(path.split('/').pop() ?? '') || size >= LFS_MIN_BYTES;
}

/** The pointer file git keeps for an LFS file (its blob id is the entry's `oid`). */
function lfsPointer(sha256: string, size: number): Uint8Array {
  return new TextEncoder().encode(
    `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`,
  );
}

export class HubRepo {
  readonly commits = new Map<string, Commit>();
  readonly branches = new Map<string, string>();
  private readonly blobs = new Map<string, StoredBlob>();

  constructor(readonly options: HubRepoOptions) {
    if (options.tree) {
      const sha = options.commitSha ?? createHash('sha1').update(options.repo).digest('hex');
      this.commits.set(sha, { sha, files: new Map() });
      this.branches.set('main', sha);
    }
  }

  get repo(): string {
    return this.options.repo;
  }

  /** Records a commit of these files (the previous commit's, changed) on `branch`; returns its sha. */
  commit(changes: Record<string, Uint8Array | null>, branch = 'main'): string {
    const parent = this.branches.get(branch);
    const files = new Map(parent ? this.commits.get(parent)?.files : []);
    for (const [path, bytes] of Object.entries(changes)) {
      if (bytes) files.set(path, bytes);
      else files.delete(path);
    }
    const hash = createHash('sha1').update(`${this.repo}\n${parent ?? ''}\n`);
    for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      hash.update(`${path}\0${gitBlobSha1(bytes)}\n`);
    }
    const sha = hash.digest('hex');
    this.commits.set(sha, { sha, files });
    this.branches.set(branch, sha);
    for (const entry of this.tree(sha) ?? []) {
      const bytes = files.get(entry.path);
      if (!bytes || entry.type !== 'file') continue;
      const key = entry.lfs?.oid ?? entry.oid;
      const served = this.options.corrupt?.includes(entry.path) ? flipped(bytes) : bytes;
      this.blobs.set(key, { bytes: served, key });
    }
    return sha;
  }

  /** A branch, a tag (none here) or a full commit sha → the commit sha; null if unknown. */
  resolve(revision: string): string | null {
    if (this.commits.has(revision)) return revision;
    return this.branches.get(revision) ?? null;
  }

  /** The recursive tree at `sha`, sorted by path, directories included (as the Hub lists them). */
  tree(sha: string): HubTreeEntry[] | null {
    if (this.options.tree) return this.commits.has(sha) ? this.options.tree : null;
    const commit = this.commits.get(sha);
    if (!commit) return null;
    commit.tree ??= listing(commit.files);
    return commit.tree;
  }

  /** The stored bytes behind a file at a commit, or null. */
  blobAt(sha: string, path: string): { entry: HubTreeEntry; blob: StoredBlob } | null {
    const entry = this.tree(sha)?.find((e) => e.path === path && e.type === 'file');
    const blob = entry && this.blobs.get(entry.lfs?.oid ?? entry.oid);
    return entry && blob ? { entry, blob } : null;
  }

  blob(key: string): StoredBlob | null {
    return this.blobs.get(key) ?? null;
  }
}

/** The Hub's listing of a commit's files: LFS entries for big or binary files. */
function listing(files: Map<string, Uint8Array>): HubTreeEntry[] {
  const entries: HubTreeEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, bytes] of files) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (isLfs(path, bytes.byteLength)) {
      const oid = sha256Hex(bytes);
      const pointer = lfsPointer(oid, bytes.byteLength);
      entries.push({
        type: 'file',
        oid: gitBlobSha1(pointer),
        size: bytes.byteLength,
        path,
        lfs: { oid, size: bytes.byteLength, pointerSize: pointer.byteLength },
      });
    } else {
      entries.push({ type: 'file', oid: gitBlobSha1(bytes), size: bytes.byteLength, path });
    }
  }
  for (const dir of dirs) {
    entries.push({
      type: 'directory',
      oid: createHash('sha1').update(dir).digest('hex'),
      size: 0,
      path: dir,
    });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function flipped(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes); // a copy (Buffer#slice would share the listed bytes)
  const at = Math.floor(copy.byteLength / 2);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

/** Every file under `dir`, by path relative to it (with / separators). */
export async function readFolder(dir: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out[relative(dir, full).split(sep).join('/')] = await readFile(full);
    }
  };
  await walk(dir);
  return out;
}

/** A repo whose main branch holds the files of `dir` (a transformers.js model folder). */
export async function repoFromFolder(
  options: HubRepoOptions & { dir: string; prefix?: string },
): Promise<HubRepo> {
  const repo = new HubRepo(options);
  const files = await readFolder(options.dir);
  const changes: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(files))
    changes[`${options.prefix ?? ''}${path}`] = bytes;
  repo.commit(changes);
  return repo;
}
