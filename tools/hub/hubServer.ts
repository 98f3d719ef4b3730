// A Hugging Face Hub stand-in for tests and `npm start`: the API answers the app
// uses (`/api/models/{repo}/revision/{rev}`, the recursive tree with `Link`
// pages), and `resolve` answering 302 to a second origin, the storage host,
// which serves bytes with Range and an ETag (not the SHA-256) under signed,
// expiring URLs, sends CORS headers on GETs but refuses every CORS preflight.
// Shapes follow huggingface.js (packages/hub) and the Hub's documented API.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubRepo } from './hubRepos';

export interface HubServerOptions {
  repos: HubRepo[];
  /** Tree entries per page before a `Link: <…>; rel="next"` (the real Hub pages at 1,000). */
  pageSize?: number;
  /** How long a signed storage URL stays valid. */
  urlTtlMs?: number;
  host?: string;
}

export interface HubStats {
  /** Resolve requests, by path. */
  resolves: string[];
  /** Storage GETs, with their Range and whether the signature had expired. */
  storage: Array<{ key: string; range: string | null; ifRange: string | null; expired: boolean }>;
  /** Preflights the storage host refused. */
  refusedPreflights: number;
  /** Authorization headers seen by the storage host (must stay 0). */
  tokensAtStorage: number;
  /** API requests (revision, tree pages), with whether a token came along. */
  api: Array<{ path: string; token: boolean }>;
}

export interface HubServer {
  /** The Hub endpoint (what the app's `hubEndpoint` names). */
  url: string;
  /** The storage host's origin. */
  storageUrl: string;
  stats: HubStats;
  /** Changes how long signed URLs live from now on. */
  setUrlTtl(ms: number): void;
  /** Resolves number `from` (0-based, counted from now) onwards hand out `count` URLs already expired. */
  expireResolves(from: number, count: number): void;
  repo(name: string): HubRepo;
  close(): Promise<void>;
}

const EXPOSED =
  'ETag, Content-Range, Content-Length, Accept-Ranges, X-Repo-Commit, X-Linked-Etag, X-Linked-Size, X-Error-Code, Link';

function listen(server: Server, host: string): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, host, () =>
      resolve(`http://${host}:${(server.address() as AddressInfo).port}`),
    );
  });
}

function cors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  // Pages under COEP: require-corp may load these too.
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(text);
}

export async function createHubServer(options: HubServerOptions): Promise<HubServer> {
  const host = options.host ?? '127.0.0.1';
  const pageSize = options.pageSize ?? 1000;
  let ttlMs = options.urlTtlMs ?? 60 * 60 * 1000;
  const secret = randomBytes(16);
  const repos = new Map(options.repos.map((r) => [r.repo, r]));
  const stats: HubStats = {
    resolves: [],
    storage: [],
    refusedPreflights: 0,
    tokensAtStorage: 0,
    api: [],
  };
  const sign = (key: string, expires: number) =>
    createHmac('sha256', secret).update(`${key}\n${expires}`).digest('hex');
  let storageUrl = '';
  let resolveCount = 0;
  let expiring = { from: 0, to: 0 };

  /** 401/403/404 as the Hub gives them, or null when `repo` may be read. */
  function refuse(req: IncomingMessage, res: ServerResponse, name: string): HubRepo | null {
    const repo = repos.get(name);
    if (!repo) {
      send(res, 404, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
      return null;
    }
    const wanted = repo.options.token;
    if (wanted) {
      const auth = req.headers.authorization;
      if (!auth) {
        send(
          res,
          401,
          {
            error: `Access to model ${name} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
          },
          { 'X-Error-Code': 'GatedRepo' },
        );
        return null;
      }
      if (auth !== `Bearer ${wanted}`) {
        send(
          res,
          403,
          {
            error: `Access to model ${name} is restricted and you are not in the authorized list.`,
          },
          { 'X-Error-Code': 'GatedRepo' },
        );
        return null;
      }
    }
    return repo;
  }

  const hub = createServer((req, res) => {
    cors(res);
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const path = decodeURIComponent(url.pathname);
    if (req.method === 'OPTIONS') {
      // The Hub itself answers preflights (an Authorization header needs one).
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, HEAD',
        'Access-Control-Allow-Headers': 'authorization, range, if-range, accept',
        'Access-Control-Max-Age': '0',
      });
      res.end();
      return;
    }
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)$/.exec(path);
    if (api) {
      stats.api.push({
        path: url.pathname + url.search,
        token: Boolean(req.headers.authorization),
      });
      const [, name, kind, rev] = api as unknown as [string, string, string, string];
      const repo = refuse(req, res, name);
      if (!repo) return;
      const sha = repo.resolve(rev);
      if (!sha) {
        send(res, 404, { error: `Invalid rev id: ${rev}` }, { 'X-Error-Code': 'RevisionNotFound' });
        return;
      }
      if (kind === 'revision') {
        send(res, 200, {
          _id: createHash('sha1').update(name).digest('hex').slice(0, 24),
          id: name,
          author: name.split('/')[0],
          sha,
          private: false,
          gated: repo.options.token ? 'manual' : false,
          disabled: false,
          pipeline_tag: repo.options.task ?? 'text-generation',
          library_name: 'transformers.js',
          tags: ['transformers.js', 'onnx', `license:${repo.options.license ?? 'mit'}`],
          cardData: { license: repo.options.license ?? 'mit' },
          siblings: (repo.tree(sha) ?? [])
            .filter((e) => e.type === 'file')
            .map((e) => ({ rfilename: e.path })),
          lastModified: new Date(0).toISOString(),
        });
        return;
      }
      const tree = repo.tree(sha) ?? [];
      const start = Number(url.searchParams.get('cursor') ?? '0') || 0;
      const page = tree.slice(start, start + pageSize);
      const headers: Record<string, string> = {};
      if (start + pageSize < tree.length) {
        const next = new URL(url.pathname + url.search, 'http://hub.invalid');
        next.searchParams.set('cursor', String(start + pageSize));
        headers.Link = `<${hubUrl}${next.pathname}${next.search}>; rel="next"`;
      }
      send(res, 200, page, headers);
      return;
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve && (req.method === 'GET' || req.method === 'HEAD')) {
      const [, name, rev, file] = resolve as unknown as [string, string, string, string];
      stats.resolves.push(`${name}/${rev}/${file}`);
      const repo = refuse(req, res, name);
      if (!repo) return;
      const sha = repo.resolve(rev);
      const found = sha ? repo.blobAt(sha, file) : null;
      if (!sha || !found) {
        send(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
        return;
      }
      const n = resolveCount++;
      const expires =
        n >= expiring.from && n < expiring.to ? Date.now() - 1000 : Date.now() + ttlMs;
      const key = found.blob.key;
      const location = `${storageUrl}/blobs/${key}?Expires=${expires}&Signature=${sign(key, expires)}`;
      const linked = found.entry.lfs ? found.entry.lfs.oid : found.entry.oid;
      res.writeHead(302, {
        Location: location,
        'X-Repo-Commit': sha,
        'X-Linked-Etag': `"${linked}"`,
        'X-Linked-Size': String(found.entry.size),
        ETag: `"${linked}"`,
        'Content-Length': '0',
      });
      res.end();
      return;
    }
    send(res, 404, { error: 'Not found' });
  });

  const storage = createServer((req, res) => {
    if (req.headers.authorization) stats.tokensAtStorage++;
    if (req.method === 'OPTIONS') {
      // Like a storage host whose CORS rules allow simple GETs only: no If-Range from a page.
      stats.refusedPreflights++;
      send(res, 403, 'preflight refused');
      return;
    }
    cors(res);
    const url = new URL(req.url ?? '/', 'http://storage.invalid');
    const match = /^\/blobs\/([0-9a-f]+)$/.exec(url.pathname);
    const expires = Number(url.searchParams.get('Expires'));
    const key = match?.[1] ?? '';
    const signature = url.searchParams.get('Signature') ?? '';
    const expired = Date.now() > expires;
    stats.storage.push({
      key,
      range: req.headers.range ?? null,
      ifRange: (req.headers['if-range'] as string) ?? null,
      expired,
    });
    if (!match || signature !== sign(key, expires)) {
      send(res, 403, 'SignatureDoesNotMatch');
      return;
    }
    if (expired) {
      send(res, 403, 'Request has expired');
      return;
    }
    const blob = [...repos.values()].map((r) => r.blob(key)).find(Boolean);
    if (!blob) {
      send(res, 404, 'NoSuchKey');
      return;
    }
    // An ETag of the stored object, as a CDN gives it: not the file's SHA-256.
    const etag = `"${createHash('md5').update(blob.bytes).digest('hex')}"`;
    const size = blob.bytes.byteLength;
    const headers: Record<string, string> = {
      ETag: etag,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'private, max-age=0',
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && (!ifRange || ifRange === etag)) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
      if (start >= size || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      res.writeHead(206, {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Content-Length': String(end - start + 1),
      });
      res.end(req.method === 'HEAD' ? undefined : blob.bytes.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(size) });
    res.end(req.method === 'HEAD' ? undefined : blob.bytes);
  });

  const hubUrl = await listen(hub, host);
  storageUrl = await listen(storage, host);
  const close = (s: Server) =>
    new Promise<void>((done) => {
      s.closeAllConnections();
      s.close(() => done());
    });
  return {
    url: hubUrl,
    storageUrl,
    stats,
    setUrlTtl: (ms) => {
      ttlMs = ms;
    },
    expireResolves: (from, count) => {
      expiring = { from: resolveCount + from, to: resolveCount + from + count };
    },
    repo: (name) => {
      const repo = repos.get(name);
      if (!repo) throw new Error(`no repo ${name}`);
      return repo;
    },
    close: async () => {
      await Promise.all([close(hub), close(storage)]);
    },
  };
}
