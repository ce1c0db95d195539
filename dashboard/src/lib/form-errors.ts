// Turns the server's refusal of a form into messages next to its fields. A 400 validation error carries
// details `[{path: 'body.email', message}]`; conflicts name no field, so callers map their codes.
import { ApiError } from '../api/client';

export interface FormErrors {
  /** Message per top-level field name (`email`, `labels` …); the first problem of a field wins. */
  fields: Record<string, string>;
  /** What belongs to no field shown: shown above the form. */
  general?: string;
}

interface Detail {
  path: string;
  message: string;
}

function isDetail(value: unknown): value is Detail {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.path === 'string' && typeof record.message === 'string';
}

/**
 * Splits an error into field messages (for the fields the form has) and a general message.
 * `codeFields` puts errors without details at a field by their code, e.g. `{ email_taken: 'email' }`.
 */
export function formErrors(
  error: unknown,
  known: readonly string[],
  codeFields: Readonly<Record<string, string>> = {},
): FormErrors {
  if (!(error instanceof ApiError)) {
    return { fields: {}, general: error instanceof Error ? error.message : String(error) };
  }
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  const details = Array.isArray(error.details) ? error.details.filter(isDetail) : [];
  for (const detail of details) {
    // 'body.labels.Site' → 'labels': the first segment names where the input was (body, query, params).
    const field = detail.path.split('.')[1] ?? '';
    if (known.includes(field)) fields[field] ??= detail.message;
    else unplaced.push(detail.path ? `${detail.path}: ${detail.message}` : detail.message);
  }
  const byCode = codeFields[error.code];
  if (details.length === 0 && byCode !== undefined && known.includes(byCode)) {
    fields[byCode] = error.message;
  }
  const placed = Object.keys(fields).length > 0;
  const general = unplaced.length > 0 ? unplaced.join('; ') : placed ? undefined : error.message;
  return general === undefined ? { fields } : { fields, general };
}
