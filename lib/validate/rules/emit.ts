/** How the rules of each kind report: a field path and why the API server refuses it. */
import type { Grammar } from './grammar';

export type Emit = (path: string, message: string, severity?: 'error' | 'warning') => void;

/** `base.child`, or `child` at the top of an object. */
export const at = (base: string, child: string): string => (base ? `${base}.${child}` : child);

/** Reports a string that fails a grammar; a missing value is the caller's to require or not. */
export function grammar(value: unknown, check: Grammar, path: string, emit: Emit): void {
  if (value === undefined) return;
  const problem = typeof value === 'string' ? check(value) : `${JSON.stringify(value)} must be a string`;
  if (problem) emit(path, problem);
}

/** A required string field: missing or empty is refused, as `Required value`. */
export function required(value: unknown, path: string, emit: Emit, check?: Grammar): void {
  if (value === undefined || value === '' || value === null) emit(path, 'required: must not be empty');
  else if (check) grammar(value, check, path, emit);
}

export function nonNegative(value: unknown, path: string, emit: Emit): void {
  if (typeof value === 'number' && value < 0) emit(path, `${value} must be 0 or more`);
}

export function positive(value: unknown, path: string, emit: Emit): void {
  if (typeof value === 'number' && value < 1) emit(path, `${value} must be greater than 0`);
}

/** A value from a fixed set; undefined is left to the server's default. */
export function oneOf(value: unknown, allowed: readonly string[], path: string, emit: Emit): void {
  if (value !== undefined && !allowed.includes(String(value))) emit(path, `must be one of ${allowed.join(', ')}`);
}

/** Duplicate values in a list, each reported after its first occurrence. */
export function duplicates(
  values: readonly (string | undefined)[],
  path: (i: number) => string,
  what: string,
  emit: Emit,
): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (v === undefined) return;
    if (seen.has(v)) emit(path(i), `duplicate ${what} "${v}"`);
    seen.add(v);
  });
}
