// The Hub models the catalog lists and the Hub endpoint the config names, as
// signals; `refreshCatalog` (state.ts) fills them, the Models screen shows them.

import { signal } from '@preact/signals';
import type { HubCatalogEntry } from '../core/catalog';

export const hubCatalog = signal<HubCatalogEntry[]>([]);
/** Null when the config names no Hub (the tests' demo-only setup): no Hub UI then. */
export const hubEndpoint = signal<string | null>(null);
