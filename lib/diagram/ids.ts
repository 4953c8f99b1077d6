/**
 * Node ids both Mermaid and DOT accept unquoted and that no keyword can capture (`end`, `graph`,
 * ids starting with `o` or `x` after an arrow): a prefix per kind of node, then the name with
 * everything but ASCII letters and digits as `_`. Compose names may differ only there (`a.b`,
 * `a-b`): the later one, in the caller's deterministic order, gets a number.
 */
export class DiagramIds {
  private readonly used = new Set<string>();
  private readonly assigned = new Map<string, string>();

  id(prefix: string, name: string): string {
    const key = `${prefix}\u0000${name}`;
    const known = this.assigned.get(key);
    if (known !== undefined) return known;
    const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.assigned.set(key, id);
    return id;
  }
}
