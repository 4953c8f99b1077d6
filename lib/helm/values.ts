/**
 * The chart's values as one documented tree: values.yaml (with its comments), values.schema.json
 * and the README's values table are all written from it, so they cannot disagree.
 */
import { scalar, stringifyDocuments } from '../output/yaml';

export type JsonSchema = Readonly<Record<string, unknown>>;

/** A value with its default, its JSON schema and what it does. */
export interface ValueLeaf {
  readonly leaf: true;
  readonly value: unknown;
  readonly schema: JsonSchema;
  readonly doc: string;
}

/** A mapping of documented values; `open` mappings accept keys the chart does not list. */
export interface ValueMap {
  readonly leaf: false;
  readonly children: ReadonlyMap<string, ValueNode>;
  readonly doc?: string;
}

export type ValueNode = ValueLeaf | ValueMap;

export const leaf = (value: unknown, schema: JsonSchema, doc: string): ValueLeaf => ({
  leaf: true,
  value,
  schema,
  doc,
});

export function map(entries: readonly (readonly [string, ValueNode])[], doc?: string): ValueMap {
  return { leaf: false, children: new Map(entries), doc };
}

/** The plain values, as `helm template` sees them with no override. */
export function plainValues(node: ValueNode): unknown {
  if (node.leaf) return node.value;
  return Object.fromEntries([...node.children].map(([k, v]) => [k, plainValues(v)]));
}

function commentLines(doc: string | undefined, pad: string): string[] {
  return doc ? doc.split('\n').map((line) => `${pad}# ${line}`.trimEnd()) : [];
}

function emitValues(node: ValueMap, pad: string, out: string[]): void {
  for (const [key, child] of node.children) {
    out.push(...commentLines(child.doc, pad));
    if (!child.leaf) {
      if (child.children.size === 0) out.push(`${pad}${scalar(key)}: {}`);
      else {
        out.push(`${pad}${scalar(key)}:`);
        emitValues(child, `${pad}  `, out);
      }
      continue;
    }
    // The project's YAML writer quotes whatever a YAML reader could misread (`on`, `1e3`, `*`).
    const lines = stringifyDocuments([{ [key]: child.value }])
      .trimEnd()
      .split('\n');
    out.push(...lines.map((line) => (line === '' ? '' : `${pad}${line}`)));
  }
}

/** values.yaml: every value with its comment. */
export function renderValuesYaml(root: ValueMap, header: string): string {
  const out = commentLines(header, '');
  out.push('');
  emitValues(root, '', out);
  return out.join('\n') + '\n';
}

/** values.schema.json: typos in a value name or a wrong type fail `helm install` and `helm lint`. */
export function valuesSchema(node: ValueNode): JsonSchema {
  if (node.leaf) return { ...node.schema, description: node.doc };
  return {
    type: 'object',
    ...(node.doc ? { description: node.doc } : {}),
    properties: Object.fromEntries([...node.children].map(([k, v]) => [k, valuesSchema(v)])),
    additionalProperties: false,
  };
}

export interface ValueRow {
  readonly key: string;
  readonly type: string;
  readonly value: string;
  readonly doc: string;
}

const keyPart = (key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key));

/** One row per leaf value, for the README's table. */
export function valueRows(node: ValueMap, prefix = ''): ValueRow[] {
  return [...node.children].flatMap(([key, child]) => {
    const path = prefix === '' ? keyPart(key) : `${prefix}.${keyPart(key)}`;
    if (!child.leaf) return valueRows(child, path);
    const type = child.schema.type;
    return [
      {
        key: path,
        type: Array.isArray(type) ? type.join(' or ') : String(type ?? 'any'),
        value: JSON.stringify(child.value),
        doc: child.doc.replace(/\n/g, ' '),
      },
    ];
  });
}
