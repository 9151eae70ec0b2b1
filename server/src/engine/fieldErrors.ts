/**
 * Upstream error wording, from apimachinery/pkg/util/validation/field/errors.go
 * ((*Error).ErrorBody): Invalid / NotSupported / Duplicate / NotFound print the bad value, Required /
 * Forbidden / TooLong do not. The path is carried separately (Finding.path), so messages
 * here are the part after `<path>: `.
 */

export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'TooLong' | 'NotFound';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
  NotFound: 'Not found',
};

/** Renders a bad value as field.Error does: strings quoted, numbers and booleans bare, others as JSON. */
export function formatBadValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return 'null';
  return JSON.stringify(v);
}

/** `Invalid value: "x": detail`, `Required value`, `Forbidden: detail`, … */
export function fieldErrorMessage(type: FieldErrorType, detail = '', badValue?: unknown): string {
  const head = TYPE_TEXT[type];
  const withValue = type === 'Invalid' || type === 'NotSupported' || type === 'Duplicate' || type === 'NotFound';
  let msg = head;
  if (withValue) msg += `: ${formatBadValue(badValue)}`;
  if (detail) msg += `: ${detail}`;
  return msg;
}

/** `supported values: "A", "B"` as field.NotSupported writes it. */
export function supportedValues(values: readonly string[]): string {
  return `supported values: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}
