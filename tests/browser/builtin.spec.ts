// The built-in model (Prompt API) in every state the browser can be in. The
// page's `LanguageModel` is replaced before any script runs (absent, or a fake
// of the documented shape), and the real probe, planner and engine run on it.

import type { Page } from '@playwright/test';
import type { ModelPlanResult, PlannerModel } from '../../src/core/planner';
import type { ProbeReport } from '../../src/core/probeReport';
import type { GenerationSettings } from '../../src/inference/types';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { expect, test } from '../support/fixtures';
import { builtinNano } from '../unit/planner/catalog';
import { call, value } from './runtimesSupport';

type State = 'unavailable' | 'downloadable' | 'downloading' | 'available';

interface FakeCall {
  fn: string;
  args: unknown;
}

/**
 * Runs in the page before its scripts: removes `LanguageModel`, or installs a
 * fake that answers `availability()` with `state` and streams `pieces`.
 * Every call it receives is recorded in `__promptApiCalls`.
 */
function controlPromptApi(spec: { state: State | 'absent'; pieces: string[] }) {
  const scope = globalThis as Record<string, unknown>;
  delete scope.LanguageModel;
  if (spec.state === 'absent') return;
  const calls: FakeCall[] = [];
  scope.__promptApiCalls = calls;
  scope.LanguageModel = {
    async availability(options?: unknown) {
      calls.push({ fn: 'availability', args: options ?? null });
      return spec.state;
    },
    async params() {
      return { defaultTopK: 3, maxTopK: 8, defaultTemperature: 1, maxTemperature: 2 };
    },
    async create(options: Record<string, unknown>) {
      const { signal: _signal, ...rest } = options;
      calls.push({ fn: 'create', args: rest });
      return {
        promptStreaming(input: string) {
          calls.push({ fn: 'promptStreaming', args: input });
          let i = 0;
          return new ReadableStream<string>({
            async pull(controller) {
              await new Promise((r) => setTimeout(r, 5));
              if (i < spec.pieces.length) controller.enqueue(spec.pieces[i++] as string);
              else controller.close();
            },
          });
        },
        destroy() {
          calls.push({ fn: 'destroy', args: null });
        },
      };
    },
  };
}

async function usePromptApi(page: Page, state: State | 'absent', pieces: string[] = []) {
  await page.addInitScript(controlPromptApi, { state, pieces });
}

/** The real probe and planner on the probe page. */
async function probeAndPlan(page: Page, url: string) {
  await page.goto(`${url}probe.html`);
  return page.evaluate(async (model) => {
    const h = (
      window as unknown as {
        harness: {
          runProbe(): Promise<ProbeReport>;
          planModel(r: ProbeReport, m: PlannerModel): ModelPlanResult;
        };
      }
    ).harness;
    const report = await h.runProbe();
    return { promptApi: report.promptApi, plan: h.planModel(report, model) };
  }, builtinNano);
}

const calls = (page: Page) =>
  page.evaluate(() => (globalThis as { __promptApiCalls?: FakeCall[] }).__promptApiCalls ?? null);

/** The engine's report and load outcome on the runtimes page. */
async function engineLoad(page: Page, url: string) {
  await page.goto(`${url}runtimes.html`);
  return value(await call(page, 'builtin'));
}

test('built-in model: without LanguageModel the probe finds no API, the planner refuses and the engine will not load', async ({
  page,
  servers,
}) => {
  await usePromptApi(page, 'absent');
  const { promptApi, plan } = await probeAndPlan(page, servers.harness.url);
  expect(promptApi).toEqual({ api: false, availability: null });
  expect(plan.plans).toEqual([]);
  expect(plan.refused.map((r) => r.reasons)).toEqual([
    ['needs the built-in Prompt API: this browser has none'],
  ]);

  const { report, load } = await engineLoad(page, servers.harness.url);
  expect(await page.evaluate(() => 'LanguageModel' in self)).toBe(false);
  expect(report).toEqual({
    availability: 'unavailable',
    reason: 'This browser has no Prompt API (LanguageModel).',
  });
  expect(load.ok ? null : load.error).toMatchObject({
    code: 'unsupported-device',
    details: { runtime: 'builtin', availability: 'unavailable' },
  });
});

test('built-in model: when the browser says unavailable, the planner refuses and the engine refuses with unsupported-device', async ({
  page,
  servers,
}) => {
  await usePromptApi(page, 'unavailable');
  const { promptApi, plan } = await probeAndPlan(page, servers.harness.url);
  expect(promptApi).toEqual({ api: true, availability: 'unavailable' });
  expect(plan.plans).toEqual([]);
  expect(plan.refused.map((r) => r.reasons)).toEqual([
    ['the built-in model is unavailable on this device'],
  ]);

  const { report, load } = await engineLoad(page, servers.harness.url);
  expect(report).toEqual({
    availability: 'unavailable',
    reason: 'The browser reports that its built-in model cannot run on this device.',
  });
  expect(load.ok ? null : load.error).toMatchObject({
    code: 'unsupported-device',
    details: { runtime: 'builtin', availability: 'unavailable' },
  });
  expect((await calls(page))?.map((c) => c.fn)).not.toContain('create');
});

const NOT_YET: Array<{ state: State; reason: string; planReason: string }> = [
  {
    state: 'downloadable',
    reason: 'The browser has a built-in model but has not downloaded it yet.',
    planReason: 'built into the browser; it downloads the model on first use',
  },
  {
    state: 'downloading',
    reason: 'The browser is downloading its built-in model.',
    planReason: 'built into the browser; its model is downloading now',
  },
];

for (const { state, reason, planReason } of NOT_YET) {
  test(`built-in model: when the browser says ${state}, it is planned but the engine refuses with model-not-installed and starts no download`, async ({
    page,
    servers,
  }) => {
    await usePromptApi(page, state);
    const { promptApi, plan } = await probeAndPlan(page, servers.harness.url);
    expect(promptApi).toEqual({ api: true, availability: state });
    expect(plan.plans.map((p) => [p.backend, p.score, p.reasons])).toEqual([
      ['builtin', 90, [planReason]],
    ]);

    const { report, load } = await engineLoad(page, servers.harness.url);
    expect(report).toEqual({ availability: state, reason });
    expect(load.ok ? null : load.error).toMatchObject({
      code: 'model-not-installed',
      details: { runtime: 'builtin', availability: state },
    });
    // create() is what would start the browser's download: never called.
    // (The harness asks availability() once to report and once more in load().)
    expect((await calls(page))?.map((c) => c.fn)).toEqual(['availability', 'availability']);
  });
}

test("built-in model: when available, the engine streams the session's text with the conversation and clamped sampling", async ({
  page,
  servers,
}) => {
  const pieces = ['Once', ' upon', ' a time,', ' a fox', ' sang.'];
  await usePromptApi(page, 'available', pieces);
  const { promptApi, plan } = await probeAndPlan(page, servers.harness.url);
  expect(promptApi).toEqual({ api: true, availability: 'available' });
  expect(plan.plans.map((p) => [p.backend, p.score])).toEqual([['builtin', 100]]);

  await page.goto(`${servers.harness.url}runtimes.html`);
  const settings: GenerationSettings = { ...DEFAULT_GENERATION, temperature: 3, topK: 40 };
  const result = value(
    await call(
      page,
      'builtinGenerate',
      [
        { role: 'system', content: 'You tell short stories.' },
        { role: 'user', content: 'Tell one.' },
      ],
      settings,
    ),
  );
  expect(result.pieces).toEqual(pieces);
  expect(result.stats).toMatchObject({ text: pieces.join(''), tokens: 5, stoppedBy: 'eos' });
  expect(await calls(page)).toEqual([
    { fn: 'availability', args: null },
    {
      fn: 'create',
      // Earlier messages become initialPrompts; temperature and top-k within params().
      args: {
        initialPrompts: [{ role: 'system', content: 'You tell short stories.' }],
        temperature: 2,
        topK: 8,
      },
    },
    { fn: 'promptStreaming', args: 'Tell one.' },
    { fn: 'destroy', args: null },
  ]);
});

test('built-in model: the engine stops the stream after maxNewTokens pieces', async ({
  page,
  servers,
}) => {
  await usePromptApi(page, 'available', ['a', 'b', 'c', 'd', 'e', 'f']);
  await page.goto(`${servers.harness.url}runtimes.html`);
  const result = value(
    await call(page, 'builtinGenerate', [{ role: 'user', content: 'Go.' }], {
      ...DEFAULT_GENERATION,
      maxNewTokens: 3,
    }),
  );
  expect(result.pieces).toEqual(['a', 'b', 'c']);
  expect(result.stats).toMatchObject({ text: 'abc', tokens: 3, stoppedBy: 'max-tokens' });
});
