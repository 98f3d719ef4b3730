// A chat-template model in real Chromium: the stories260K weights with a ChatML
// template (tools/hub/storiesChatRepo.ts). The ids the model receives must be the
// template's rendering, tokenised by the independent llama2.c tokenizer, and the
// reply the reference model's greedy continuation of exactly those ids.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ChatMessage } from '../../src/inference/types';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { MODELS_ROOT } from '../../tools/demo-model';
import { chatmlText, storiesChatFiles } from '../../tools/hub/storiesChatRepo';
import { greedyContinuationOfIds, loadReference } from '../../tools/llama2c/reference';
import { createModelServer } from '../../tools/serve/modelServer';
import { expect, test } from '../support/fixtures';
import { call, type ModelServer, SHARED_MODELS_MISSING, value } from './runtimesSupport';

test.skip(SHARED_MODELS_MISSING !== null, SHARED_MODELS_MISSING ?? '');

/** Named as a Hub install is (`owner--name-dtype`): transformers.js once refused such ids. */
const MODEL = {
  id: 'test--stories-chat-fp32',
  version: '0.0.0-c0123456789ab',
  device: 'wasm',
  dtype: 'fp32',
} as const;
const SETTINGS = { ...DEFAULT_GENERATION, maxNewTokens: 40 };
/** The converted model's window (max_position_embeddings and model_max_length). */
const CONTEXT_TOKENS = 512;

let folder: string;
let served: ModelServer;
let paths: string[];
test.beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'stories-chat-'));
  const files = await storiesChatFiles(join(MODELS_ROOT, 'stories260k', '1.0.0'));
  paths = Object.keys(files);
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), bytes);
  }
  served = await createModelServer({ root: folder });
});
test.afterAll(async () => {
  await served?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The rendering tokenised by llama2.c's encoder: no BOS, as ChatML adds none. */
const templatedIds = (messages: ChatMessage[]) =>
  loadReference().tokenizer.encode(chatmlText(messages), { bos: false });

async function loadChatModel(page: Parameters<typeof call>[0], harnessUrl: string) {
  await page.goto(`${harnessUrl}runtimes.html`);
  value(
    await call(page, 'store', `${served.url.replace(/\/$/, '')}/`, MODEL.id, MODEL.version, paths),
  );
  value(await call(page, 'loadSpiedText', MODEL));
}

test('chat template: a system prompt and a question reach the model as the ChatML rendering, and the reply is the reference continuation', async ({
  page,
  servers,
}) => {
  await loadChatModel(page, servers.harness.url);
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You tell short stories to children.' },
    { role: 'user', content: 'Once upon a time, there was a little dog' },
  ];
  const expectedIds = templatedIds(messages);
  const { pieces, stats, received } = value(await call(page, 'generateSpied', messages, SETTINGS));
  expect(received).toEqual([expectedIds]);
  // The plain-prompt path (the last message, with BOS) would have sent other ids.
  expect(expectedIds).not.toEqual(loadReference().tokenizer.encode(messages[1]?.content ?? ''));
  expect(stats.context).toMatchObject({ promptTokens: expectedIds.length, droppedMessages: 0 });
  const reference = greedyContinuationOfIds(expectedIds, SETTINGS.maxNewTokens);
  expect(reference.text.length).toBeGreaterThan(20);
  expect(stats.text).toBe(reference.text);
  expect(pieces.join('')).toBe(reference.text);
});

test('chat template: a second turn renders the first question and reply before the new question', async ({
  page,
  servers,
}) => {
  await loadChatModel(page, servers.harness.url);
  const first: ChatMessage[] = [
    { role: 'system', content: 'You tell short stories.' },
    { role: 'user', content: 'Tell me about a cat.' },
  ];
  const reply = value(await call(page, 'generateSpied', first, SETTINGS)).stats.text;
  const second: ChatMessage[] = [
    ...first,
    { role: 'assistant', content: reply },
    { role: 'user', content: 'What did the cat eat?' },
  ];
  const expectedIds = templatedIds(second);
  const { stats, received } = value(await call(page, 'generateSpied', second, SETTINGS));
  expect(received).toEqual([expectedIds]);
  expect(chatmlText(second)).toContain(
    `<|im_start|>assistant\n${reply}<|im_end|>\n<|im_start|>user\nWhat did the cat eat?`,
  );
  expect(stats.text).toBe(greedyContinuationOfIds(expectedIds, SETTINGS.maxNewTokens).text);
});

test('chat template: context fitting counts the templated tokens, dropping the oldest turns the template pushes out', async ({
  page,
  servers,
}) => {
  await loadChatModel(page, servers.harness.url);
  const system: ChatMessage = { role: 'system', content: 'You tell short stories.' };
  const history: ChatMessage[] = [];
  for (let turn = 0; turn < 8; turn++) {
    history.push({ role: 'user', content: `Question ${turn}: what did the dog see in the park?` });
    history.push({ role: 'assistant', content: `The dog saw a big red ball number ${turn}.` });
  }
  history.push({ role: 'user', content: 'And then?' });
  const messages = [system, ...history];

  // The rule restated: keep the system prompt and the latest turns (from a user
  // message) whose rendering leaves room for the reply.
  const budget = CONTEXT_TOKENS - SETTINGS.maxNewTokens;
  const keptFrom = (count: (m: ChatMessage[]) => number) => {
    for (let start = 0; start < history.length; start += 2) {
      if (count([system, ...history.slice(start)]) <= budget) return start;
    }
    return history.length - 1;
  };
  const dropped = keptFrom((m) => templatedIds(m).length);
  const plainTokens = (m: ChatMessage[]) =>
    m.reduce((n, x) => n + loadReference().tokenizer.encode(x.content, { bos: false }).length, 0);
  // The case discriminates: counting message text alone would keep more turns.
  expect(dropped).toBeGreaterThan(0);
  expect(keptFrom(plainTokens)).toBeLessThan(dropped);

  const expectedIds = templatedIds([system, ...history.slice(dropped)]);
  const { stats, received } = value(await call(page, 'generateSpied', messages, SETTINGS));
  expect(received).toEqual([expectedIds]);
  expect(stats.context).toEqual({
    contextTokens: CONTEXT_TOKENS,
    promptTokens: expectedIds.length,
    droppedMessages: dropped,
  });
  expect(stats.text).toBe(greedyContinuationOfIds(expectedIds, SETTINGS.maxNewTokens).text);
});
