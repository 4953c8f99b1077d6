/** Architecture diagrams of a converted stack: one graph model, rendered as Mermaid, DOT and SVG. */
export { stackGraph } from './graph';
export { renderMermaid } from './mermaid';
export { renderDot } from './dot';
export { dotToSvg, renderSvg } from './svg';
export type * from './model';
export { isDrawable, MAX_DRAWN_SERVICES } from './model';
