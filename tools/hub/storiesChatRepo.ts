// A chat model for the test Hub: the converted TinyStories 260K folder with a
// ChatML chat template in its tokenizer_config.json, laid out as real chat repos are.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HubRepo } from './hubRepos';

/**
 * ChatML as Qwen2.5 and SmolLM2 write it (without their default system prompt).
 * The `\n` are Jinja escapes, as in those repos' tokenizer_config.json.
 */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The template's rendering, written out by hand: what the runtime must tokenise. */
export function chatmlText(messages: Array<{ role: string; content: string }>): string {
  const turns = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`);
  return `${turns.join('')}<|im_start|>assistant\n`;
}

/**
 * Greedy and short, as a generation config may say: the chat's defaults follow
 * it, so the reply can be compared with the reference model's.
 */
export const STORIES_CHAT_GENERATION = { max_new_tokens: 48, repetition_penalty: 1.0 };

/** The model files of a converted stories260K folder (`tools/llama2c/convert.ts`). */
const MODEL_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'onnx/model.onnx',
];

/** The files of the chat repo: the converted model, its tokenizer config given the template. */
export async function storiesChatFiles(dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const path of MODEL_FILES) files[path] = await readFile(join(dir, path));
  const json = (path: string) => JSON.parse(new TextDecoder().decode(files[path]));
  const encode = (value: unknown) =>
    new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  files['tokenizer_config.json'] = encode({
    ...json('tokenizer_config.json'),
    chat_template: CHATML_TEMPLATE,
  });
  files['generation_config.json'] = encode({
    ...json('generation_config.json'),
    ...STORIES_CHAT_GENERATION,
  });
  return files;
}

/** A Hub repo whose main branch holds the chat model made from the converted folder `dir`. */
export async function storiesChatRepo(repo: string, dir: string): Promise<HubRepo> {
  const hubRepo = new HubRepo({ repo, task: 'text-generation', license: 'mit' });
  hubRepo.commit(await storiesChatFiles(dir));
  return hubRepo;
}
