// Locates the real llama2.c test models in ../shared/models and explains a skip when absent.
import { existsSync } from 'node:fs';
import {
  DEFAULT_CHECKPOINT,
  DEFAULT_LLAMA2C_DIR,
  DEFAULT_TOKENIZER,
} from '../../../tools/llama2c/reference';

export const CHECKPOINT = DEFAULT_CHECKPOINT;
export const TOKENIZER = DEFAULT_TOKENIZER;
export const HAVE_LLAMA2C = existsSync(CHECKPOINT) && existsSync(TOKENIZER);

/** Suite title; carries the skip reason when the shared models are missing. */
export function llama2cSuite(title: string): string {
  return HAVE_LLAMA2C
    ? title
    : `${title} — SKIPPED: ${DEFAULT_LLAMA2C_DIR} lacks stories260K.bin/tok512.bin ` +
        '(see ../shared/models/README.md: DaveBben/esp32-llm @934dab4, data/)';
}

/** What stories260K must generate greedily from BOS for 100 steps (shared/models/README.md). */
export const README_STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ' +
  'One day, she saw a big, red ball. She wanted to play with it, but it was too high.\n' +
  `Lily's mom said, "Lily, let's go to the park." Lily was sad and didn't know w`;
