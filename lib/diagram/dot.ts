/**
 * StackGraph -> Graphviz DOT, the source of diagram.svg. Left to right: entry points, then the
 * services in their network clusters (depends_on edges point at what starts first), then what
 * they mount. Labels are HTML-like labels, so every text is XML-escaped and nothing in a name
 * (`"`, `\`, `&`, `<`) can end a string or be read as an escape or entity.
 */
import type { DiagramEdge, EntryKind, Label, StackGraph, StorageKind } from './model';

/** One line of text, escaped for a Graphviz HTML-like label. */
export function dotText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<br/>');
}

/** First line bold, the others smaller: a node reads as its name first. */
function nodeLabel(label: Label): string {
  const [title, ...details] = label.map(dotText);
  const rest = details.map((d) => `<br/><font point-size="9">${d}</font>`).join('');
  return `<<b>${title ?? ''}</b>${rest}>`;
}

const plainLabel = (label: Label) => `<${label.map(dotText).join('<br/>')}>`;

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
  const attrs = [EDGE_STYLE[e.kind], ...(e.label.length > 0 ? [`label=${plainLabel(e.label)}`] : [])];
  if (e.kind === 'depends-on' && !e.required) attrs.push('style=dashed');
  return `  ${e.from} -> ${e.to} [${attrs.join(', ')}];`;
}

export function renderDot(graph: StackGraph): string {
  const out = [
    'digraph stack {',
    `  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.7, fontname="Helvetica", fontsize=12, labelloc=t, label=${nodeLabel([graph.name])}];`,
    '  node [fontname="Helvetica", fontsize=11, margin="0.2,0.08"];',
    '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
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
      `    graph [label=${plainLabel([network.label])}, style="rounded${network.internal ? ',dashed' : ''}", color="#9aa9bd", fontsize=10, labeljust=l];`,
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
