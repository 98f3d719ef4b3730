// The models screen: every catalog model with its size and state, Download,
// Pause / Resume / Cancel, progress (bytes, rate, time left) per model and
// overall, "Reconnecting…" while a broken download waits for the network,
// installed models (size on disk, last used, Start chatting, Verify, Delete),
// the storage bar, and typed errors in plain words.

import { signal, useSignal, useSignalEffect } from '@preact/signals';
import { defaultMessage } from '../core/errors';
import { formatBytes, formatDuration, type ProgressSnapshot, troubleText } from '../core/progress';
import { taskScreenOf } from '../core/tasks/taskScreen';
import type { InstalledModel } from '../storage/db';
import {
  catalog,
  catalogError,
  catalogOffline,
  catalogRetryAt,
  type ModelRow,
  refreshCatalog,
} from './catalogState';
import { startChatWith } from './chatState';
import {
  cancel,
  download,
  downloadOwner,
  downloads,
  overallProgress,
  pause,
  repair,
} from './downloads';
import { errorText } from './errorText';
import { HubAddView } from './HubAddView';
import { HubModelCard } from './HubModelCard';
import { hubCatalog } from './hubCatalog';
import { hubAdd, hubAvailable } from './hubState';
import { installed, removeInstalled, verifications, verify } from './installedModels';
import { verdictFor } from './modelPlan';
import { online } from './online';
import { preload } from './preload';
import { StorageBar } from './StorageBar';
import { screen } from './screen';
import { lastUsed } from './settings';
import { OpenTaskButton } from './tasks/OpenTaskButton';

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
        <div class="download" data-testid="catalog-error">
          <p class="error" role="alert">
            Could not load the model catalog: {errorText(catalogError.value)}
            {catalogRetryAt.value !== null && ' Trying again by itself…'}
          </p>
          <button type="button" class="primary" onClick={() => void refreshCatalog()}>
            Retry
          </button>
        </div>
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
      <StorageBar />
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
        <InstalledPanel model={model} record={record} />
      ) : state?.running ? (
        <div class="download">
          {state.reconnecting && (
            <span class="download-text" data-testid="reconnecting">
              Reconnecting…
            </span>
          )}
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
            <progress
              max={1}
              value={fraction}
              aria-label={`${model.name}, paused`}
              data-testid="download-progress"
            />
          )}
          {state.reconnecting ? (
            <span class="download-text" data-testid="reconnecting">
              Reconnecting…
              {progress &&
                ` ${formatBytes(progress.doneBytes)} of ${formatBytes(progress.totalBytes)} kept`}
            </span>
          ) : (
            progress && (
              <span class="download-text" data-testid="download-paused">
                Paused at {formatBytes(progress.doneBytes)} of {formatBytes(progress.totalBytes)}
              </span>
            )
          )}
          <button
            type="button"
            class="primary"
            disabled={!online.value}
            onClick={() => void download(model)}
          >
            Resume
          </button>
          <button type="button" onClick={() => cancel(model)}>
            Cancel
          </button>
        </div>
      ) : online.value ? (
        <button type="button" class="primary" onClick={() => void download(model)}>
          Download
        </button>
      ) : (
        <p class="note">Connect to the internet to download it.</p>
      )}
      {state?.error && !state.reconnecting && (
        <p class="error" role="alert" data-testid="download-error" data-code={state.error.code}>
          {downloadErrorText(state.error.code, state.error.message, state.error.details)}
        </p>
      )}
    </li>
  );
}

/** An installed model: what it occupies, when it was used, and what can be done with it. */
function InstalledPanel({ model, record }: { model: ModelRow; record: InstalledModel }) {
  const check = verifications.value[model.id];
  const confirming = useSignal(false);
  const deleting = useSignal(false);
  const used = lastUsed.value[record.key];
  const warm = preload.value;
  const startChatting = () => {
    void startChatWith(record.key);
    screen.value = 'chat';
  };
  return (
    <div class="installed-panel">
      <p class="status installed" data-testid="installed">
        Installed
        {check?.text && (
          <span class={check.error ? 'error' : 'note'} data-testid="verify-result">
            {' '}
            · {check.text}
          </span>
        )}
      </p>
      <p class="model-meta" data-testid="installed-details">
        {formatBytes(record.bytes)} on disk · v{record.version}
        {' · '}
        {used ? `last used ${new Date(used).toLocaleString()}` : 'not used yet'}
        {warm.status === 'ready' && warm.modelKey === record.key && (
          <span data-testid="preloaded">
            {' '}
            · preloaded while idle: {formatDuration(warm.loadMs / 1000)} of loading saved
          </span>
        )}
      </p>
      {confirming.value ? (
        <div class="actions" data-testid="delete-confirm">
          <p>
            Delete {model.name}? This frees {formatBytes(record.bytes)}; downloading it again needs
            the network.
          </p>
          <button
            type="button"
            class="danger"
            disabled={deleting.value}
            onClick={async () => {
              deleting.value = true;
              await removeInstalled(record).finally(() => {
                deleting.value = false;
                confirming.value = false;
              });
            }}
          >
            {deleting.value ? 'Deleting…' : 'Delete model'}
          </button>
          <button type="button" onClick={() => (confirming.value = false)}>
            Keep
          </button>
        </div>
      ) : (
        <div class="actions">
          {taskScreenOf(record.manifest) ? (
            <OpenTaskButton record={record} />
          ) : (
            <button type="button" class="primary" onClick={startChatting}>
              Start chatting
            </button>
          )}
          <button
            type="button"
            disabled={check?.running === true}
            onClick={() => void verify(record)}
          >
            {check?.running ? 'Verifying…' : 'Verify'}
          </button>
          <button type="button" onClick={() => (confirming.value = true)}>
            Delete
          </button>
        </div>
      )}
    </div>
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
