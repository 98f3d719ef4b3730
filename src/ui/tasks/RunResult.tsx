// The line under every task's result: how long the run took, or its error.

import type { AppError } from '../../core/errors';
import { errorText } from '../errorText';
import { formatMs } from './TaskView';

export function RunResult({ ms, error }: { ms: number | null; error: AppError | null }) {
  if (error) {
    return (
      <p class="error" role="alert" data-testid="run-error" data-code={error.code}>
        {errorText(error)}
      </p>
    );
  }
  if (ms === null) return null;
  return (
    <p class="note" data-testid="run-time">
      Ran in {formatMs(ms)}
    </p>
  );
}
