// Model output is untrusted: replies rendered by the real ChatMessage
// component (marked + DOMPurify) in real Chromium. Hostile payloads of every
// kind set a global flag or open a dialog if they run; neither happens, and no
// element carries an event-handler attribute, a script, SVG or MathML.

import { expect, test } from '../support/fixtures';

interface Harness {
  renderReplies(texts: string[]): void;
}

// Each payload, if it ran, sets window.pwned (or opens a dialog).
const PAYLOADS = [
  '<script>window.pwned = "script"</script>',
  'Hello <img src=x onerror="window.pwned = \'img\'">',
  '<div onmouseover="window.pwned=\'div\'" onclick="window.pwned=\'div\'">hover me</div>',
  '[click me](javascript:window.pwned="js-link")',
  '[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQucHduZWQ9ImRhdGEiPC9zY3JpcHQ+)',
  '<a href="javascript:alert(1)">raw js link</a>',
  '![image](javascript:window.pwned="image")',
  '<svg onload="window.pwned=\'svg\'"><script>window.pwned="svg-script"</script></svg>',
  '<svg><a xlink:href="javascript:window.pwned=\'svg-link\'"><text>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.pwned=\'math\'">',
  '<math href="javascript:window.pwned=\'math-href\'">m</math>',
  '<iframe srcdoc="<script>parent.pwned=\'iframe\'</script>"></iframe>',
  '<details open ontoggle="window.pwned=\'details\'">x</details>',
  '<form><button formaction="javascript:window.pwned=\'form\'">go</button></form>',
  '```html\n<script>window.pwned="code"</script>\n```',
  '<a href="&#106;avascript:window.pwned=\'entity\'">entity link</a>',
  '[entity md](&#106;avascript:window.pwned="entity-md")',
  '<object data="data:text/html,<script>parent.pwned=1</script>"></object>',
];

test('hostile Markdown in a reply runs nothing and keeps no handlers, scripts, SVG or MathML', async ({
  page,
  servers,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${servers.harness.url}chat.html`);
  await page.waitForFunction(() => 'harness' in window);
  await page.evaluate((payloads) => {
    (window as unknown as { harness: Harness }).harness.renderReplies(payloads);
  }, PAYLOADS);
  await expect(page.locator('.message')).toHaveCount(PAYLOADS.length);

  // Give handlers every chance: hover and click everything, let loads fire.
  for (const el of await page.locator('.message-text *').all()) {
    await el.hover({ force: true, timeout: 1000 }).catch(() => {});
  }
  for (const link of await page.locator('.message-text a').all()) {
    await link.click({ modifiers: [], noWaitAfter: true, timeout: 1000 }).catch(() => {});
  }
  await page.waitForTimeout(300);

  const found = await page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('#app *'));
    return {
      pwned: (window as unknown as { pwned?: unknown }).pwned ?? null,
      handlers: all.flatMap((el) =>
        Array.from(el.attributes)
          .filter((a) => a.name.startsWith('on'))
          .map((a) => `${el.tagName}[${a.name}]`),
      ),
      forbidden: all
        .filter((el) => /^(script|svg|math|iframe|object|embed|img|style|form)$/i.test(el.tagName))
        .map((el) => el.tagName),
      badLinks: all
        .map((el) => el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? '')
        .filter((href) => /^\s*(javascript|data|vbscript):/i.test(href)),
      text: document.querySelector('#app')?.textContent ?? '',
    };
  });
  expect(found.pwned).toBeNull();
  expect(dialogs).toEqual([]);
  expect(found.handlers).toEqual([]);
  expect(found.forbidden).toEqual([]);
  expect(found.badLinks).toEqual([]);
  // Raw HTML the model wrote is shown as text, not dropped: the reader sees what was sent.
  expect(found.text).toContain('<script>window.pwned = "script"</script>');
  expect(page.url()).toContain('chat.html');
});

test('Markdown renders code blocks with a copy button, lists, tables and safe links', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}chat.html`);
  await page.waitForFunction(() => 'harness' in window);
  const reply = [
    'Steps:',
    '',
    '1. one',
    '2. two',
    '',
    '| a | b |',
    '|---|---|',
    '| 1 | 2 |',
    '',
    '```js',
    'const x = "<b>";',
    '```',
    '',
    'See [the docs](https://example.com/docs).',
  ].join('\n');
  await page.evaluate((text) => {
    (window as unknown as { harness: Harness }).harness.renderReplies([text]);
  }, reply);
  const text = page.locator('.message-text');
  await expect(text.locator('ol > li')).toHaveCount(2);
  await expect(text.locator('table td')).toHaveText(['1', '2']);
  await expect(text.locator('pre code')).toHaveText('const x = "<b>";');
  await expect(text.locator('.code-block button')).toHaveText('Copy');
  const link = text.locator('a');
  await expect(link).toHaveAttribute('href', 'https://example.com/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
});
