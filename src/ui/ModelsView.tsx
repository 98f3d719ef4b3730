// The models screen: every catalog model with its size and state, Download,
// Pause / Resume / Cancel, progress (bytes, rate, time left) per model and
// overall, whether storage is persistent, and typed errors in plain words.

import { signal, useSignalEffect } from '@preact/signals';
import { defaultMessage } from '../core/errors';
import { formatBytes, formatDuration, type ProgressSnapshot, troubleText } from '../core/progress';
import { errorText } from './errorText';
import { HubAddView } from './HubAddView';
import { HubModelCard } from './HubModelCard';
import { hubCatalog } from './hubCatalog';
import { hubAdd, hubAvailable } from './hubState';
import { verdictFor } from './modelPlan';
import {
  cancel,
  catalog,
  catalogError,
  catalogOffline,
  download,
  downloadOwner,
  downloads,
  installed,
  type ModelRow,
  overallProgress,
  pause,
  persisted,
  repair,
  verifications,
  verify,
} from './state';

/** Per model id: how it runs on this device, or why not (filled in after the probe). */
const verdicts = signal<Record<string, { runs: boolean | null; text: string }>>({});

export function ModelsView() {
  const overall = overallProgress.value;
  useSignalEffect(() => {
    for (const row of catalog.value) {
      verdictFor(row).then(
        (verdict) => {
          verdicts.value = { ...verdicts.value, [row.id]: verdict };
        },
        () => {
          // Offline and not installed: the manifest (and so the verdict) is out of reach.
          const text = 'Connect to check whether this device can run it.';
          verdicts.value = { ...verdicts.value, [row.id]: { runs: null, text } };
        },
      );
    }
  });
  return (
    <section class="screen" aria-labelledby="models-title">
      <div class="model-head">
        <h2 id="models-title">Models</h2>
        {hubAvailable() && hubAdd.value.step === 'closed' && (
          <button type="button" onClick={() => (hubAdd.value = { step: 'editing', problem: null })}>
            Add from Hugging Face
          </button>
        )}
      </div>
      <HubAddView />
      {catalogOffline.value && (
        <p class="note">You are offline: showing the catalog from your last visit.</p>
      )}
      {catalogError.value && catalog.value.length === 0 && (
        <p class="error" role="alert">
          Could not load the model catalog: {errorText(catalogError.value)}
        </p>
      )}
      {overall && (
        <p class="note" data-testid="overall-progress">
          All downloads: {progressText(overall)}
        </p>
      )}
      <ul class="model-list">
        {catalog.value.map((model) => (
          <ModelCard key={model.id} model={model} />
        ))}
        {hubAvailable() &&
          hubCatalog.value.map((model) => <HubModelCard key={model.id} model={model} />)}
      </ul>
      {persisted.value === true && (
        <p class="note" data-testid="persistence">
          Storage is persistent: the browser will not evict downloaded models.
        </p>
      )}
      {persisted.value === false && (
        <p class="note" data-testid="persistence">
          This browser did not grant persistent storage; it may evict models when space runs low.
        </p>
      )}
    </section>
  );
}

function progressText(p: ProgressSnapshot): string {
  // A stall is shown the moment it is detected, not as minutes of "0 B/s".
  const trouble = troubleText(p.trouble);
  if (trouble) return `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)} · ${trouble}`;
  return (
    `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}` +
    (p.bytesPerSecond > 0 ? ` · ${formatBytes(p.bytesPerSecond)}/s` : '') +
    (p.secondsLeft !== null && p.bytesPerSecond > 0
      ? ` · ${formatDuration(p.secondsLeft)} left`
      : '')
  );
}

function ModelCard({ model }: { model: ModelRow }) {
  const state = downloads.value[model.id];
  const verdict = verdicts.value[model.id];
  const record = installed.value.find((m) => m.id === model.id && m.version === model.version);
  // A damaged model is not usable: it shows as damaged, never as installed.
  const isInstalled = record !== undefined && !record.damage;
  const check = verifications.value[model.id];
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
      {/* Always one line, so nothing below it moves when the verdict arrives. */}
      <p
        class={verdict?.runs === false ? 'error' : 'note'}
        data-testid="verdict"
        data-state={verdict ? 'known' : 'checking'}
      >
        {verdict?.text ?? 'Checking whether this device can run it…'}
      </p>
      {record?.damage && !state?.running ? (
        <div class="download" data-testid="damaged">
          <p class="status damaged" role="alert">
            Damaged. {defaultMessage('model-damaged')}
          </p>
          <button type="button" class="primary" onClick={() => void repair(model, record)}>
            Repair
          </button>
        </div>
      ) : isInstalled ? (
        <div class="download">
          <p class="status installed" data-testid="installed">
            Installed
            {check?.text && (
              <span class={check.error ? 'error' : 'note'} data-testid="verify-result">
                {' '}
                · {check.text}
              </span>
            )}
          </p>
          <button
            type="button"
            disabled={check?.running === true}
            onClick={() => void verify(record)}
          >
            {check?.running ? 'Verifying…' : 'Verify'}
          </button>
        </div>
      ) : state?.running ? (
        <div class="download">
          <progress
            max={1}
            value={fraction}
            aria-label={`Downloading ${model.name}`}
            data-testid="download-progress"
          />
          <span class="download-text">
            {progress ? progressText(progress) : 'Starting…'}
            {!downloadOwner.value && ' · in another tab'}
          </span>
          <button type="button" onClick={() => pause(model)}>
            Pause
          </button>
          <button type="button" onClick={() => cancel(model)}>
            Cancel
          </button>
        </div>
      ) : state?.paused ? (
        <div class="download">
          {progress && (
            <span class="download-text" data-testid="download-paused">
              Paused at {formatBytes(progress.doneBytes)} of {formatBytes(progress.totalBytes)}
            </span>
          )}
          <button type="button" class="primary" onClick={() => void download(model)}>
            Resume
          </button>
          <button type="button" onClick={() => cancel(model)}>
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
          {downloadErrorText(state.error.code, state.error.message, state.error.details)}
        </p>
      )}
    </li>
  );
}

/** The error's plain message, plus the numbers a user can act on. */
function downloadErrorText(
  code: string,
  message: string,
  details: Record<string, unknown>,
): string {
  if (code === 'insufficient-storage' && typeof details.needed === 'number') {
    const available =
      typeof details.available === 'number' ? `, ${formatBytes(details.available)} available` : '';
    return `${message} (${formatBytes(details.needed)} needed${available}.)`;
  }
  if (code === 'http-status' && typeof details.status === 'number') {
    return `${message} (HTTP ${details.status}.) You can resume the download.`;
  }
  if (code === 'validation-failed' || code === 'server-changed') {
    return `${message} You can resume the download; damaged parts are fetched again.`;
  }
  return message;
}
