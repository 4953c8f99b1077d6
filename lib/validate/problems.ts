/** A problem with a manifest, located by file, object and field path. */
export interface ManifestProblem {
  readonly severity: 'error' | 'warning';
  readonly file?: string;
  readonly kind?: string;
  readonly name?: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].ports[0].name`. */
  readonly path: string;
  readonly message: string;
}

export interface ManifestInput {
  readonly object: unknown;
  readonly file?: string;
  /** Position of the document in its file. */
  readonly index?: number;
}

/** `file: Kind/name: path: message`, leaving out what is unknown. */
export function formatProblem(p: ManifestProblem): string {
  const parts: string[] = [];
  if (p.file) parts.push(p.file);
  if (p.kind || p.name) parts.push(`${p.kind ?? '?'}/${p.name ?? '?'}`);
  if (p.path) parts.push(p.path);
  parts.push(p.message);
  return parts.join(': ');
}

export type Json = Record<string, unknown>;

export const record = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function identity(object: unknown): { kind?: string; name?: string } {
  const o = record(object);
  return { kind: text(o.kind), name: text(record(o.metadata).name) };
}
