/**
 * The cdk8s app: synthesizes the seed stacks in charts/ into dist/<chart id>/ (`npx cdk8s synth`
 * or `npm run synth`). Each directory holds the manifests, a kustomization.yaml, the target's
 * files and the stack's diagram.
 */
import { App } from 'cdk8s';
import { addSeedCharts } from './charts';
import { layoutFile } from './lib/diagram/layout-cache';
import { writeCharts } from './lib/output/stack';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
// The cdk8s CLI empties the output directory before each synth: scripts/synth-app.js names a file
// that keeps the diagrams laid out (Graphviz in WebAssembly, the dearest part of a synth) meanwhile.
const layoutCache = process.env.COMPOSE_CDK8S_LAYOUT_CACHE;
const layouts = layoutCache ? layoutFile(layoutCache) : undefined;
const app = new App({ outdir });
const charts = addSeedCharts(app);
writeCharts(charts, outdir, { layouts }).then(
  (dirs) => {
    layouts?.save();
    for (const dir of dirs) console.log(`wrote ${dir}`);
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
