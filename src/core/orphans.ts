// Which stored model bytes nobody owns: OPFS entries under `models/` and
// IndexedDB chunk records that no install record, journal or download record
// accounts for (site data partly cleared, a crash between steps). Pure: storage
// lists, this decides, the sweep deletes.

/** Who may own bytes of one model version (`${id}@${version}`). */
export interface Owner {
  /** Where its bytes live; null when not known yet (a download before its manifest). */
  backend: 'opfs-sync' | 'opfs-writable' | 'idb' | null;
  /** The files it owns; null when any file may be its (a download in progress). */
  paths: ReadonlySet<string> | null;
}

export type Owners = ReadonlyMap<string, Owner>;

/** One entry under OPFS `models/`, path relative to it (`id/version/dir/file`). */
export interface StoredEntry {
  path: string;
  kind: 'file' | 'directory';
}

const inOpfs = (owner: Owner | undefined) => owner !== undefined && owner.backend !== 'idb';
const inIdb = (owner: Owner | undefined) =>
  owner !== undefined && (owner.backend === null || owner.backend === 'idb');

/**
 * The OPFS entries to delete, outermost only (a folder's contents go with it).
 * Layout: `id/` folders hold `version/` folders, which hold the model's files.
 */
export function findOrphanEntries(entries: readonly StoredEntry[], owners: Owners): string[] {
  const orphans: string[] = [];
  const covered = (path: string) => orphans.some((o) => path.startsWith(`${o}/`));
  const sorted = [...entries].sort((a, b) => a.path.localeCompare(b.path));
  for (const entry of sorted) {
    if (covered(entry.path)) continue;
    const [id = '', version, ...rest] = entry.path.split('/');
    if (version === undefined) {
      // `models/<id>`: a folder is kept if some owned version lives in it.
      const owned =
        entry.kind === 'directory' &&
        [...owners].some(([key, owner]) => key.startsWith(`${id}@`) && inOpfs(owner));
      if (!owned) orphans.push(entry.path);
      continue;
    }
    const owner = owners.get(`${id}@${version}`);
    if (rest.length === 0) {
      if (entry.kind !== 'directory' || !inOpfs(owner)) orphans.push(entry.path);
      continue;
    }
    const paths = owner?.paths;
    if (!paths) continue;
    const inside = rest.join('/');
    const kept =
      entry.kind === 'file'
        ? paths.has(inside)
        : [...paths].some((p) => p.startsWith(`${inside}/`));
    if (!kept) orphans.push(entry.path);
  }
  return orphans;
}

/** The IndexedDB chunk files (`${id}@${version}/${path}`) to delete. */
export function findOrphanChunkFiles(files: readonly string[], owners: Owners): string[] {
  return [...new Set(files)].filter((file) => {
    const slash = file.indexOf('/');
    const owner = owners.get(slash < 0 ? file : file.slice(0, slash));
    if (!inIdb(owner)) return true;
    return owner?.paths ? !owner.paths.has(file.slice(slash + 1)) : false;
  });
}
