/**
 * diagram.svg: rendered offline from the DOT, it names every service, is the same bytes every
 * time, keeps the README's picture current, and lays a 33-service stack out without overlaps.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { instance } from '@viz-js/viz';
import { docsDiagramPath, renderDocsDiagram } from '../../charts/docs-diagrams';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { loadProject } from '../../lib/compose';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { dotText, renderDot } from '../../lib/diagram/dot';
import { stackGraph } from '../../lib/diagram/graph';
import type { StackGraph } from '../../lib/diagram/model';
import { renderSvg } from '../../lib/diagram/svg';
import { textWidth } from '../../lib/diagram/text-width';
import { seedGraph, snippetGraph } from './support';

/** The texts of an SVG, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
}

describe.each(['story-12-1', 'carbon-nexus-prod', 'dynoai-jetdrive', 'wildid-dev'])('%s', (id) => {
  let graph: StackGraph;
  let svg: string;
  beforeAll(async () => {
    graph = seedGraph(id);
    svg = await renderSvg(graph);
  });

  test('renders a standalone SVG naming every service and every entry point', () => {
    expect(svg).toMatch(/^<\?xml [^>]*>\n<!DOCTYPE svg[^>]*>/);
    expect(svg).toContain('<svg width=');
    const drawn = texts(svg);
    for (const s of graph.services) expect(drawn).toContain(s.service);
    for (const e of graph.entryPoints) expect(drawn).toContain(e.label[0]);
  });

  test('is the same bytes every time', async () => {
    expect(await renderSvg(seedGraph(id))).toBe(svg);
  });
});

test('docs/ holds the current diagram of the README (npm run docs:diagrams rewrites it)', async () => {
  expect(fs.readFileSync(docsDiagramPath(), 'utf8')).toBe(await renderDocsDiagram());
});

interface LaidOut {
  readonly objects?: { name: string; pos?: string; width?: string; height?: string; nodes?: number[] }[];
  readonly edges?: { lp?: string }[];
}

interface Box {
  readonly name: string;
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
}

const overlap = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

describe('a 33-service stack (test/fixtures/diagram/marketplace)', () => {
  let graph: StackGraph;
  let layout: LaidOut;
  beforeAll(async () => {
    const loaded = loadProject({
      workingDir: path.join(__dirname, '../fixtures/diagram/marketplace'),
      environment: {},
    });
    if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
    graph = stackGraph(new ComposeChart(new App(), 'marketplace', { project: loaded.project }));
    layout = (await instance()).renderJSON(renderDot(graph)) as LaidOut;
  });

  test('every service is a node', () => {
    expect(graph.services).toHaveLength(33);
  });

  test('Graphviz places no node over another, and no edge label on a node', () => {
    const boxes: Box[] = (layout.objects ?? [])
      .filter((o) => o.pos !== undefined && o.nodes === undefined)
      .map((o) => {
        const [x, y] = (o.pos as string).split(',').map(Number);
        const w = (Number(o.width) * 72) / 2;
        const h = (Number(o.height) * 72) / 2;
        return { name: o.name, x1: x - w, x2: x + w, y1: y - h, y2: y + h };
      });
    expect(boxes.length).toBe(graph.services.length + graph.entryPoints.length + graph.storage.length);
    const clashes: string[] = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => overlap(a, b) && clashes.push(`${a.name} / ${b.name}`)));
    for (const edge of layout.edges ?? []) {
      if (!edge.lp) continue;
      const [x, y] = edge.lp.split(',').map(Number);
      const point = { name: `label at ${edge.lp}`, x1: x, x2: x, y1: y, y2: y };
      for (const box of boxes)
        if (overlap({ ...point, x2: x + 0.01, y2: y + 0.01 }, box)) clashes.push(`${point.name} / ${box.name}`);
    }
    expect(clashes).toEqual([]);
  });
});

/** A text of the SVG where it is drawn, and how wide it can be (text-width.ts), in the SVG's units. */
interface Drawn {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  /** The node it labels: its outline's left and right edges. */
  readonly node?: { readonly id: string; readonly left: number; readonly right: number };
}

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Every text, placed as the root group's translate() places it, with its node's outline. */
function drawn(svg: string): { texts: Drawn[]; width: number; height: number } {
  const [, width, height] = /viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number);
  const [, dx, dy] = /<g id="graph0" class="graph" transform="[^"]*translate\(([-\d.]+) ([-\d.]+)\)"/
    .exec(svg)!
    .map(Number);
  const nodes = [
    ...svg.matchAll(
      /<g id="node\d+" class="node">\n<title>([^<]*)<\/title>\n<(?:path|polygon)\b[^>]*?\s(?:d|points)="([^"]+)"/g,
    ),
  ].map((m) => {
    const xs = [...m[2].matchAll(/(-?[\d.]+),-?[\d.]+/g)].map((p) => Number(p[1]) + dx);
    return { at: m.index, id: m[1], left: Math.min(...xs), right: Math.max(...xs) };
  });
  const groups = [...svg.matchAll(/<g id="[^"]+" class="(node|edge|cluster)">/g)].map((m) => ({
    at: m.index,
    kind: m[1],
  }));
  const texts = [
    ...svg.matchAll(
      /<text [^>]*text-anchor="(start|middle)" x="([-\d.]+)" y="([-\d.]+)"[^>]*?( font-weight="bold")? font-size="([\d.]+)">([^<]*)<\/text>/g,
    ),
  ].map((m) => {
    const text = decode(m[6]);
    const size = Number(m[5]);
    const w = textWidth(text, size, m[4] !== undefined);
    const x = Number(m[2]) + dx;
    const y = Number(m[3]) + dy;
    const left = m[1] === 'middle' ? x - w / 2 : x;
    const group = groups.filter((g) => g.at < m.index).pop();
    const node = group?.kind === 'node' ? nodes.filter((n) => n.at < m.index).pop() : undefined;
    return { text, left, right: left + w, top: y - size, bottom: y + size / 4, node };
  });
  return { texts, width, height };
}

/** The texts that may run out of their node or out of the picture, at their widest. */
function outside(svg: string): string[] {
  const { texts, width, height } = drawn(svg);
  const lines: string[] = [];
  for (const t of texts) {
    if (t.left < 0 || t.right > width || t.top < 0 || t.bottom > height) lines.push(`${t.text}: out of the picture`);
    if (t.node && (t.left < t.node.left || t.right > t.node.right)) lines.push(`${t.text}: out of ${t.node.id}`);
  }
  return lines;
}

describe('a service with a 60-character name', () => {
  const name = 'inventory-reconciliation-worker-for-the-northwind-warehouses';
  let svg: string;
  beforeAll(async () => {
    svg = await renderSvg(
      snippetGraph(`
services:
  ${name}:
    image: registry.example.com/logistics/inventory-reconciliation-worker:2024.11.3-alpine
    ports: ["8080:80"]
    depends_on: [db]
    volumes: [data:/var/lib/reconciliation/state]
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
volumes:
  data:
`),
    );
  });

  test('its name, at its widest, lies inside its box and inside the picture', () => {
    expect(name).toHaveLength(60);
    const { texts } = drawn(svg);
    const label = texts.find((t) => t.text === name);
    expect(label?.node).toBeDefined();
    expect(label!.left).toBeGreaterThanOrEqual(label!.node!.left);
    expect(label!.right).toBeLessThanOrEqual(label!.node!.right);
    expect(outside(svg)).toEqual([]);
  });

  test('every text of the picture, the edge labels and the entry point too', () => {
    const { texts } = drawn(svg);
    expect(texts.map((t) => t.text)).toEqual(
      expect.arrayContaining([`localhost:8080 -> ${name}:80`, '/var/lib/reconciliation/state', 'started']),
    );
    expect(outside(svg)).toEqual([]);
  });
});

test.each(['story-12-1', 'carbon-nexus-prod', 'dynoai-jetdrive', 'wildid-dev'])(
  '%s: every text inside its node and the picture at its widest',
  async (id) => {
    const svg = await renderSvg(seedGraph(id));
    expect(drawn(svg).texts.length).toBeGreaterThan(10);
    expect(outside(svg)).toEqual([]);
  },
);

test('the room kept for a text is at least what Graphviz measures in Helvetica, for every ASCII character', async () => {
  const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
  const label = (c: string, bold: boolean) => (bold ? `<b>${dotText(c.repeat(10))}</b>` : dotText(c.repeat(10)));
  const nodes = [false, true].flatMap((bold) =>
    chars.map((c, i) => `n${bold ? 'b' : 'r'}${i} [label=<${label(c, bold)}>];`),
  );
  const layout = (await instance()).renderJSON(
    `digraph { node [fontname="Helvetica", fontsize=100]; ${nodes.join(' ')} }`,
  ) as {
    objects: { name: string; _ldraw_?: { op: string; width?: number }[] }[];
  };
  const short: string[] = [];
  for (const o of layout.objects) {
    const measured = o._ldraw_?.find((d) => d.op === 'T')?.width ?? 0;
    const c = chars[Number(o.name.slice(2))];
    const kept = textWidth(c.repeat(10), 100, o.name[1] === 'b');
    if (kept < measured)
      short.push(`${JSON.stringify(c)} ${o.name[1] === 'b' ? 'bold' : 'regular'}: ${kept} < ${measured}`);
  }
  expect(layout.objects).toHaveLength(190);
  expect(short).toEqual([]);
});
