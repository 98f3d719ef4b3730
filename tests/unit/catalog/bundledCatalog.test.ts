// The catalog and config the production build ships (public/): the bundled
// catalog passes the same schema as a host's, lists real Hub models of the
// kinds the issue asks for, and the build's config points at the Hub, not localhost.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../src/core/appConfig';
import { type HubCatalogEntry, isHubEntry, parseCatalog } from '../../../src/core/catalog';

const PUBLIC = join(import.meta.dirname, '..', '..', '..', 'public');
const read = (name: string): unknown => JSON.parse(readFileSync(join(PUBLIC, name), 'utf8'));

describe('public/catalog.json', () => {
  const catalog = parseCatalog(read('catalog.json'), { url: 'https://app.example/catalog.json' });
  const hub = catalog.models.filter(isHubEntry) as HubCatalogEntry[];

  it('lists only Hub models (a manifest entry would have no host)', () => {
    expect(hub).toHaveLength(catalog.models.length);
  });

  it('lists at least ten chat models from at least five publishers and families', () => {
    const chat = hub.filter((m) => m.task === 'text-generation');
    expect(chat.length).toBeGreaterThanOrEqual(10);
    const families = new Set(chat.map((m) => m.id.split(/[-.\d]/)[0]));
    expect(families.size).toBeGreaterThanOrEqual(5);
  });

  it('lists an embedder, an image classifier and one more vision or audio model', () => {
    const tasks = new Set(hub.map((m) => m.task));
    expect(tasks).toContain('feature-extraction');
    expect(tasks).toContain('image-classification');
    const more = ['object-detection', 'image-segmentation', 'automatic-speech-recognition'];
    expect(more.some((t) => tasks.has(t))).toBe(true);
  });

  it('names each repo once', () => {
    const repos = hub.map((m) => m.hub.repo.toLowerCase());
    expect(new Set(repos).size).toBe(repos.length);
  });
});

describe('public/config.json', () => {
  it('names the Hugging Face Hub and no model host', () => {
    expect(parseAppConfig(read('config.json'), 'https://app.example/')).toEqual({
      hubEndpoint: 'https://huggingface.co',
      modelHost: null,
    });
  });

  it('mentions no loopback address', () => {
    const text = readFileSync(join(PUBLIC, 'config.json'), 'utf8');
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|\[::1\]/);
  });
});
