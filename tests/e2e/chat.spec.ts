// The chat in real Chromium with the demo model: conversations that survive a
// reload, a prompt ten times longer than the model's context, the reply
// actions, the keyboard (IME composition included), and 500 messages.

import type { Page } from '@playwright/test';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { greedyContinuation } from '../../tools/llama2c/reference';
import { expect, test } from '../support/fixtures';
import { measureMainThread } from '../support/mainThreadTasks';

const PROMPT = 'Once upon a time, there was a little dog';
/** The demo model's context window (its config's max_position_embeddings). */
const CONTEXT = 512;

async function installDemo(page: Page, appUrl: string) {
  await page.goto(appUrl);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
}

async function ask(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await waitForReply(page);
}

async function waitForReply(page: Page) {
  await expect(page.locator('.message[data-role="assistant"]').last()).toHaveAttribute(
    'data-state',
    /^(done|error)$/,
    // Generous: the shared test machine can be many times slower than a phone.
    { timeout: 180_000 },
  );
}

/** Opens the settings panel (it keeps its open state across conversations). */
async function openSettings(page: Page) {
  await page.locator('details.chat-settings').evaluate(
    (d) => {
      (d as HTMLDetailsElement).open = true;
    },
    undefined,
    { timeout: 30_000 },
  );
}

const titles = (page: Page) => page.getByTestId('conversation').locator('.conversation-title');

test.describe.configure({ timeout: 600_000 });

test('conversations survive a reload with their model, system prompt and settings; rename, search, delete and undo', async ({
  page,
  servers,
}) => {
  await installDemo(page, servers.app.url);
  await ask(page, PROMPT);
  const expected = greedyContinuation(PROMPT, DEFAULT_GENERATION.maxNewTokens).text;
  await expect(page.locator('.message[data-role="assistant"] .message-text')).toHaveText(expected);
  await openSettings(page);
  await page.getByRole('textbox', { name: 'System prompt' }).fill('Tell gentle stories.');
  await page.getByRole('textbox', { name: 'System prompt' }).blur();

  await page.getByRole('button', { name: 'New chat' }).click();
  await ask(page, 'The cat sat');
  await openSettings(page);
  const temperature = page.getByRole('spinbutton', { name: /Temperature/ });
  await temperature.fill('0.5');
  await temperature.blur();

  await page.getByRole('button', { name: `Rename ${PROMPT}` }).click();
  await page.getByRole('textbox', { name: 'Conversation name' }).fill('Dog story');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(titles(page)).toHaveText(['Dog story', 'The cat sat']);

  await page.reload();
  await expect(page.getByRole('region', { name: 'Chat' })).toBeVisible();
  await expect(titles(page)).toHaveText(['Dog story', 'The cat sat']);
  // Exactly what was there: the messages, the model, the system prompt and the settings.
  await titles(page).filter({ hasText: 'Dog story' }).click();
  await expect(page.locator('.message[data-role="user"] .message-text')).toHaveText(PROMPT);
  await expect(page.locator('.message[data-role="assistant"] .message-text')).toHaveText(expected);
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('stories260k@1.0.0');
  await openSettings(page);
  await expect(page.getByRole('textbox', { name: 'System prompt' })).toHaveValue(
    'Tell gentle stories.',
  );
  await expect(page.getByRole('spinbutton', { name: /Temperature/ })).toHaveValue('0');
  await titles(page).filter({ hasText: 'The cat sat' }).click();
  await openSettings(page);
  await expect(page.getByRole('spinbutton', { name: /Temperature/ })).toHaveValue('0.5');
  await expect(page.getByRole('textbox', { name: 'System prompt' })).toHaveValue('');

  // Search looks in the messages, not only the titles.
  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  await search.fill('little DOG');
  await expect(titles(page)).toHaveText(['Dog story']);
  await search.fill('');

  await page.getByRole('button', { name: 'Delete Dog story' }).click();
  await expect(titles(page)).toHaveText(['The cat sat']);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(titles(page)).toHaveText(['Dog story', 'The cat sat']);
  await page.reload();
  await expect(titles(page)).toHaveText(['Dog story', 'The cat sat']);
  await page.getByRole('button', { name: 'Delete Dog story' }).click();
  await expect(titles(page)).toHaveText(['The cat sat']);
  await page.reload();
  await expect(titles(page)).toHaveText(['The cat sat']);
});

test('a prompt ten times longer than the demo model’s context is a plain prompt-too-long error, and the chat goes on', async ({
  page,
  servers,
}) => {
  await installDemo(page, servers.app.url);
  const long = 'Once upon a time there was a little dog who liked to run. '.repeat(500);
  await ask(page, long);
  const reply = page.locator('.message[data-role="assistant"]').last();
  await expect(reply).toHaveAttribute('data-state', 'error');
  const error = reply.locator('.error');
  await expect(error).toHaveAttribute('data-code', 'prompt-too-long');
  await expect(error).toContainText('too long for this model');
  const counted = /about (\d+) tokens; this model reads at most (\d+)/.exec(
    (await error.textContent()) ?? '',
  );
  expect(Number(counted?.[2])).toBe(CONTEXT);
  expect(Number(counted?.[1])).toBeGreaterThanOrEqual(10 * CONTEXT);
  // The runtime never saw it: the same model answers the next message as the reference does.
  await ask(page, PROMPT);
  await expect(page.locator('.message[data-role="assistant"] .message-text').last()).toHaveText(
    greedyContinuation(PROMPT, DEFAULT_GENERATION.maxNewTokens).text,
  );
});

test('a reply cut by the length limit says so and continues; Regenerate and edit-and-resend replace the reply', async ({
  page,
  servers,
}) => {
  await installDemo(page, servers.app.url);
  await ask(page, PROMPT);
  const reply = page.locator('.message[data-role="assistant"]').last();
  const first = (await reply.locator('.message-text').textContent()) ?? '';
  await expect(reply.getByTestId('length-note')).toBeVisible();
  await reply.getByRole('button', { name: 'Continue' }).click();
  await waitForReply(page);
  await expect(page.locator('.message[data-role="assistant"]')).toHaveCount(1);
  const continued = (await reply.locator('.message-text').textContent()) ?? '';
  expect(continued.startsWith(first)).toBe(true);
  expect(continued.length).toBeGreaterThan(first.length);

  await reply.getByRole('button', { name: 'Regenerate' }).click();
  await waitForReply(page);
  await expect(page.locator('.message')).toHaveCount(2);
  // Greedy decoding: the regenerated reply is the first one again.
  await expect(reply.locator('.message-text')).toHaveText(first);

  await page.locator('.message[data-role="user"]').getByRole('button', { name: 'Edit' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toHaveValue(PROMPT);
  await box.fill('Once upon a time, there was a big cat');
  await page.getByRole('button', { name: 'Ask again' }).click();
  await waitForReply(page);
  await expect(page.locator('.message')).toHaveCount(2);
  await expect(page.locator('.message[data-role="user"] .message-text')).toHaveText(
    'Once upon a time, there was a big cat',
  );
  await expect(reply.locator('.message-text')).toHaveText(
    greedyContinuation('Once upon a time, there was a big cat', DEFAULT_GENERATION.maxNewTokens)
      .text,
  );
});

test('Enter sends, Shift+Enter breaks the line, nothing is sent while composing; a finished reply is announced once', async ({
  page,
  servers,
}) => {
  await installDemo(page, servers.app.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await page.keyboard.type('Once upon a time,');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('there was');
  await expect(box).toHaveValue('Once upon a time,\nthere was');

  // An IME composition in progress: its Enter confirms the text, it does not send.
  const kept = await page.evaluate(() => {
    const el = document.querySelector('textarea') as HTMLTextAreaElement;
    el.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
    el.dispatchEvent(
      new KeyboardEvent('keydown', {
        key: 'Enter',
        code: 'Enter',
        isComposing: true,
        bubbles: true,
        cancelable: true,
      }),
    );
    el.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '' }));
    return el.value;
  });
  expect(kept).toBe('Once upon a time,\nthere was');

  // Count what screen readers are told: the live region changes once, with the whole reply.
  await page.evaluate(() => {
    const region = document.querySelector('[data-testid="chat-announcer"]') as HTMLElement;
    const seen: string[] = [];
    new MutationObserver(() => {
      if (region.textContent) seen.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
    (window as unknown as { announced: string[] }).announced = seen;
  });
  await page.keyboard.press('Enter');
  await waitForReply(page);
  await expect(page.locator('.message[data-role="user"]')).toHaveCount(1);
  await expect(page.locator('.message[data-role="user"] .message-text')).toHaveText(
    'Once upon a time,\nthere was',
  );
  const reply = await page.locator('.message[data-role="assistant"] .message-text').textContent();
  const announced = await page.evaluate(
    () => (window as unknown as { announced: string[] }).announced,
  );
  expect(announced).toEqual([reply]);
  await expect(page.locator('.messages')).not.toHaveAttribute('aria-live', /.*/);
});

test('Escape stops a streaming reply', async ({ page, servers }) => {
  await installDemo(page, servers.app.url);
  // Settings belong to a conversation: start one, then ask for a long reply
  // (room for everything the context leaves).
  await page.getByRole('button', { name: 'New chat' }).click();
  await openSettings(page);
  const max = page.getByRole('spinbutton', { name: 'Max new tokens' });
  await max.fill('8000');
  await max.blur();
  await page.getByRole('textbox', { name: 'Message' }).fill(PROMPT);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('live-rate')).toBeVisible({ timeout: 180_000 });
  await page.keyboard.press('Escape');
  await waitForReply(page);
  await expect(page.locator('.message[data-role="assistant"] .message-stats')).toContainText(
    'stopped',
  );
});

test('Stop pressed while the model is still loading: the reply never starts', async ({
  page,
  servers,
}) => {
  await installDemo(page, servers.app.url);
  await page.getByRole('textbox', { name: 'Message' }).fill(PROMPT);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  // At once: the first message of a visit loads the model before any token.
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await waitForReply(page);
  await expect(page.locator('.message[data-role="assistant"] .message-stats')).toContainText(
    'stopped',
  );
});

test('500 messages: no main-thread task does 50 ms of work while typing and scrolling (long tasks reported)', async ({
  page,
  context,
  servers,
}) => {
  await installDemo(page, servers.app.url);
  // Seed a conversation of 500 messages, as the store keeps them.
  await page.evaluate(async () => {
    const messages = Array.from({ length: 500 }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 ? 'assistant' : 'user',
      content:
        i % 2
          ? `Reply ${i}: a **bold** word, a list:\n\n- one\n- two\n\n\`\`\`js\nconst n = ${i};\n\`\`\``
          : `Question ${i}: what comes next in the story?`,
      createdAt: i,
    }));
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('runanywhere');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('conversations', 'readwrite');
      tx.objectStore('conversations').put({
        id: 'long',
        title: 'Long conversation',
        modelKey: 'stories260k@1.0.0',
        systemPrompt: '',
        settings: { maxNewTokens: 128, temperature: 0, topP: 0.9, topK: 40, repetitionPenalty: 1 },
        messages,
        createdAt: 1,
        updatedAt: Date.now(),
      });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  });
  await page.reload();
  await expect(page.locator('.message')).toHaveCount(500);
  await page.waitForTimeout(500);

  const box = page.getByRole('textbox', { name: 'Message' });
  const typing = await measureMainThread(context, page, async () => {
    await box.click();
    await page.keyboard.type('abcdefghij');
    await expect(box).toHaveValue('abcdefghij');
  });
  const scrolling = await measureMainThread(context, page, async () => {
    await page.locator('.messages').hover();
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -1500);
    await page.waitForTimeout(300);
  });
  const position = await page
    .locator('.messages')
    .evaluate((el) => ({ top: el.scrollTop, bottom: el.scrollHeight - el.clientHeight }));
  console.log(
    `500 messages: typing 10 characters: ${typing.summary}; ` +
      `scrolling: ${scrolling.summary} (scrollTop ${position.top} of ${position.bottom})`,
  );
  // No task of the page's own does 50 ms of work (CPU time: see chat-longtasks.spec.ts).
  expect(typing.maxTaskCpuMs).toBeLessThan(50);
  expect(scrolling.maxTaskCpuMs).toBeLessThan(50);
  // The list opened at its end and the wheel moved it up: scrolling reached the list.
  expect(position.bottom).toBeGreaterThan(0);
  expect(position.top).toBeLessThan(position.bottom);
});
