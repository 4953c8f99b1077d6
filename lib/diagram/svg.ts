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

/**
 * Starts loading the renderer now: WebAssembly compiles on a background thread, so a caller that
 * will draw later (convert) overlaps the compilation with loading and translating the project.
 */
export function preloadSvgRenderer(): void {
  viz ??= instance();
  // A failure surfaces where the renderer is awaited, not as an unhandled rejection.
  viz.catch(() => undefined);
}

export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  return (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
}

export function renderSvg(graph: StackGraph): Promise<string> {
  return dotToSvg(renderDot(graph));
}
