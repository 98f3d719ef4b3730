// The chat's state and actions: conversations (kept by the conversation store
// the composition root hands over), the model each one uses, the streaming
// reply, Stop, Regenerate, Continue and edit-and-resend.

import { batch, computed, signal } from '@preact/signals';
import { clampSettings, defaultSettings } from '../core/chatSettings';
import {
  BUILTIN_MODEL_KEY,
  type Conversation,
  matchesSearch,
  promptMessages,
  type StoredMessage,
  titleFrom,
} from '../core/conversation';
import { AppError } from '../core/errors';
import type { GenerationSettings, GenerationStats, TextEngine } from '../inference/types';
import type { ConversationStore } from '../storage/conversationStore';
import type { InstalledModel } from '../storage/db';
import { createFramePacer } from './framePacer';
import { installed, refreshInstalled, verifyWhenIdle } from './installedModels';
import { textLoadRequest } from './modelPlan';
import { preload } from './preload';

/** What the chat is given by the composition root. */
export interface ChatServices {
  /** Runs installed transformers.js models (in a worker). */
  textEngine: TextEngine;
  /** The browser's built-in model (Prompt API): nothing to choose when loading it. */
  builtinEngine: Omit<TextEngine, 'load'> & { load(): Promise<void> };
  conversations: ConversationStore;
  /** Whether the browser's built-in model is ready to use (never starts its download). */
  builtinAvailable(): Promise<boolean>;
  /** A model's suggested settings and whether it is a chat model, read from its files. */
  modelProfile(model: InstalledModel): Promise<{ chat: boolean; settings: GenerationSettings }>;
}

/** A model the chat can use. */
export interface ChatModelOption {
  key: string;
  name: string;
  installed: InstalledModel | null;
}

/** The reply being streamed, kept apart so that a token re-renders one message only. */
export interface StreamingReply {
  conversationId: string;
  messageId: string;
  content: string;
  pieces: number;
  startedAt: number;
}

export const conversations = signal<Conversation[]>([]);
export const currentId = signal<string | null>(null);
export const searchQuery = signal('');
export const generating = signal(false);
/** The reply being streamed, as shown: updated at most once per frame. */
export const streaming = signal<StreamingReply | null>(null);
/** Which message streams, apart from its text: views that only place it do not re-render per token. */
export const streamingMessageId = computed(() => streaming.value?.messageId ?? null);
export const streamingConversationId = computed(() => streaming.value?.conversationId ?? null);
export const modelStatus = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
export const modelError = signal<AppError | null>(null);
export const builtinReady = signal(false);
/** The last conversation deleted, until it is restored or another is deleted. */
export const recentlyDeleted = signal<Conversation | null>(null);
/** What screen readers hear: set once when a reply finishes, never per token. */
export const announcement = signal('');

// The reply as received, ahead of what is shown: a backlog of tokens is one render.
let received: StreamingReply | null = null;
const showReply = createFramePacer<StreamingReply>((reply) => {
  streaming.value = reply;
});

function setReceived(reply: StreamingReply | null): void {
  received = reply;
  if (reply) {
    showReply.push(reply);
  } else {
    showReply.cancel();
    streaming.value = null;
  }
}

export const currentConversation = computed(
  () => conversations.value.find((c) => c.id === currentId.value) ?? null,
);

export const visibleConversations = computed(() =>
  conversations.value.filter((c) => matchesSearch(c, searchQuery.value)),
);

/** Installed text-generation models, plus the browser's own model when it is ready. */
export const chatModels = computed<ChatModelOption[]>(() => {
  const options: ChatModelOption[] = installed.value
    .filter((m) => m.manifest.task === 'text-generation' && m.manifest.framework === 'transformers')
    .map((m) => ({ key: m.key, name: m.manifest.name, installed: m }));
  if (builtinReady.value)
    options.push({ key: BUILTIN_MODEL_KEY, name: 'Built-in browser model', installed: null });
  return options;
});

/**
 * The model chosen outside a conversation ("Start chatting" on a card, the
 * default model, the preloaded one): what a conversation without a model uses.
 */
export const activeModelKey = signal<string | null>(null);

/**
 * The conversation's model; when it has none (or it was deleted), the one
 * chosen outside it, else the first one available.
 */
export const activeModel = computed<ChatModelOption | null>(() => {
  const models = chatModels.value;
  const find = (key: string | null | undefined) => models.find((m) => m.key === key);
  return (
    find(currentConversation.value?.modelKey) ?? find(activeModelKey.value) ?? models[0] ?? null
  );
});

let services: ChatServices | null = null;
let loadedKey: string | null = null;
/**
 * Stop pressed while the model was still loading: the engine has no generation
 * to interrupt yet, so the reply must not start once the load ends.
 */
let stoppedBeforeStart = false;

/** Gives the chat its services (the composition root calls it once). */
export function connectChat(given: ChatServices): void {
  services = given;
}

function chat(): ChatServices {
  if (!services) throw new Error('connectChat() has not been given its services');
  return services;
}

function newId(): string {
  return crypto.randomUUID();
}

/** Loads the stored conversations and whether the built-in model is there; opens the latest. */
export async function initChat(): Promise<void> {
  const [list, builtin] = await Promise.all([
    chat().conversations.list(),
    chat()
      .builtinAvailable()
      .catch(() => false),
  ]);
  batch(() => {
    conversations.value = list;
    builtinReady.value = builtin;
    currentId.value = list[0]?.id ?? null;
  });
}

async function persist(conversation: Conversation): Promise<void> {
  conversations.value = [
    conversation,
    ...conversations.value.filter((c) => c.id !== conversation.id),
  ];
  await chat().conversations.save(conversation);
}

function update(id: string, change: (c: Conversation) => Conversation): Promise<void> {
  const found = conversations.value.find((c) => c.id === id);
  if (!found) return Promise.resolve();
  return persist({ ...change(found), updatedAt: Date.now() });
}

async function settingsFor(option: ChatModelOption | null): Promise<GenerationSettings> {
  if (!option) return defaultSettings({ framework: 'transformers', chat: false });
  if (!option.installed) return defaultSettings({ framework: 'builtin', chat: true });
  return (
    (
      await chat()
        .modelProfile(option.installed)
        .catch(() => null)
    )?.settings ?? defaultSettings({ framework: option.installed.manifest.framework, chat: false })
  );
}

/** Starts an empty conversation with the current model (or the first one). */
export async function newConversation(): Promise<Conversation> {
  const model = activeModel.value;
  const now = Date.now();
  const conversation: Conversation = {
    id: newId(),
    title: 'New chat',
    modelKey: model?.key ?? null,
    // A new conversation starts fresh: no system prompt, the model's own default settings.
    systemPrompt: '',
    settings: await settingsFor(model),
    messages: [],
    createdAt: now,
    updatedAt: now,
  };
  currentId.value = conversation.id;
  await persist(conversation);
  return conversation;
}

export function selectConversation(id: string): void {
  if (generating.value) return;
  currentId.value = id;
}

export function renameConversation(id: string, title: string): Promise<void> {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (clean === '') return Promise.resolve();
  return update(id, (c) => ({ ...c, title: clean }));
}

export async function deleteConversation(id: string): Promise<void> {
  const found = conversations.value.find((c) => c.id === id);
  if (!found || (generating.value && currentId.value === id)) return;
  batch(() => {
    conversations.value = conversations.value.filter((c) => c.id !== id);
    recentlyDeleted.value = found;
    if (currentId.value === id) currentId.value = conversations.value[0]?.id ?? null;
  });
  await chat().conversations.remove(id);
}

/** Brings the last deleted conversation back, exactly as it was. */
export async function undoDelete(): Promise<void> {
  const restored = recentlyDeleted.value;
  if (!restored) return;
  recentlyDeleted.value = null;
  conversations.value = [...conversations.value, restored].sort(
    (a, b) => b.updatedAt - a.updatedAt,
  );
  currentId.value = restored.id;
  await chat().conversations.save(restored);
}

/** Picks the conversation's model; its settings become that model's defaults. */
export async function setModel(key: string): Promise<void> {
  const option = chatModels.value.find((m) => m.key === key) ?? null;
  const conversation = currentConversation.value ?? (await newConversation());
  const settings = await settingsFor(option);
  await update(conversation.id, (c) => ({ ...c, modelKey: key, settings }));
}

/** Opens the chat on model `key`: in the current conversation if it is still empty, else a new one. */
export async function startChatWith(key: string): Promise<void> {
  activeModelKey.value = key;
  const current = currentConversation.value;
  if (current && current.messages.length > 0) await newConversation();
  await setModel(key);
}

export async function setSystemPrompt(text: string): Promise<void> {
  const conversation = currentConversation.value ?? (await newConversation());
  await update(conversation.id, (c) => ({ ...c, systemPrompt: text }));
}

export async function setSettings(
  patch: Partial<Record<keyof GenerationSettings, unknown>>,
): Promise<void> {
  const conversation = currentConversation.value ?? (await newConversation());
  await update(conversation.id, (c) => ({ ...c, settings: clampSettings(patch, c.settings) }));
}

export async function resetSettings(): Promise<void> {
  const conversation = currentConversation.value;
  if (!conversation) return;
  const settings = await settingsFor(activeModel.value);
  await update(conversation.id, (c) => ({ ...c, settings }));
}

/** Sends a new user message and streams the reply. */
export async function send(text: string): Promise<void> {
  if (generating.value || text.trim() === '' || !activeModel.value) return;
  const conversation = currentConversation.value ?? (await newConversation());
  const first = conversation.messages.length === 0;
  const user: StoredMessage = { id: newId(), role: 'user', content: text, createdAt: Date.now() };
  await update(conversation.id, (c) => ({
    ...c,
    modelKey: c.modelKey ?? activeModel.value?.key ?? null,
    title: first && c.title === 'New chat' ? titleFrom(text) : c.title,
    messages: [...c.messages, user],
  }));
  await reply(conversation.id, null);
}

/** Replaces the last reply with a new one. */
export async function regenerate(): Promise<void> {
  const conversation = currentConversation.value;
  if (!conversation || generating.value) return;
  const lastUser = conversation.messages.findLastIndex((m) => m.role === 'user');
  if (lastUser < 0) return;
  await update(conversation.id, (c) => ({ ...c, messages: c.messages.slice(0, lastUser + 1) }));
  await reply(conversation.id, null);
}

/** Edits the last user message and answers it again (what followed it is replaced). */
export async function editAndResend(text: string): Promise<void> {
  const conversation = currentConversation.value;
  if (!conversation || generating.value || text.trim() === '') return;
  const lastUser = conversation.messages.findLastIndex((m) => m.role === 'user');
  if (lastUser < 0) return;
  await update(conversation.id, (c) => ({
    ...c,
    messages: [
      ...c.messages.slice(0, lastUser),
      { ...(c.messages[lastUser] as StoredMessage), content: text },
    ],
  }));
  await reply(conversation.id, null);
}

/** Continues a reply that the length limit cut. */
export async function continueReply(): Promise<void> {
  const conversation = currentConversation.value;
  const last = conversation?.messages.at(-1);
  if (!conversation || generating.value || last?.role !== 'assistant' || last.error) return;
  await reply(conversation.id, last);
}

async function loadModel(
  option: ChatModelOption,
): Promise<Pick<TextEngine, 'generate' | 'interrupt'>> {
  const { textEngine, builtinEngine } = chat();
  const model = option.installed;
  if (!model) {
    if (loadedKey !== option.key) modelStatus.value = 'loading';
    await builtinEngine.load();
    loadedKey = option.key;
    return builtinEngine;
  }
  // A model known damaged is not handed to a runtime: the user is told to repair it.
  if (model.damage) {
    // What is in memory may have been loaded from the damaged bytes: drop it.
    await textEngine.unload();
    loadedKey = null;
    throw new AppError('model-damaged', { id: model.id, files: model.damage.files });
  }
  const firstLoad = loadedKey !== option.key;
  if (firstLoad) modelStatus.value = 'loading';
  await textEngine.load(await textLoadRequest(model.manifest));
  loadedKey = option.key;
  if (firstLoad) verifyWhenIdle(model);
  return textEngine;
}

/**
 * Streams a reply into the conversation: a new message, or more of `continued`.
 * Saved when it ends (however it ends); a reload mid-reply keeps the question.
 */
async function reply(conversationId: string, continued: StoredMessage | null): Promise<void> {
  const option = activeModel.value;
  const conversation = conversations.value.find((c) => c.id === conversationId);
  if (!option || !conversation) return;
  const messageId = continued?.id ?? newId();
  const before = continued?.content ?? '';
  generating.value = true;
  stoppedBeforeStart = false;
  setReceived({ conversationId, messageId, content: before, pieces: 0, startedAt: 0 });
  showReply.flush();
  announcement.value = '';
  let finished: StoredMessage;
  try {
    const engine = await loadModel(option);
    modelStatus.value = 'ready';
    modelError.value = null;
    const handle = stoppedBeforeStart
      ? stoppedHandle()
      : engine.generate(promptMessages(conversation), conversation.settings);
    let content = before;
    let pieces = 0;
    let startedAt = 0;
    for await (const piece of handle.text) {
      if (pieces === 0) startedAt = performance.now();
      pieces++;
      content += piece;
      setReceived({ conversationId, messageId, content, pieces, startedAt });
    }
    const stats = await handle.done;
    finished = {
      id: messageId,
      role: 'assistant',
      content: before + stats.text,
      createdAt: continued?.createdAt ?? Date.now(),
      stats,
    };
    announcement.value = finished.content;
  } catch (error) {
    const appError = AppError.from(error, 'generation-failed');
    if (
      appError.code === 'model-load-failed' ||
      appError.code === 'unsupported-device' ||
      appError.code === 'model-damaged' ||
      appError.code === 'model-not-installed'
    ) {
      modelStatus.value = 'error';
      modelError.value = appError;
      loadedKey = null;
    }
    // The load's size check may have just marked the model damaged: show it on its card.
    if (appError.code === 'model-damaged') void refreshInstalled();
    finished = {
      id: messageId,
      role: 'assistant',
      content: received?.content ?? before,
      createdAt: continued?.createdAt ?? Date.now(),
      error: appError.toJSON(),
      ...(continued?.stats ? { stats: continued.stats } : {}),
    };
    announcement.value = appError.message;
  }
  try {
    await update(conversationId, (c) => ({
      ...c,
      messages: continued
        ? c.messages.map((m) => (m.id === messageId ? finished : m))
        : [...c.messages, finished],
    }));
  } finally {
    // However saving ends, the composer is usable again.
    batch(() => {
      setReceived(null);
      generating.value = false;
    });
  }
}

/**
 * Frees model `key` from memory before its files are deleted: a reply it is
 * writing stops, and the text engine's worker ends if it holds the model
 * (loaded by the chat or warmed up by preloading). The chat then no longer offers it.
 */
export async function releaseModel(key: string): Promise<void> {
  const warm = preload.peek();
  const held = loadedKey === key || ('modelKey' in warm && warm.modelKey === key);
  if (!held) return;
  if (generating.peek() && activeModel.peek()?.key === key) await stop();
  // Queued behind the stopped reply, then the worker is ended.
  await chat().textEngine.unload();
  batch(() => {
    loadedKey = null;
    modelStatus.value = 'idle';
    if (activeModelKey.peek() === key) activeModelKey.value = null;
    if ('modelKey' in warm && warm.modelKey === key) preload.value = { status: 'idle' };
  });
}

/**
 * Frees every model from memory before the page reloads into a new version of
 * the app: a reply stops, and each engine's worker or session ends.
 */
export async function releaseAllModels(): Promise<void> {
  if (generating.peek()) await stop();
  const { textEngine, builtinEngine } = chat();
  await Promise.all([textEngine.unload(), builtinEngine.unload()]);
  batch(() => {
    loadedKey = null;
    modelStatus.value = 'idle';
  });
}

/** A reply stopped before its first token: nothing was generated. */
function stoppedHandle(): ReturnType<TextEngine['generate']> {
  const stats: GenerationStats = {
    text: '',
    tokens: 0,
    timeToFirstTokenMs: 0,
    tokensPerSecond: 0,
    stoppedBy: 'interrupted',
  };
  return { text: (async function* () {})(), done: Promise.resolve(stats) };
}

export function stop(): Promise<void> {
  if (!generating.value) return Promise.resolve();
  // Before the first token the engine may still be loading: remember the stop.
  if (!received?.pieces) stoppedBeforeStart = true;
  const option = activeModel.value;
  const { textEngine, builtinEngine } = chat();
  return (option && !option.installed ? builtinEngine : textEngine).interrupt();
}
