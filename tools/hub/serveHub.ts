// CLI: serves model folders as Hub repos (tools/hub/hubServer.ts) until killed,
// for trying the Hub source by hand: `tsx tools/hub/serveHub.ts --repo owner/name=DIR`.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoFromFolder } from './hubRepos';
import { createHubServer } from './hubServer';

const TINY = resolve(
  import.meta.dirname,
  '../../../shared/models/transformers/tiny-random-llama-fp16',
);

const { values } = parseArgs({
  options: {
    repo: { type: 'string', multiple: true },
    'url-ttl-ms': { type: 'string' },
    'page-size': { type: 'string' },
  },
});
const specs = values.repo?.length ? values.repo : [`test/tiny-random-llama=${TINY}`];
const repos = await Promise.all(
  specs.map((spec) => {
    const [repo, dir] = spec.split('=');
    if (!repo || !dir) throw new Error(`--repo wants owner/name=DIR, got ${spec}`);
    return repoFromFolder({ repo, dir: resolve(dir) });
  }),
);
const hub = await createHubServer({
  repos,
  urlTtlMs: values['url-ttl-ms'] ? Number(values['url-ttl-ms']) : undefined,
  pageSize: values['page-size'] ? Number(values['page-size']) : undefined,
});
console.log(`Hub endpoint ${hub.url} (storage host ${hub.storageUrl})`);
for (const r of repos) console.log(`  ${r.repo} main=${r.branches.get('main')}`);
