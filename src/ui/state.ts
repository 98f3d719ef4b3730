// The app's state as signals, and the actions that change it. Views read
// signals and call actions; they never talk to workers or storage directly.

import { computed, signal } from '@preact/signals';
import type { CatalogEntry } from '../core/catalog';
import { AppError } from '../core/errors';
import { cancelDownload, startDownload } from '../download/client';
import type { DownloadProgress } from '../download/types';
import { createTextEngine } from '../inference/engines';
import { type ChatMessage, DEFAULT_GENERATION, type GenerationStats } from '../inference/types';
import { type InstalledModel, listInstalledModels } from '../storage/db';
import { loadCatalog } from './catalogSource';

export type Screen = 'chat' | 'models' | 'diagnostics';

export interface ModelRow extends CatalogEntry {
  manifestUrl: string;
}

export interface DownloadState {
  progress: DownloadProgress | null;
  error: AppError | null;
  running: boolean;
}

export interface ChatEntry extends ChatMessage {
  id: number;
  pending?: boolean;
  error?: string;
  stats?: GenerationStats;
}

export const screen = signal<Screen>('models');
export const catalog = signal<ModelRow[]>([]);
export const catalogError = signal<string | null>(null);
export const catalogOffline = signal(false);
export const installed = signal<InstalledModel[]>([]);
export const downloads = signal<Record<string, DownloadState>>({});
export const persisted = signal<boolean | null>(null);
export const activeModelKey = signal<string | null>(null);
export const messages = signal<ChatEntry[]>([]);
export const generating = signal(false);
export const modelStatus = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
export const modelError = signal<string | null>(null);

export const activeModel = computed(
  () => installed.value.find((m) => m.key === activeModelKey.value) ?? installed.value[0] ?? null,
);

export async function refreshInstalled(): Promise<void> {
  installed.value = await listInstalledModels();
}

export async function refreshCatalog(): Promise<void> {
  try {
    const { catalog: data, baseUrl, offline } = await loadCatalog();
    catalog.value = data.models.map((m) => ({
      ...m,
      manifestUrl: new URL(m.manifest, baseUrl).href,
    }));
    catalogOffline.value = offline;
    catalogError.value = null;
  } catch (error) {
    catalogError.value = error instanceof Error ? error.message : String(error);
  }
}

function setDownload(id: string, patch: Partial<DownloadState>) {
  const previous = downloads.value[id] ?? { progress: null, error: null, running: false };
  downloads.value = { ...downloads.value, [id]: { ...previous, ...patch } };
}

export async function download(model: ModelRow): Promise<void> {
  setDownload(model.id, { running: true, error: null, progress: null });
  // Ask the browser not to evict the model under storage pressure.
  persisted.value = (await navigator.storage?.persist?.().catch(() => false)) ?? false;
  try {
    await startDownload(model.manifestUrl, (progress) => setDownload(model.id, { progress }));
    await refreshInstalled();
  } catch (error) {
    const appError = AppError.from(error, 'network');
    if (appError.code !== 'cancelled') setDownload(model.id, { error: appError });
  } finally {
    setDownload(model.id, { running: false });
  }
}

export function cancel(model: ModelRow): Promise<void> {
  return cancelDownload(model.manifestUrl);
}

const engine = createTextEngine('transformers');
let nextMessageId = 1;

function updateMessage(id: number, patch: Partial<ChatEntry>) {
  messages.value = messages.value.map((m) => (m.id === id ? { ...m, ...patch } : m));
}

export async function send(text: string): Promise<void> {
  const model = activeModel.value;
  if (!model || generating.value || text.trim() === '') return;
  const user: ChatEntry = { id: nextMessageId++, role: 'user', content: text };
  const reply: ChatEntry = { id: nextMessageId++, role: 'assistant', content: '', pending: true };
  const history = [...messages.value, user];
  messages.value = [...history, reply];
  generating.value = true;
  try {
    if (modelStatus.value !== 'ready') modelStatus.value = 'loading';
    const variant =
      model.manifest.variants.find((v) => v.backend === 'wasm') ?? model.manifest.variants[0];
    await engine.load({
      id: model.id,
      version: model.version,
      device: 'wasm',
      dtype: variant?.dtype === 'int8' || !variant ? 'q8' : variant.dtype,
    });
    modelStatus.value = 'ready';
    const handle = engine.generate(
      history.map(({ role, content }) => ({ role, content })),
      DEFAULT_GENERATION,
    );
    let content = '';
    for await (const piece of handle.text) {
      content += piece;
      updateMessage(reply.id, { content });
    }
    updateMessage(reply.id, { pending: false, stats: await handle.done });
  } catch (error) {
    const appError = AppError.from(error, 'generation-failed');
    if (appError.code === 'model-load-failed') {
      modelStatus.value = 'error';
      modelError.value = appError.message;
    }
    updateMessage(reply.id, { pending: false, error: appError.message });
  } finally {
    generating.value = false;
  }
}

export function stop(): Promise<void> {
  return engine.interrupt();
}

export function clearChat(): void {
  messages.value = [];
}
