// The storage bar on the Models screen: bytes used by models, by the app (its
// caches, the catalog, partial downloads), what is still available, whether
// storage is persistent, and a button to ask for persistence.

import { useEffect } from 'preact/hooks';
import { formatBytes } from '../core/progress';
import { installed } from './installedModels';
import { persisted, requestPersistence } from './persistence';
import { refreshStorageEstimate, storageEstimate } from './storageEstimate';

export function StorageBar() {
  const models = installed.value.reduce((sum, m) => sum + m.bytes, 0);
  // Refresh whenever what is installed changes.
  useEffect(() => {
    void refreshStorageEstimate();
  }, [installed.value]);
  const estimate = storageEstimate.value;
  const usage = Math.max(estimate?.usageBytes ?? models, models);
  const app = usage - models;
  const quota = estimate?.quotaBytes ?? null;
  const available = quota === null ? null : Math.max(0, quota - usage);
  const percent = (bytes: number) => (quota ? `${Math.min(100, (bytes / quota) * 100)}%` : '0%');
  return (
    <section class="storage" aria-labelledby="storage-title" data-testid="storage-bar">
      <h3 id="storage-title">Storage</h3>
      {quota !== null && (
        <div class="storage-meter" aria-hidden="true">
          <span class="storage-models" style={{ width: percent(models) }} />
          <span class="storage-app" style={{ width: percent(app) }} />
        </div>
      )}
      <p class="storage-legend">
        <span data-testid="storage-models">Models {formatBytes(models)}</span>
        {' · '}
        <span>App and data {formatBytes(app)}</span>
        {available !== null && (
          <>
            {' · '}
            <span data-testid="storage-available">{formatBytes(available)} available</span>
          </>
        )}
      </p>
      <p class="note" data-testid="persistence">
        {persisted.value === true
          ? 'Storage is persistent: the browser will not evict downloaded models.'
          : persisted.value === false
            ? 'This browser did not grant persistent storage; it may evict models when space runs low.'
            : 'Storage is not persistent yet: the browser may evict models when space runs low.'}
      </p>
      {persisted.value !== true && (
        <button type="button" onClick={() => void requestPersistence()}>
          Keep models when space is low
        </button>
      )}
    </section>
  );
}
