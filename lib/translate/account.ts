/**
 * The account of a translation: every key a service (or the top level) sets, as written, ends in
 * one row, translated (with the objects and fields it became, read off the synthesized objects,
 * so a field that is not there is never named), partly translated or dropped (with the reason).
 * Rows come from the key registry's rules and the translation's findings; explain prints them.
 */
import type { SourceLocation } from '../compose/diagnostics';
import type { WrittenKey } from '../compose/model';
import { childPath } from '../compose/parse';
import { pathSegments } from '../compose/written-keys';
import { podTemplatePath } from '../pod-template';
import { isWarning, type Finding } from './findings';
import type { FieldRef, KeyRule, ObjectRole } from './key-rules';

export type KeyStatus = 'translated' | 'partial' | 'dropped';

export interface KeyExplanation {
  /** The key as written: `deploy.placement.constraints`, `volumes[2].bind.propagation`, `labels.kompose.service.type`. */
  readonly key: string;
  readonly status: KeyStatus;
  /** The objects it became (`Deployment/web`), for a translated or partly translated key. */
  readonly objects: readonly string[];
  /** Their fields it set, every one present in the output. */
  readonly fields: readonly string[];
  /** Per object, the fields it set there. */
  readonly becomes: readonly { readonly object: string; readonly fields: readonly string[] }[];
  readonly note?: string;
  readonly location?: SourceLocation;
}

/** A synthesized object as the account reads it: `Kind/name` and its JSON. */
export interface AccountObject {
  readonly ref: string;
  readonly json: Readonly<Record<string, unknown>>;
}

/** The objects of a role for one row (a `names` row only sees the Service of its own name). */
export type RoleObjects = (role: ObjectRole, rowKey: string) => readonly AccountObject[];

export interface AccountInput {
  readonly keys: readonly WrittenKey[];
  readonly ruleOf: (pattern: string) => KeyRule | undefined;
  readonly findings: readonly Finding[];
  readonly objects: RoleObjects;
  /** Rows that are not keys of the schema (a kompose label each), with what they write. */
  readonly extraRows?: readonly ExtraRow[];
  /** Where a finding's key is written, when it is not in `keys` (a label inside `labels`). */
  readonly locate?: (key: string) => SourceLocation | undefined;
}

export interface ExtraRow {
  readonly key: string;
  readonly writes: readonly FieldRef[];
  readonly location?: SourceLocation;
  /** Why nothing is written, when that is right. */
  readonly nothing?: string;
}

type Json = Record<string, unknown>;

type Segment = string | number | { readonly any: true; readonly key?: string; readonly glob?: RegExp };

/**
 * `a.b[0].c[].d[name=fill-*]` -> its segments; `[]` is any item, `[key=glob]` any item whose key
 * matches, `"nvidia.com/gpu"` a key holding dots.
 */
function fieldSegments(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /"([^"]*)"|([^.[\]"]+)|\[(\d+)\]|\[\]|\[([^=\]]+)=([^\]]*)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(Number(m[3]));
    else if (m[4] !== undefined) {
      const glob = new RegExp(`^${m[5].replace(/[.+?^${}()|\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      out.push({ any: true, key: m[4], glob });
    } else out.push({ any: true });
  }
  return out;
}

/** The values `path` leads to in `json` (`[]`: in any item; `[name=fill-*]`: in any item so named). */
export function fieldValues(json: unknown, path: string): unknown[] {
  const step = (value: unknown, segments: readonly Segment[]): unknown[] => {
    if (value === undefined || value === null) return [];
    if (segments.length === 0) return [value];
    const [head, ...rest] = segments;
    if (typeof head === 'object') {
      if (!Array.isArray(value)) return [];
      return value
        .filter((item) => {
          if (head.key === undefined) return true;
          const v = typeof item === 'object' && item !== null ? (item as Json)[head.key] : undefined;
          return typeof v === 'string' && head.glob?.test(v) === true;
        })
        .flatMap((item) => step(item, rest));
    }
    if (typeof head === 'number') return Array.isArray(value) ? step(value[head], rest) : [];
    return typeof value === 'object' && !Array.isArray(value) ? step((value as Json)[head], rest) : [];
  };
  return step(json, path === '' ? [] : fieldSegments(path));
}

/** Whether `path` leads to a value in `json`. */
export const hasField = (json: unknown, path: string): boolean => fieldValues(json, path).length > 0;

/** `{pod}.containers[0].image` on a CronJob: `spec.jobTemplate.spec.template.spec.containers[0].image`. */
export function concretePath(path: string, kind: unknown): string | undefined {
  if (!path.startsWith('{pod')) return path;
  const template = podTemplatePath(kind);
  if (!template) return undefined;
  return path.replace('{pod-meta}', `${template}.metadata`).replace('{pod}', `${template}.spec`);
}

/** The objects and fields of `writes` that exist in the output. */
export function resolveWrites(
  writes: readonly FieldRef[],
  rowKey: string,
  objects: RoleObjects,
): { object: string; fields: string[] }[] {
  const byObject = new Map<string, string[]>();
  for (const ref of writes) {
    for (const o of objects(ref.object, rowKey)) {
      const path = concretePath(ref.path, o.json.kind);
      if (path === undefined || !hasField(o.json, path)) continue;
      const fields = byObject.get(o.ref) ?? [];
      if (path !== '' && !fields.includes(path)) fields.push(path);
      byObject.set(o.ref, fields);
    }
  }
  return [...byObject.entries()].map(([object, fields]) => ({ object, fields }));
}

/** Whether `key` is `prefix` or lies under it (`volumes[0]` under `volumes`, `a.b` under `a`). */
export function isUnder(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`);
}

interface Row {
  readonly key: string;
  readonly rule?: KeyRule;
  readonly writes: readonly FieldRef[];
  readonly value?: unknown;
  readonly location?: SourceLocation;
  readonly nothing?: string;
  readonly findings: Finding[];
}

/** The row each written key is accounted in: its own, its nearest ancestor's, or none (a group). */
function rowsOf(input: AccountInput): Row[] {
  const rows = new Map<string, Row>();
  const owner = new Map<string, string>();
  const childrenOf = new Map<string, number>();
  for (const k of input.keys) {
    const parent = parentOf(k.path);
    if (parent !== undefined) childrenOf.set(parent, (childrenOf.get(parent) ?? 0) + 1);
  }
  for (const k of input.keys) {
    const rule = input.ruleOf(k.pattern);
    const parent = parentOf(k.path);
    const parentRow = parent !== undefined ? owner.get(parent) : undefined;
    if (rule?.rule === 'part' && parentRow !== undefined) {
      owner.set(k.path, parentRow);
      continue;
    }
    // A mapping of keys is no row: its keys are, or the row above it holds them.
    if (rule?.rule === 'group' && (childrenOf.get(k.path) ?? 0) > 0) {
      if (parentRow !== undefined) owner.set(k.path, parentRow);
      continue;
    }
    // Under a dropped key, everything is dropped with it: its own rule does not apply.
    const dropping = parentRow !== undefined && rows.get(parentRow)?.rule?.rule === 'dropped';
    if (dropping) {
      owner.set(k.path, parentRow);
      continue;
    }
    owner.set(k.path, k.path);
    rows.set(k.path, {
      key: k.path,
      rule,
      writes: rule?.rule === 'translated' ? rule.writes : [],
      value: k.value,
      location: k.location,
      nothing: rule?.rule === 'group' ? 'empty: nothing to translate' : undefined,
      findings: [],
    });
  }
  for (const extra of input.extraRows ?? []) {
    rows.set(extra.key, {
      key: extra.key,
      rule: { rule: 'translated', writes: extra.writes },
      writes: extra.writes,
      location: extra.location,
      nothing: extra.nothing,
      findings: [],
    });
  }
  const keys = [...rows.keys()];
  for (const f of input.findings) {
    const home = keys.filter((k) => isUnder(f.key, k)).sort((a, b) => b.length - a.length)[0];
    if (home !== undefined) {
      rows.get(home)?.findings.push(f);
      continue;
    }
    // A finding about a key the file does not set (derived from another): a row of its own.
    const row: Row = {
      key: f.key,
      writes: [],
      location: f.location ?? input.locate?.(f.key),
      findings: [f],
    };
    rows.set(f.key, row);
    keys.push(f.key);
  }
  return [...rows.values()];
}

function parentOf(path: string): string | undefined {
  const segments = pathSegments(path);
  if (segments.length <= 1) return undefined;
  return segments.slice(0, -1).reduce<string>((p, s) => childPath(p, s), '');
}

/** What became of each key the owner sets. */
export function account(input: AccountInput): KeyExplanation[] {
  return rowsOf(input).map((row): KeyExplanation => {
    const problems = row.findings.filter(isWarning);
    const messages = row.findings.map((f) => (f.key === row.key ? f.message : `${f.key}: ${f.message}`));
    const done = (status: KeyStatus, extra: string[] = [], becomes: { object: string; fields: string[] }[] = []) => {
      const note = [...extra, ...messages].join('; ');
      return {
        key: row.key,
        status,
        objects: becomes.map((b) => b.object),
        fields: [...new Set(becomes.flatMap((b) => b.fields))],
        becomes,
        ...(note ? { note } : {}),
        ...(row.location ? { location: row.location } : {}),
      };
    };
    const rule = row.rule;
    if (rule?.rule === 'dropped') {
      const fine = rule.unless?.(row.value);
      if (fine !== undefined) return done('translated', [fine]);
      // The registry's finding carries the reason; it is among the messages.
      return done('dropped', messages.length > 0 ? [] : [rule.reason]);
    }
    if (rule?.rule === 'loader') return done(problems.length > 0 ? 'partial' : 'translated', [rule.note]);
    if (rule?.rule === 'stack-file')
      return done(problems.length > 0 ? 'partial' : 'translated', [`${rule.file}: ${rule.note}`]);
    const whollyLost = row.findings.some(
      (f) => (f.key === row.key && f.status === 'dropped') || f.severity === 'error',
    );
    if (whollyLost) return done('dropped');
    const becomes = resolveWrites(row.writes, row.key, input.objects);
    const status: KeyStatus = problems.length > 0 ? 'partial' : 'translated';
    if (becomes.length > 0) return done(status, [], becomes);
    const why = (rule?.rule === 'translated' ? rule.unless?.(row.value) : undefined) ?? row.nothing;
    if (why !== undefined) return done(status, [why]);
    // Nothing written, and the findings say why: the key had no effect.
    if (problems.length > 0) return done('dropped');
    // Notes of the translation say why nothing was written (an unused volume, a disabled probe).
    if (row.writes.length === 0 || row.findings.length > 0) return done('translated');
    // The rule names fields, none is in the output, and nothing says why: never call that translated.
    return done('dropped', ['nothing was written for it (a compose-cdk8s bug: please report it)']);
  });
}

/** Rows whose key the rule should have translated but that left nothing in the output. */
export const isLost = (row: KeyExplanation): boolean => row.note?.includes('a compose-cdk8s bug') === true;
