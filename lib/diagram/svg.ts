/**
 * StackGraph -> standalone SVG, offline: Graphviz compiled to WebAssembly (`@viz-js/viz`) lays
 * out the DOT rendering. Its text widths come from Graphviz's built-in font metrics, not from
 * fonts installed on the machine, so the same graph gives the same bytes everywhere.
 *
 * The WebAssembly module can only be instantiated asynchronously (its loader awaits the
 * instantiation), hence the Promise; once loaded, one instance serves every rendering.
 */
import { instance, type Viz } from '@viz-js/viz';
import { renderDot } from './dot';
import type { StackGraph } from './model';

let viz: Promise<Viz> | undefined;

export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  return (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
}

export function renderSvg(graph: StackGraph): Promise<string> {
  return dotToSvg(renderDot(graph));
}
