/**
 * Reading kompose label values with kompose's grammar (Go's ParseBool, ParseDuration, Atoi,
 * kompose's own command splitting), each bad value becoming an error finding at its label.
 */
import { parse as shellParse } from 'shell-quote';
import { parseDuration } from '../compose/units';
import { dropped, partial, type Finding } from './findings';

export const CRON_MACRO = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;

/** Go's strconv.ParseBool, which kompose's cast.ToBool uses. */
export function goBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function integer(value: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** A Go duration (kompose uses time.ParseDuration) in whole seconds, at least 1. */
export function durationSeconds(value: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value.trim()) && value.trim() !== '0') return undefined; // Go wants a unit
  const ms = parseDuration(value);
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A probe command as kompose reads `readiness.test`: a Compose-style list (`["CMD", ...]`,
 * written as YAML list the loader keeps it as JSON) or a string, split like a shell does.
 * `CMD-SHELL` keeps its script in a shell; `NONE` disables the probe.
 */
export function probeCommand(value: string): { command?: string[]; disable: boolean } {
  let words: string[] | undefined;
  if (value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) words = parsed;
    } catch {
      words = undefined;
    }
  }
  const fromList = words !== undefined;
  words ??= shellParse(value).filter((w): w is string => typeof w === 'string');
  if (words[0] === 'NONE') return { disable: true };
  if (words[0] === 'CMD-SHELL') return { command: ['/bin/sh', '-c', words.slice(1).join(' ')], disable: false };
  if (words[0] === 'CMD') words = words.slice(1);
  else if (fromList && words.length === 1) return { command: ['/bin/sh', '-c', words[0]], disable: false };
  return words.length > 0 ? { command: words, disable: false } : { disable: false };
}

/** `kompose.init.containers.command` as kompose splits it: `[a, "b c"]` by commas, else one word. */
export function initCommand(value: string): string[] {
  if (value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) return parsed;
  } catch {
    // not JSON: kompose's own comma syntax below
  }
  if (!value.includes(',')) return [value];
  return value
    .trim()
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((w) => w.trim().replace(/^["' ]+|["' ]+$/g, ''));
}

export class LabelReader {
  readonly findings: Finding[] = [];
  constructor(private readonly labels: Readonly<Record<string, string>>) {}

  has(label: string): boolean {
    return this.labels[label] !== undefined;
  }

  get(label: string): string | undefined {
    return this.labels[label];
  }

  ignored(label: string, message: string): void {
    this.findings.push(dropped(`labels.${label}`, message));
  }

  /** Honoured, with a value other than the one written (kompose's fallback). */
  replaced(label: string, message: string): void {
    this.findings.push(partial(`labels.${label}`, message));
  }

  invalid(label: string, message: string): void {
    this.findings.push({
      key: `labels.${label}`,
      status: 'dropped',
      severity: 'error',
      code: 'invalid-kompose-label',
      message,
    });
  }

  /** Parses a label with `parse`; an unparsable value is an error naming what is expected. */
  parse<T>(label: string, parse: (v: string) => T | undefined, expected: string): T | undefined {
    const value = this.labels[label];
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === undefined) this.invalid(label, `"${value}" is not ${expected}`);
    return parsed;
  }
}

export const oneOf =
  <T extends string>(values: readonly T[], caseless = false) =>
  (v: string): T | undefined =>
    values.find((x) => (caseless ? x.toLowerCase() === v.trim().toLowerCase() : x === v.trim()));

/** The value itself when it matches a Kubernetes grammar (a name, a quantity). */
export const matching =
  (grammar: RegExp) =>
  (v: string): string | undefined =>
    grammar.test(v) ? v : undefined;

export const PORT = (v: string) => integer(v, 1, 65535);
