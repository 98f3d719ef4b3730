// How the UI shows an AppError: its message plus what a user (or a bug report)
// can act on: the planner's reasons, or the cause.

import type { AppError } from '../core/errors';

export function errorText(error: AppError): string {
  const { reasons, cause, reason } = error.details;
  if (Array.isArray(reasons) && reasons.length > 0)
    return `${error.message} ${reasons.join('; ')}.`;
  const why = typeof reason === 'string' ? reason : typeof cause === 'string' ? cause : null;
  return why ? `${error.message} (${why})` : error.message;
}
