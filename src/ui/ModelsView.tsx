// The models screen: every catalog model with its size and state, a Download
// button, progress (bytes, rate, time left), cancel, and errors in plain words.

import { formatBytes, formatDuration } from '../core/progress';
import {
  cancel,
  catalog,
  catalogError,
  catalogOffline,
  download,
  downloads,
  installed,
  type ModelRow,
  persisted,
} from './state';

export function ModelsView() {
  return (
    <section class="screen" aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      {catalogOffline.value && (
        <p class="note">You are offline: showing the catalog from your last visit.</p>
      )}
      {catalogError.value && catalog.value.length === 0 && (
        <p class="error" role="alert">
          Could not load the model catalog: {catalogError.value}
        </p>
      )}
      <ul class="model-list">
        {catalog.value.map((model) => (
          <ModelCard key={model.id} model={model} />
        ))}
      </ul>
      {persisted.value === false && (
        <p class="note">
          This browser did not grant persistent storage; it may evict models when space runs low.
        </p>
      )}
    </section>
  );
}

function ModelCard({ model }: { model: ModelRow }) {
  const state = downloads.value[model.id];
  const isInstalled = installed.value.some((m) => m.id === model.id && m.version === model.version);
  const progress = state?.progress;
  const fraction =
    progress && progress.totalBytes > 0 ? progress.doneBytes / progress.totalBytes : 0;
  return (
    <li class="model-card" data-testid={`model-${model.id}`}>
      <div class="model-head">
        <h3>{model.name}</h3>
        <span class="model-meta">
          {formatBytes(model.size)} · v{model.version} · {model.framework}
        </span>
      </div>
      {model.description && <p class="model-desc">{model.description}</p>}
      {isInstalled ? (
        <p class="status installed" data-testid="installed">
          Installed
        </p>
      ) : state?.running ? (
        <div class="download">
          <progress
            max={1}
            value={fraction}
            aria-label={`Downloading ${model.name}`}
            data-testid="download-progress"
          />
          <span class="download-text">
            {progress
              ? `${formatBytes(progress.doneBytes)} of ${formatBytes(progress.totalBytes)}` +
                (progress.bytesPerSecond > 0
                  ? ` · ${formatBytes(progress.bytesPerSecond)}/s`
                  : '') +
                (progress.secondsLeft !== null
                  ? ` · ${formatDuration(progress.secondsLeft)} left`
                  : '')
              : 'Starting…'}
          </span>
          <button type="button" onClick={() => void cancel(model)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" class="primary" onClick={() => void download(model)}>
          Download
        </button>
      )}
      {state?.error && (
        <p class="error" role="alert" data-testid="download-error" data-code={state.error.code}>
          {state.error.message}
        </p>
      )}
    </li>
  );
}
