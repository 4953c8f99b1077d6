/**
 * The cdk8s app: synthesizes the seed stacks in charts/ into dist/<chart id>/ (`npx cdk8s synth`
 * or `npm run synth`). Each directory holds the manifests and a kustomization.yaml.
 */
import { App } from 'cdk8s';
import { addSeedCharts } from './charts';
import { writeCharts } from './lib/output/stack';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const app = new App({ outdir });
const charts = addSeedCharts(app);
for (const dir of writeCharts(charts, outdir)) console.log(`wrote ${dir}`);
