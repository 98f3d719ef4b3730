// The "Add a model from the Hub" panel of the Models screen: type or paste
// `owner/name` (and a revision), or open a deep link; it shows what the Hub
// listing holds, each variant's bytes and this device's verdict, before
// anything is downloaded; Download starts the chosen variant; the access
// token (kept on the device) unlocks gated repos.

import { signal } from '@preact/signals';
import type { AppError } from '../core/errors';
import { hubDeepLink, parseHubInput } from '../core/hubRepoRef';
import type { Dtype } from '../core/manifest';
import { formatBytes } from '../core/progress';
import { clearHubToken, hubTokenProblem, saveHubToken } from '../storage/hubTokenStore';
import { downloads } from './downloads';
import { errorText } from './errorText';
import { hubEndpoint } from './hubCatalog';
import {
  closeHubAdd,
  downloadHubVariant,
  type HubReportView,
  hubAdd,
  hubForm,
  hubInstallState,
  hubRowId,
  hubTokenSet,
  installedHubModel,
  NO_HUB,
  openHubRepo,
  type VariantChoice,
} from './hubState';
import { OpenTaskButton } from './tasks/OpenTaskButton';

const chosen = signal<Dtype | null>(null);
const tokenText = signal('');
const tokenNote = signal<string | null>(null);

function lookUp(event: Event) {
  event.preventDefault();
  try {
    const ref = parseHubInput(hubForm.value.repo, hubForm.value.revision);
    chosen.value = null;
    void openHubRepo(ref);
  } catch (error) {
    hubAdd.value = { step: 'editing', problem: error as AppError };
  }
}

export function HubAddView() {
  const state = hubAdd.value;
  if (state.step === 'closed') return null;
  return (
    <section class="hub-add" aria-labelledby="hub-add-title" data-testid="hub-add">
      <div class="model-head">
        <h3 id="hub-add-title">Add a model from Hugging Face</h3>
        <button type="button" class="link" onClick={closeHubAdd}>
          Close
        </button>
      </div>
      <form class="hub-form" onSubmit={lookUp}>
        <label>
          Model (owner/name)
          <input
            name="repo"
            value={hubForm.value.repo}
            placeholder="HuggingFaceTB/SmolLM2-135M-Instruct"
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => (hubForm.value = { ...hubForm.value, repo: e.currentTarget.value })}
          />
        </label>
        <label>
          Revision
          <input
            name="revision"
            value={hubForm.value.revision}
            placeholder="main"
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => (hubForm.value = { ...hubForm.value, revision: e.currentTarget.value })}
          />
        </label>
        <button type="submit" class="primary">
          Look up
        </button>
      </form>
      {state.step === 'editing' && state.problem && (
        <p class="error" role="alert" data-testid="hub-error" data-code={state.problem.code}>
          {inputProblemText(state.problem)}
        </p>
      )}
      {state.step === 'inspecting' && (
        <p class="note" data-testid="hub-inspecting">
          Reading the file list of {state.ref.repo} at {state.ref.revision}…
        </p>
      )}
      {state.step === 'failed' && (
        <p class="error" role="alert" data-testid="hub-error" data-code={state.error.code}>
          {hubErrorText(state.error, state.ref.repo)}
        </p>
      )}
      {state.step === 'found' && <HubReport report={state.report} choices={state.choices} />}
      <TokenSetting open={state.step === 'failed' && state.error.code === 'auth-required'} />
    </section>
  );
}

function HubReport({ report, choices }: { report: HubReportView; choices: VariantChoice[] }) {
  const pick = choices.find((c) => c.dtype === chosen.value) ?? choices.find((c) => c.plan);
  const state = downloads.value[hubRowId(report.repo)];
  const install = hubInstallState(report);
  return (
    <div class="hub-report" data-testid="hub-report" data-commit={report.commit}>
      <p class="note">
        {report.repo} at {report.revision} (commit {report.commit.slice(0, 10)})
        {report.task ? ` · ${report.task}` : ''} · {choices.length} variant
        {choices.length === 1 ? '' : 's'}. Nothing has been downloaded yet.
      </p>
      <fieldset class="variants">
        <legend>Variant</legend>
        {choices.map((c) => (
          <label key={c.dtype} class="variant" data-testid={`variant-${c.dtype}`}>
            <input
              type="radio"
              name="variant"
              value={c.dtype}
              checked={pick?.dtype === c.dtype}
              disabled={!c.plan}
              onChange={() => (chosen.value = c.dtype)}
            />
            <span class="variant-dtype">{c.dtype}</span>
            <span data-testid="variant-bytes" data-bytes={c.bytes}>
              {formatBytes(c.bytes)} download · about {formatBytes(c.memoryBytes)} memory
            </span>
            <span class={c.plan ? 'note' : 'error'} data-testid="variant-verdict">
              {c.verdict}
            </span>
          </label>
        ))}
      </fieldset>
      {install === 'current' ? (
        <div class="actions">
          <p class="status installed" data-testid="hub-installed">
            Installed
          </p>
          <OpenTaskButton record={installedHubModel(report)} />
        </div>
      ) : state?.running ? (
        <p class="note" data-testid="hub-downloading">
          Downloading…{' '}
          {state.progress &&
            `${formatBytes(state.progress.doneBytes)} of ${formatBytes(state.progress.totalBytes)}`}
        </p>
      ) : (
        <button
          type="button"
          class="primary"
          disabled={!pick?.plan}
          data-testid="hub-download"
          onClick={() => pick && void downloadHubVariant(report, pick.dtype)}
        >
          {install === 'update' ? 'Update' : 'Download'}
          {pick ? ` ${pick.dtype} · ${formatBytes(pick.bytes)}` : ''}
        </button>
      )}
      {install === 'update' && (
        <p class="note" data-testid="hub-update">
          Update available: {report.revision} has moved since you installed it.
        </p>
      )}
      {!choices.some((c) => c.plan) && (
        <p class="error" data-testid="hub-cannot-run">
          This device cannot run any variant of this model.
        </p>
      )}
      {state?.error && (
        <p class="error" role="alert" data-testid="download-error" data-code={state.error.code}>
          {hubErrorText(state.error, report.repo)}
        </p>
      )}
      <p class="note">
        Share: <code>{`${location.origin}${location.pathname}${hubDeepLink(report)}`}</code>
      </p>
    </div>
  );
}

function TokenSetting({ open }: { open: boolean }) {
  const save = async (event: Event) => {
    event.preventDefault();
    const problem = hubTokenProblem(tokenText.value.trim());
    if (problem) {
      tokenNote.value = problem;
      return;
    }
    await saveHubToken(tokenText.value);
    tokenText.value = '';
    hubTokenSet.value = true;
    tokenNote.value = `Saved on this device only; it is sent only to ${hubEndpoint.value}.`;
  };
  const remove = async () => {
    await clearHubToken();
    hubTokenSet.value = false;
    tokenNote.value = 'The token was removed from this device.';
  };
  return (
    <details class="hub-token" open={open} data-testid="hub-token">
      <summary>Access token {hubTokenSet.value ? '(saved on this device)' : ''}</summary>
      <p class="note">
        Gated and private models need a Hugging Face access token with read access (create one in
        your Hugging Face settings, under Access Tokens). It stays on this device and is sent only
        to the Hub.
      </p>
      <form class="hub-form" onSubmit={save}>
        <label>
          Token
          <input
            type="password"
            name="token"
            autocomplete="off"
            value={tokenText.value}
            onInput={(e) => (tokenText.value = e.currentTarget.value)}
          />
        </label>
        <button type="submit">Save token</button>
        {hubTokenSet.value && (
          <button type="button" onClick={() => void remove()}>
            Remove token
          </button>
        )}
      </form>
      {tokenNote.value && <p class="note">{tokenNote.value}</p>}
    </details>
  );
}

function inputProblemText(error: AppError): string {
  const { field, problem } = error.details;
  if (typeof problem !== 'string') return errorText(error);
  return field === 'revision' ? `The revision ${problem}.` : `The model name ${problem}.`;
}

/** The Hub's errors in plain words, with what the user can do about each. */
export function hubErrorText(error: AppError, repo: string): string {
  const { code } = error;
  const page = `${hubEndpoint.value ?? 'https://huggingface.co'}/${repo}`;
  if (code === 'auth-required') {
    return (
      `${repo} is gated or private. Open ${page}, sign in and accept its terms (or ask for ` +
      'access), then save an access token below and look it up again.'
    );
  }
  if (error.details.reason === NO_HUB) {
    return 'This copy of the app has no Hugging Face Hub configured (config.json names no hubEndpoint).';
  }
  if (code === 'not-found') {
    return `The Hub has no model ${repo} at that revision. Check the spelling (owner/name) and the branch.`;
  }
  if (code === 'no-runnable-files') {
    return `${repo} has no files this app can run: it needs ONNX weights in the transformers.js layout (an onnx/ folder).`;
  }
  if (code === 'network') {
    return 'The Hub could not be reached. Check your connection and try again.';
  }
  return errorText(error);
}
