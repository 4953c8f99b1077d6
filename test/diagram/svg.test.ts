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
import { renderDot } from '../../lib/diagram/dot';
import { stackGraph } from '../../lib/diagram/graph';
import type { StackGraph } from '../../lib/diagram/model';
import { renderSvg } from '../../lib/diagram/svg';
import { seedGraph } from './support';

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
