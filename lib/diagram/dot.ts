/**
 * StackGraph -> Graphviz DOT, the source of diagram.svg. Left to right: entry points, then the
 * services in their network clusters (depends_on edges point at what starts first), then what
 * they mount. Labels are HTML-like labels, so every text is XML-escaped and nothing in a name
 * (`"`, `\`, `&`, `<`) can end a string or be read as an escape or entity.
 */
import type { DiagramEdge, EntryKind, Label, StackGraph, StorageKind } from './model';
import { textWidth } from './text-width';

/** One line of text, escaped for a Graphviz HTML-like label. */
export function dotText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<br/>');
}

/** One line of a label: its text, its size in points and whether it is bold. */
interface Line {
  readonly text: string;
  readonly size: number;
  readonly bold?: boolean;
}

const NODE_SIZE = 11;
const DETAIL_SIZE = 9;
const EDGE_SIZE = 9;
const NETWORK_SIZE = 10;
const TITLE_SIZE = 12;

/**
 * Lines in a table cell as wide as the widest can be drawn (text-width.ts): Graphviz keeps that
 * much room for them, so a box, the space of an edge label and the picture itself hold the text
 * in any sans-serif font. Node labels are centered by svg.ts; the others start at the cell's left.
 */
function sized(lines: readonly Line[], align: 'center' | 'left', inheritedSize: number): string {
  const width = Math.max(
    1,
    ...lines.flatMap((l) => l.text.split(/\r?\n/).map((t) => Math.ceil(textWidth(t, l.size, l.bold)))),
  );
  const html = lines
    .map((l) => {
      const text = l.bold ? `<b>${dotText(l.text)}</b>` : dotText(l.text);
      return l.size === inheritedSize ? text : `<font point-size="${l.size}">${text}</font>`;
    })
    .join('<br/>');
  const aligned = align === 'left' ? ' align="left" balign="left"' : '';
  return `<<table border="0" cellborder="0" cellspacing="0" cellpadding="0"><tr><td width="${width}"${aligned}>${html}</td></tr></table>>`;
}

/** First line bold, the others smaller: a node reads as its name first. */
function nodeLabel(label: Label): string {
  const [title, ...details] = label;
  return sized(
    [{ text: title ?? '', size: NODE_SIZE, bold: true }, ...details.map((text) => ({ text, size: DETAIL_SIZE }))],
    'center',
    NODE_SIZE,
  );
}

const plainLabel = (label: Label, size: number) =>
  sized(
    label.map((text) => ({ text, size })),
    'left',
    size,
  );

const ENTRY_STYLE: Readonly<Record<EntryKind, string>> = {
  'published-port': 'shape=cds, style=filled, fillcolor="#fff4e0", color="#d08a00"',
  'host-network': 'shape=cds, style=filled, fillcolor="#fff4e0", color="#d08a00"',
  ingress: 'shape=cds, style=filled, fillcolor="#ffe8c2", color="#d08a00"',
};

const STORAGE_STYLE: Readonly<Record<StorageKind, string>> = {
  claim: 'shape=cylinder, style=filled, fillcolor="#eef7ee", color="#4f8a4f"',
  'host-path': 'shape=folder, style=filled, fillcolor="#f3f3f3", color="#888888"',
  'config-map': 'shape=note, style=filled, fillcolor="#f5effa", color="#7b5ea7"',
  secret: 'shape=note, style=filled, fillcolor="#fdecec", color="#b24a4a"',
};

const EDGE_STYLE: Readonly<Record<DiagramEdge['kind'], string>> = {
  route: 'color="#d08a00", penwidth=1.5',
  'depends-on': 'color="#4a6fa5"',
  mount: 'style=dashed, color="#777777", arrowhead=none',
};

function edgeLine(e: DiagramEdge): string {
  const attrs = [EDGE_STYLE[e.kind], ...(e.label.length > 0 ? [`label=${plainLabel(e.label, EDGE_SIZE)}`] : [])];
  if (e.kind === 'depends-on' && !e.required) attrs.push('style=dashed');
  return `  ${e.from} -> ${e.to} [${attrs.join(', ')}];`;
}

export function renderDot(graph: StackGraph): string {
  const out = [
    'digraph stack {',
    `  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.7, fontname="Helvetica", fontsize=${TITLE_SIZE}, labelloc=t, label=${sized([{ text: graph.name, size: TITLE_SIZE, bold: true }], 'left', TITLE_SIZE)}];`,
    `  node [fontname="Helvetica", fontsize=${NODE_SIZE}, margin="0.2,0.08"];`,
    `  edge [fontname="Helvetica", fontsize=${EDGE_SIZE}, arrowsize=0.7];`,
  ];
  const byId = new Map(graph.services.map((s) => [s.id, s]));
  const serviceLine = (id: string, indent: string) => {
    const s = byId.get(id);
    return s
      ? [
          `${indent}${s.id} [shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#4a6fa5", label=${nodeLabel(s.label)}];`,
        ]
      : [];
  };
  const grouped = new Set(graph.networks.flatMap((n) => n.services));
  for (const network of graph.networks) {
    out.push(
      `  subgraph cluster_${network.id} {`,
      `    graph [label=${plainLabel([network.label], NETWORK_SIZE)}, style="rounded${network.internal ? ',dashed' : ''}", color="#9aa9bd", fontsize=${NETWORK_SIZE}, labeljust=l];`,
      ...network.services.flatMap((id) => serviceLine(id, '    ')),
      '  }',
    );
  }
  for (const s of graph.services) if (!grouped.has(s.id)) out.push(...serviceLine(s.id, '  '));
  for (const e of graph.entryPoints) out.push(`  ${e.id} [${ENTRY_STYLE[e.kind]}, label=${nodeLabel(e.label)}];`);
  for (const s of graph.storage) out.push(`  ${s.id} [${STORAGE_STYLE[s.kind]}, label=${nodeLabel(s.label)}];`);
  out.push(...graph.edges.map(edgeLine), '}');
  return out.join('\n') + '\n';
}
