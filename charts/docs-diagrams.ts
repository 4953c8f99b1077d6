/**
 * The diagram the README shows: one seed stack drawn as diagram.svg draws it, committed under
 * docs/. `npm run docs:diagrams` writes it; test/diagram/docs.test.ts renders it again and
 * compares, so the picture in the README cannot drift from what convert draws.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { stackGraph } from '../lib/diagram/graph';
import { renderSvg } from '../lib/diagram/svg';
import { SEED_CHARTS } from '.';
import { packageRoot } from './paths';

/** story-12-1: the proxy -> frontend/backend -> database and cache picture, with its Ingress and volumes. */
export const DOCS_DIAGRAM = { seed: 'story-12-1', file: 'docs/story-12-1.svg' } as const;

export function docsDiagramPath(): string {
  return join(packageRoot(), DOCS_DIAGRAM.file);
}

export function renderDocsDiagram(): Promise<string> {
  const seed = SEED_CHARTS.find((s) => s.id === DOCS_DIAGRAM.seed);
  if (!seed) throw new Error(`no seed chart ${DOCS_DIAGRAM.seed}`);
  return renderSvg(stackGraph(seed.build(new App())));
}

if (require.main === module) {
  renderDocsDiagram().then(
    (svg) => {
      writeFileSync(docsDiagramPath(), svg);
      console.log(`wrote ${DOCS_DIAGRAM.file}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
