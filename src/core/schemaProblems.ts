// Turns valibot's issues into the short, readable problem lines that
// `invalid-manifest` and `invalid-catalog` errors carry in `details.problems`.

import type { BaseIssue } from 'valibot';

/** At most this many problems are reported: a hostile document can have millions. */
export const MAX_PROBLEMS = 50;

/** `files[0].chunks[2].length must be ...`; `root` names the document when the path is empty. */
export function problemsFromIssues(issues: readonly BaseIssue<unknown>[], root: string): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const line = `${issuePath(issue) || root} ${issueMessage(issue)}`;
    if (!lines.includes(line)) lines.push(line);
    if (lines.length === MAX_PROBLEMS) {
      lines.push(`… and more (${issues.length} issues in all)`);
      break;
    }
  }
  return lines;
}

function issuePath(issue: BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += `${out === '' ? '' : '.'}${describeKey(key)}`;
  }
  return out;
}

// Unknown keys come from the document itself: keep them short and printable.
function describeKey(key: unknown): string {
  const text = String(key);
  if (/^[A-Za-z_$][\w$]{0,63}$/.test(text)) return text;
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

function issueMessage(issue: BaseIssue<unknown>): string {
  // Strict objects report keys they do not know, and keys that are missing,
  // with valibot's own wording: say it in the document's terms instead.
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'is not a known field';
  if (issue.received === 'undefined' && issue.path?.length) return 'is missing';
  return issue.message;
}
