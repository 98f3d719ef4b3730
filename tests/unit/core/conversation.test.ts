// Conversation rules: titles, what is sent to a model, text search.

import { describe, expect, it } from 'vitest';
import {
  type Conversation,
  matchesSearch,
  promptMessages,
  titleFrom,
} from '../../../src/core/conversation';
import { DEFAULT_GENERATION } from '../../../src/inference/types';

const conversation = (patch: Partial<Conversation> = {}): Conversation => ({
  id: 'c1',
  title: 'Trip to Kyoto',
  modelKey: null,
  systemPrompt: '',
  settings: DEFAULT_GENERATION,
  messages: [],
  createdAt: 0,
  updatedAt: 0,
  ...patch,
});

describe('titleFrom', () => {
  it.each([
    ['  Hello\n  world ', 'Hello world'],
    ['', 'New chat'],
    ['x'.repeat(60), `${'x'.repeat(47)}…`],
  ])('%j -> %j', (text, title) => expect(titleFrom(text)).toBe(title));
});

describe('promptMessages', () => {
  it('puts the system prompt first and leaves out failed and empty replies', () => {
    const c = conversation({
      systemPrompt: 'Be brief.',
      messages: [
        { id: '1', role: 'user', content: 'a', createdAt: 0 },
        {
          id: '2',
          role: 'assistant',
          content: '',
          createdAt: 0,
          error: { code: 'generation-failed', message: 'x', details: {} },
        },
        { id: '3', role: 'user', content: 'b', createdAt: 0 },
        { id: '4', role: 'assistant', content: 'c', createdAt: 0 },
        { id: '5', role: 'assistant', content: '', createdAt: 0 },
      ],
    });
    expect(promptMessages(c)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      { role: 'assistant', content: 'c' },
    ]);
  });
  it('sends no blank system prompt', () => {
    expect(promptMessages(conversation({ systemPrompt: '  ' }))).toEqual([]);
  });
});

describe('matchesSearch', () => {
  const c = conversation({
    systemPrompt: 'You are a travel agent',
    messages: [{ id: '1', role: 'user', content: 'Which temples open early?', createdAt: 0 }],
  });
  it.each([
    ['', true],
    ['kyoto', true],
    ['TEMPLES early', true],
    ['travel', true],
    ['temples osaka', false],
    ['paris', false],
  ])('%j -> %s', (query, expected) => expect(matchesSearch(c, query)).toBe(expected));
});
