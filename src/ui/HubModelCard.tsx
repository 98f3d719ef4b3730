// A catalog card for a Hub model: its name and repo, sizes from the live Hub
// listing when online (the catalog stores none), whether it is installed or
// its branch has moved (an update), and the way into the Add panel to choose
// a variant and download it.

import { useEffect } from 'preact/hooks';
import type { HubCatalogEntry } from '../core/catalog';
import { AppError } from '../core/errors';
import { formatBytes } from '../core/progress';
import {
  hubInstallState,
  hubListings,
  installedHubModel,
  loadHubListing,
  openHubRepo,
} from './hubState';
import { OpenTaskButton } from './tasks/OpenTaskButton';

export function HubModelCard({ model }: { model: HubCatalogEntry }) {
  const listing = hubListings.value[model.hub.repo];
  useEffect(() => {
    void loadHubListing(model.hub);
  }, [model.hub.repo, model.hub.revision]);
  const report = listing instanceof AppError ? null : (listing ?? null);
  const install = report ? hubInstallState(report) : 'none';
  const sizes = report?.variants.map((v) => v.bytes) ?? [];
  return (
    <li class="model-card" data-testid={`model-${model.id}`} data-source="hub">
      <div class="model-head">
        <h3>{model.name}</h3>
        <span class="model-meta" data-testid="hub-sizes">
          {sizes.length > 0
            ? `${formatBytes(Math.min(...sizes))}–${formatBytes(Math.max(...sizes))} · ${model.task}`
            : listing instanceof AppError
              ? `Sizes need the Hub (offline?) · ${model.task}`
              : `Reading sizes from the Hub… · ${model.task}`}
        </span>
      </div>
      {model.description && <p class="model-desc">{model.description}</p>}
      <p class="note">
        Hugging Face: {model.hub.repo} · {model.hub.revision}
      </p>
      {install === 'update' && (
        <p class="note" data-testid="hub-update">
          Update available: {model.hub.revision} has moved since you installed it.
        </p>
      )}
      <div class="download">
        {install === 'current' && (
          <p class="status installed" data-testid="installed">
            Installed
          </p>
        )}
        {install === 'current' && report && <OpenTaskButton record={installedHubModel(report)} />}
        <button
          type="button"
          class={install === 'none' ? 'primary' : undefined}
          onClick={() => void openHubRepo(model.hub)}
        >
          {install === 'update'
            ? 'Update…'
            : install === 'current'
              ? 'Variants…'
              : 'Choose & download…'}
        </button>
      </div>
    </li>
  );
}
