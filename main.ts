/**
 * The cdk8s app: synthesizes the seed stacks in charts/ into dist/<chart id>/ (`npx cdk8s synth`
 * or `npm run synth`). Each directory holds the manifests, a kustomization.yaml, the target's
 * files and the stack's diagram.
 */
import { App } from 'cdk8s';
import { addSeedCharts } from './charts';
import { writeCharts } from './lib/output/stack';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const app = new App({ outdir });
const charts = addSeedCharts(app);
writeCharts(charts, outdir).then(
  (dirs) => {
    for (const dir of dirs) console.log(`wrote ${dir}`);
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
