// Reads what the chat needs to know about an installed text model before it is
// loaded: whether it is a chat model and the sampling its files suggest.

import { settingsFromModelFiles } from '../core/chatSettings';
import type { GenerationSettings } from '../inference/types';
import type { InstalledModel } from './db';
import { readModelFile } from './modelFiles';

export interface ChatModelProfile {
  chat: boolean;
  settings: GenerationSettings;
}

async function readJson(model: InstalledModel, path: string): Promise<unknown> {
  if (!model.manifest.files.some((f) => f.path === path)) return null;
  try {
    return JSON.parse(await (await readModelFile(model.id, model.version, path)).text());
  } catch {
    // A missing or malformed optional file only means the general defaults.
    return null;
  }
}

export async function readChatModelProfile(model: InstalledModel): Promise<ChatModelProfile> {
  const [tokenizer, generation] = await Promise.all([
    readJson(model, 'tokenizer_config.json'),
    readJson(model, 'generation_config.json'),
  ]);
  return settingsFromModelFiles(model.manifest.framework, tokenizer, generation);
}
