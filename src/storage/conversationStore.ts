// The chat's conversations in IndexedDB, one record each (messages inside):
// the service the chat asks; the UI never opens IndexedDB itself.

import { type Conversation, matchesSearch } from '../core/conversation';
import { openAppDb } from './db';

export interface ConversationStore {
  /** Every conversation, most recently updated first. */
  list(): Promise<Conversation[]>;
  get(id: string): Promise<Conversation | undefined>;
  /** Writes the whole record (a new one, or a change). */
  save(conversation: Conversation): Promise<void>;
  remove(id: string): Promise<void>;
  /** Conversations whose title, system prompt or messages hold every word of the query. */
  search(query: string): Promise<Conversation[]>;
}

async function list(): Promise<Conversation[]> {
  const db = await openAppDb();
  const all = await db.getAllFromIndex('conversations', 'byUpdated');
  return all.reverse();
}

export const idbConversationStore: ConversationStore = {
  list,
  async get(id) {
    const db = await openAppDb();
    return db.get('conversations', id);
  },
  async save(conversation) {
    const db = await openAppDb();
    await db.put('conversations', conversation);
  },
  async remove(id) {
    const db = await openAppDb();
    await db.delete('conversations', id);
  },
  async search(query) {
    return (await list()).filter((c) => matchesSearch(c, query));
  },
};
