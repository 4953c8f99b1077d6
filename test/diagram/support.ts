/** Builds the diagram graph of a seed stack or of a Compose snippet, and reads it by name. */
import { Testing } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';
import { ComposeChart, type ComposeChartProps } from '../../lib/chart/compose-chart';
import { stackGraph } from '../../lib/diagram/graph';
import type { DiagramEdge, StackGraph } from '../../lib/diagram/model';
import { projectFrom } from '../support/project';

export function seedGraph(id: string): StackGraph {
  const seed = SEED_CHARTS.find((s) => s.id === id);
  if (!seed) throw new Error(`no seed chart ${id}`);
  return stackGraph(seed.build(Testing.app()));
}

export function snippetGraph(yaml: string, props: Partial<ComposeChartProps> = {}): StackGraph {
  const chart = new ComposeChart(Testing.app(), 'test', { project: projectFrom(yaml), ...props });
  return stackGraph(chart);
}

/** Every node's id -> its first label line, so edges read as names. */
function names(graph: StackGraph): Map<string, string> {
  return new Map(
    [...graph.services, ...graph.entryPoints, ...graph.storage].map((n) => [
      n.id,
      'service' in n ? n.service : n.label[0],
    ]),
  );
}

/** Edges of one kind as `from -> to: label`, named by first label line. */
export function edges(graph: StackGraph, kind: DiagramEdge['kind']): string[] {
  const name = names(graph);
  return graph.edges
    .filter((e) => e.kind === kind)
    .map((e) => `${name.get(e.from)} -> ${name.get(e.to)}${e.label.length > 0 ? `: ${e.label.join(' | ')}` : ''}`);
}

export function service(graph: StackGraph, name: string) {
  const found = graph.services.find((s) => s.service === name);
  if (!found) throw new Error(`no service ${name} in the graph`);
  return found;
}
