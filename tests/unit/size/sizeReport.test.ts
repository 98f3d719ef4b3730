// Table-driven tests for what `npm run size` counts and the budgets it holds.

import { describe, expect, it } from 'vitest';
import { brokenBudgets, initialScripts, type SizeReport } from '../../../tools/size/sizeReport';

describe('initialScripts', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'the built index.html',
      `<link rel="manifest" href="./manifest.webmanifest" />
       <script type="module" crossorigin src="./assets/index-rBy34VKf.js"></script>
       <link rel="stylesheet" crossorigin href="./assets/index-CsAPHifD.css">`,
      ['assets/index-rBy34VKf.js'],
    ],
    [
      'module preloads count',
      `<script type="module" src="assets/a.js"></script><link rel="modulepreload" href="./assets/b.js">`,
      ['assets/a.js', 'assets/b.js'],
    ],
    ['inline scripts do not', '<script>console.log(1)</script>', []],
    [
      'nor other hosts',
      `<script src="https://cdn.example/x.js"></script><script src="//cdn/x.js"></script>`,
      [],
    ],
    ['single quotes', `<script type='module' src='./assets/c.js'></script>`, ['assets/c.js']],
  ];
  it.each(cases)('%s', (_, html, scripts) => {
    expect(initialScripts(html)).toEqual(scripts);
  });
});

describe('brokenBudgets', () => {
  const report = (initialJsGzipKB: number, precacheKB: number): SizeReport => ({
    initialJsGzipKB,
    precacheKB,
    runtimeKB: {},
    runtimeBrotliKB: {},
  });
  const cases: Array<[SizeReport, number]> = [
    [report(34, 230), 0],
    [report(99.9, 1499.9), 0],
    [report(100, 230), 1],
    [report(34, 1500), 1],
    [report(250, 52_000), 2],
    [report(Number.NaN, 230), 1],
  ];
  it.each(cases)('%j breaks %i', (r, count) => {
    expect(brokenBudgets(r)).toHaveLength(count);
  });
});
