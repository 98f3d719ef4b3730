// Typed errors that every part of the app raises and that cross worker
// boundaries as plain `{code, message, details}` objects.

export type ErrorCode =
  | 'not-found'
  | 'auth-required'
  | 'no-runnable-files'
  | 'network'
  | 'http-status'
  | 'cors'
  | 'insufficient-storage'
  | 'validation-failed'
  | 'invalid-manifest'
  | 'invalid-catalog'
  | 'invalid-input'
  | 'cancelled'
  | 'server-changed'
  | 'storage-unavailable'
  | 'storage-failed'
  | 'unsupported-device'
  | 'model-not-installed'
  | 'model-damaged'
  | 'model-load-failed'
  | 'runtime-crashed'
  | 'runtime-not-cached'
  | 'worker-crashed'
  | 'generation-failed'
  | 'prompt-too-long'
  | 'inference-failed'
  | 'internal';

const messages: Record<ErrorCode, string> = {
  'not-found': 'The model or one of its files was not found on the server.',
  'auth-required':
    'This model is gated or private. Accept its terms on its Hugging Face page, then add an access token (Settings) to download it.',
  'no-runnable-files':
    'This repository has no files this app can run (it needs config.json and ONNX weights in onnx/, as transformers.js uses).',
  network: 'The network failed while downloading. The download can be resumed.',
  'http-status': 'The model server answered with an error.',
  cors: 'The model server does not allow this site to download from it (CORS).',
  'insufficient-storage': 'There is not enough storage space on this device for the model.',
  'validation-failed': 'A downloaded file did not match its expected checksum.',
  'invalid-manifest': 'The model description (manifest) is malformed.',
  'invalid-catalog': 'The list of models (catalog) is malformed.',
  'invalid-input': 'That is not a valid Hugging Face model name.',
  cancelled: 'The operation was cancelled.',
  'server-changed': 'The file changed on the server during the download.',
  'storage-unavailable': 'This browser does not offer the storage the app needs.',
  'storage-failed':
    'Saving the model on this device failed (browser storage error). The download can be resumed.',
  'unsupported-device': 'This device cannot run the model.',
  'model-not-installed': 'The model is not installed.',
  'model-damaged':
    "This model's files on this device are damaged or missing. Repair downloads only the damaged parts.",
  'model-load-failed': 'The model could not be loaded.',
  'runtime-crashed': 'The inference runtime stopped unexpectedly.',
  'runtime-not-cached':
    'The app could not keep the code that runs this model for offline use, so the model is not installed yet. Its downloaded files are kept: try again.',
  'worker-crashed':
    'A background worker stopped unexpectedly. What it finished is kept: you can resume.',
  'generation-failed': 'Generating a reply failed.',
  'prompt-too-long':
    'The message is too long for this model: it reads only so many tokens at once, its reply included. Shorten it, or pick a model with a larger context.',
  'inference-failed': 'Running the model failed.',
  internal: 'Something went wrong inside the app (a bug). Trying again may work.',
};

export type ErrorDetails = Record<string, unknown>;

/** The serialisable shape of an error, as it crosses postMessage. */
export interface AppErrorData {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, message = messages[code]) {
    super(message);
    this.code = code;
    this.details = details;
  }

  toJSON(): AppErrorData {
    return { code: this.code, message: this.message, details: this.details };
  }

  static is(value: unknown, code?: ErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }

  /** Rebuilds an AppError from its data, e.g. after a worker boundary. */
  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.details, data.message);
  }

  /**
   * Wraps anything thrown into an AppError, keeping AppErrors as they are.
   * Under `internal` the stack goes into the details too: it is a bug to find.
   */
  static from(error: unknown, fallback: ErrorCode, details: ErrorDetails = {}): AppError {
    if (error instanceof AppError) return error;
    if (isAppErrorData(error)) return AppError.fromData(error);
    const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = fallback === 'internal' && error instanceof Error ? { stack: error.stack } : {};
    return new AppError(fallback, { ...details, cause, ...stack });
  }
}

/**
 * What a failed `fetch()` or body read means: the network layer rejects with a
 * `TypeError` (Chromium "Failed to fetch" / "network error", Firefox
 * "NetworkError…", Safari "Load failed") and an aborted read with an
 * `AbortError`; those are `network` (resumable). Anything else thrown there is
 * our own bug and stays `internal`, so it is never taken for a network fault.
 */
export function networkFailure(error: unknown, details: ErrorDetails = {}): AppError {
  if (error instanceof AppError || isAppErrorData(error)) return AppError.from(error, 'internal');
  const name = error instanceof Error || isDomException(error) ? (error as Error).name : '';
  const networkish = name === 'TypeError' || name === 'AbortError' || name === 'NetworkError';
  return AppError.from(error, networkish ? 'network' : 'internal', details);
}

function isDomException(value: unknown): boolean {
  return typeof DOMException !== 'undefined' && value instanceof DOMException;
}

export function isAppErrorData(value: unknown): value is AppErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && v.code in messages && typeof v.message === 'string';
}

export function defaultMessage(code: ErrorCode): string {
  return messages[code];
}
