/**
 * StackGraph -> Mermaid `flowchart`, for NOTES.md (GitHub and most Markdown editors draw it).
 * Labels are quoted strings; what Mermaid would read as syntax or markup inside them is written
 * as its entity codes (`#34;` for `"`), and lines are joined with `<br>`.
 */
import type { DiagramEdge, Label, StackGraph, StorageKind } from './model';

const ENTITIES: Readonly<Record<string, string>> = {
  '"': '#34;',
  '#': '#35;',
  '&': '#38;',
  '<': '#60;',
  '>': '#62;',
  '`': '#96;',
};

/** One line of text as Mermaid shows it literally inside a quoted label. */
export function mermaidText(text: string): string {
  return text.replace(/["#&<>`]/g, (c) => ENTITIES[c]).replace(/\r?\n/g, '<br>');
}

function mermaidLabel(label: Label, boldFirst = false): string {
  const lines = label.map(mermaidText);
  if (boldFirst && lines.length > 0) lines[0] = `<b>${lines[0]}</b>`;
  return `"${lines.join('<br>')}"`;
}

const STORAGE_SHAPE: Readonly<Record<StorageKind, [string, string]>> = {
  claim: ['[(', ')]'],
  'host-path': ['[[', ']]'],
  'config-map': ['[/', '/]'],
  secret: ['[/', '/]'],
};

const STORAGE_CLASS: Readonly<Record<StorageKind, string>> = {
  claim: 'claim',
  'host-path': 'hostpath',
  'config-map': 'config',
  secret: 'secret',
};

const CLASSES = [
  'classDef service fill:#e8f0fe,stroke:#4a6fa5,color:#1a1a1a',
  'classDef entry fill:#fff4e0,stroke:#d08a00,color:#1a1a1a',
  'classDef claim fill:#eef7ee,stroke:#4f8a4f,color:#1a1a1a',
  'classDef hostpath fill:#f3f3f3,stroke:#888888,color:#1a1a1a',
  'classDef config fill:#f5effa,stroke:#7b5ea7,color:#1a1a1a',
  'classDef secret fill:#fdecec,stroke:#b24a4a,color:#1a1a1a',
];

function edge(e: DiagramEdge): string {
  const arrow = e.kind === 'route' ? '==>' : e.kind === 'mount' ? '-.->' : '-->';
  const text = e.label.length > 0 ? `|${mermaidLabel(e.label)}|` : '';
  return `  ${e.from} ${arrow}${text} ${e.to}`;
}

export function renderMermaid(graph: StackGraph): string {
  const out = ['flowchart LR'];
  const byId = new Map(graph.services.map((s) => [s.id, s]));
  const serviceLine = (id: string, indent: string) => {
    const s = byId.get(id);
    return s ? [`${indent}${s.id}[${mermaidLabel(s.label, true)}]:::service`] : [];
  };
  const grouped = new Set(graph.networks.flatMap((n) => n.services));
  for (const network of graph.networks) {
    out.push(`  subgraph ${network.id}[${mermaidLabel([network.label])}]`);
    for (const id of network.services) out.push(...serviceLine(id, '    '));
    out.push('  end');
  }
  for (const s of graph.services) if (!grouped.has(s.id)) out.push(...serviceLine(s.id, '  '));
  for (const e of graph.entryPoints) {
    out.push(`  ${e.id}([${mermaidLabel(e.label)}]):::entry`);
  }
  for (const s of graph.storage) {
    const [open, close] = STORAGE_SHAPE[s.kind];
    out.push(`  ${s.id}${open}${mermaidLabel(s.label)}${close}:::${STORAGE_CLASS[s.kind]}`);
  }
  out.push(...graph.edges.map(edge));
  out.push(...CLASSES.map((c) => `  ${c}`));
  for (const network of graph.networks) {
    if (network.internal) out.push(`  style ${network.id} stroke-dasharray: 5 5`);
  }
  return out.join('\n') + '\n';
}
