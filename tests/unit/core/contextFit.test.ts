// Context fitting: oldest turns go first, the system prompt and the message
// being answered never do, and a prompt that cannot fit is said to be too long.

import { describe, expect, it } from 'vitest';
import { fitConversation } from '../../../src/core/contextFit';
import type { ChatMessage } from '../../../src/inference/types';

// One token per character plus 2 per message: easy to reason about.
const count = (messages: ChatMessage[]) => messages.reduce((n, m) => n + m.content.length + 2, 0);
const sys = (content: string): ChatMessage => ({ role: 'system', content });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const bot = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('fitConversation', () => {
  const cases: Array<{
    name: string;
    messages: ChatMessage[];
    context: number;
    maxNew: number;
    kept: string[] | null;
    dropped?: number;
    maxNewOut?: number;
  }> = [
    {
      name: 'everything fits: nothing dropped',
      messages: [sys('S'), user('a'), bot('b'), user('c')],
      context: 100,
      maxNew: 20,
      kept: ['S', 'a', 'b', 'c'],
      dropped: 0,
      maxNewOut: 20,
    },
    {
      name: 'oldest turn dropped, system prompt kept',
      // counts: S=3, u1=12, b1=12, u2=12 -> 39 total; budget 40-10=30 -> drop first turn (24) -> 15
      messages: [sys('S'), user('x'.repeat(10)), bot('y'.repeat(10)), user('z'.repeat(10))],
      context: 40,
      maxNew: 10,
      kept: ['S', 'z'.repeat(10)],
      dropped: 2,
      maxNewOut: 10,
    },
    {
      name: 'drops only as many turns as needed',
      messages: [user('aaaa'), bot('bbbb'), user('cccc'), bot('dddd'), user('eeee')],
      context: 30,
      maxNew: 10,
      // each message 6 tokens: budget 20 -> keep last three (18)
      kept: ['cccc', 'dddd', 'eeee'],
      dropped: 2,
      maxNewOut: 10,
    },
    {
      name: 'never starts the kept history with a reply',
      messages: [user('aaaaaaaa'), bot('b'), bot('c'), user('d')],
      context: 20,
      maxNew: 8,
      // budget 12: from the 2nd message would be 3+3+3=9 but it is a reply: only [d] (3)
      kept: ['d'],
      dropped: 3,
      maxNewOut: 8,
    },
    {
      name: 'a continued reply stays with the message it answers',
      messages: [user('x'.repeat(20)), bot('y'), user('q'), bot('partial')],
      context: 30,
      maxNew: 10,
      kept: ['q', 'partial'],
      dropped: 2,
      maxNewOut: 10,
    },
    {
      name: 'the reply room shrinks when the last message alone needs it',
      messages: [sys('S'), user('u'.repeat(70))],
      context: 100,
      maxNew: 50,
      // reserve 50 -> budget 50 < 75; room 100-75=25 >= 16
      kept: ['S', 'u'.repeat(70)],
      dropped: 0,
      maxNewOut: 25,
    },
    {
      name: 'a long reply setting reserves at most half the window',
      messages: [user('a'.repeat(40))],
      context: 100,
      maxNew: 1000,
      kept: ['a'.repeat(40)],
      dropped: 0,
      maxNewOut: 58,
    },
    {
      name: 'a message ten times the window is too long',
      messages: [sys('S'), user('w'.repeat(5120))],
      context: 512,
      maxNew: 128,
      kept: null,
    },
    {
      name: 'too long when less than the minimum reply would remain',
      messages: [user('w'.repeat(90))],
      context: 100,
      maxNew: 50,
      kept: null,
    },
  ];
  it.each(cases)('$name', ({ messages, context, maxNew, kept, dropped, maxNewOut }) => {
    const result = fitConversation({
      messages,
      contextTokens: context,
      maxNewTokens: maxNew,
      countTokens: count,
    });
    if (kept === null) {
      expect(result.fits).toBe(false);
      return;
    }
    if (!result.fits) throw new Error(`expected a fit, got ${JSON.stringify(result)}`);
    expect(result.messages.map((m) => m.content)).toEqual(kept);
    expect(result.droppedMessages).toBe(dropped);
    expect(result.maxNewTokens).toBe(maxNewOut);
    expect(result.promptTokens).toBe(count(result.messages));
    expect(result.promptTokens + result.maxNewTokens).toBeLessThanOrEqual(context);
  });

  it('counts tokens a logarithmic number of times for a long conversation', () => {
    const messages: ChatMessage[] = [];
    for (let i = 0; i < 500; i++) messages.push(i % 2 ? bot(`reply ${i}`) : user(`question ${i}`));
    messages.push(user('last'));
    let calls = 0;
    const result = fitConversation({
      messages,
      contextTokens: 200,
      maxNewTokens: 50,
      countTokens: (m) => {
        calls++;
        return count(m);
      },
    });
    expect(result.fits).toBe(true);
    expect(calls).toBeLessThan(20);
  });
});
