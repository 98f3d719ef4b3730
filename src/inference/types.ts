// Shapes shared by the page and the inference workers.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerationSettings {
  maxNewTokens: number;
  /** 0 means greedy decoding. */
  temperature: number;
  topP: number;
  topK: number;
  repetitionPenalty: number;
}

export const DEFAULT_GENERATION: GenerationSettings = {
  maxNewTokens: 128,
  temperature: 0,
  topP: 0.9,
  topK: 40,
  repetitionPenalty: 1,
};

/** Which stored model to load, and how. */
export interface LoadRequest {
  id: string;
  version: string;
  device: 'wasm' | 'webgpu';
  dtype: 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
}

export interface GenerationStats {
  /** The whole reply. */
  text: string;
  tokens: number;
  /** Milliseconds from the request to the first token. */
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  stoppedBy: 'eos' | 'max-tokens' | 'interrupted';
}

/** What an inference worker exposes for text generation. */
export interface TextRuntime {
  load(request: LoadRequest): Promise<void>;
  generate(
    messages: ChatMessage[],
    settings: GenerationSettings,
    onText: (text: string) => void,
  ): Promise<GenerationStats>;
  interrupt(): void;
  unload(): Promise<void>;
}
