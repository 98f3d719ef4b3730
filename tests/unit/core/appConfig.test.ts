// Table-driven tests for `parseAppConfig`: what a deployment's config.json may say.

import { describe, expect, it } from 'vitest';
import { type AppConfig, parseAppConfig } from '../../../src/core/appConfig';
import { AppError } from '../../../src/core/errors';

const PAGE = 'https://app.example/runanywhere/';

describe('parseAppConfig', () => {
  it.each<[string, unknown, AppConfig]>([
    [
      'the production build: the Hub only',
      { hubEndpoint: 'https://huggingface.co' },
      { modelHost: null, hubEndpoint: 'https://huggingface.co' },
    ],
    [
      'npm start: the Hub and the demo host',
      { hubEndpoint: 'https://huggingface.co/', modelHost: 'http://127.0.0.1:8081/' },
      { modelHost: 'http://127.0.0.1:8081/', hubEndpoint: 'https://huggingface.co' },
    ],
    [
      'the tests: the demo host only',
      { modelHost: 'http://127.0.0.1:9000/' },
      { modelHost: 'http://127.0.0.1:9000/', hubEndpoint: null },
    ],
    [
      'a mirror under a path, relative host',
      { hubEndpoint: 'https://mirror.example/hf//', modelHost: 'models/' },
      { modelHost: `${PAGE}models/`, hubEndpoint: 'https://mirror.example/hf' },
    ],
    [
      'unknown keys, ignored',
      { hubEndpoint: 'https://huggingface.co', theme: 'dark' },
      { modelHost: null, hubEndpoint: 'https://huggingface.co' },
    ],
  ])('reads %s', (_name, json, expected) => {
    expect(parseAppConfig(json, PAGE)).toEqual(expected);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /config is not an object/],
    ['no source', {}, /neither a modelHost nor a hubEndpoint/],
    ['a numeric endpoint', { hubEndpoint: 1 }, /hubEndpoint must be a string/],
    ['a javascript: endpoint', { hubEndpoint: 'javascript:alert(1)' }, /http\(s\)/],
    ['a file: host', { modelHost: 'file:///etc/' }, /modelHost must be an http\(s\) URL/],
    ['a query', { hubEndpoint: 'https://hf.example/?x=1' }, /no query/],
    ['credentials', { hubEndpoint: 'https://u:p@hf.example' }, /credentials/],
    ['a bad URL', { hubEndpoint: 'http://[::1' }, /not a URL/],
  ])('refuses %s', (_name, json, problem) => {
    try {
      parseAppConfig(json, PAGE);
    } catch (error) {
      expect(AppError.is(error, 'invalid-catalog')).toBe(true);
      const problems = (error as AppError).details.problems as string[];
      expect(problems.some((p) => problem.test(p))).toBe(true);
      return;
    }
    throw new Error('accepted a bad config');
  });
});
