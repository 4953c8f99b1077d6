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

/**
 * Each line of a node's label centered on the node. Graphviz starts a line where its Helvetica
 * width centers it, so drawn in a wider font it leaned right, out of the box; dot.ts makes boxes
 * wide enough for the widest font, and centered, every font's text stays inside. For the DOT of
 * dot.ts, whose node labels are centered: dotToSvg leaves any other DOT as Graphviz draws it.
 */
export function centerNodeText(svg: string): string {
  return svg.replace(/<g id="node\d+" class="node">[\s\S]*?<\/g>/g, (node) => {
    // The node's outline comes first: a box's path, a polygon, a cylinder's body.
    const outline = /<(?:path|polygon)\b[^>]*?\s(?:d|points)="([^"]+)"/.exec(node);
    if (!outline) return node;
    const xs = [...outline[1].matchAll(/(-?[\d.]+),-?[\d.]+/g)].map((m) => Number(m[1]));
    const center = Number(((Math.min(...xs) + Math.max(...xs)) / 2).toFixed(2));
    return node.replace(/ text-anchor="start" x="-?[\d.]+"/g, ` text-anchor="middle" x="${center}"`);
  });
}

/** The DOT of dot.ts laid out, each node's text centered on it. */
export async function dotToSvgCentered(dot: string): Promise<string> {
  return centerNodeText(await dotToSvg(dot));
}

/** The stack drawn: the DOT of dot.ts laid out, each node's text centered on it. */
export async function renderSvg(graph: StackGraph): Promise<string> {
  return dotToSvgCentered(renderDot(graph));
}
