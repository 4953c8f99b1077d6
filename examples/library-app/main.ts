import { App, JsonPatch } from 'cdk8s';
import { ComposeChart, loadProjectOrThrow, writeStack } from 'compose-cdk8s';

const app = new App();

// Load compose.yaml (and compose.override.yaml) as `docker compose` would. `env: process.env`
// lets ${API_TAG} come from the shell, as with the CLI; leave it out for reproducible builds.
const project = loadProjectOrThrow({ workingDir: __dirname, env: process.env });
const chart = new ComposeChart(app, 'shop', { project, target: 'kind', namespace: 'shop' });

// Every generated object is reachable by its Compose name, and patchable.
chart.service('api').workload.addJsonPatch(JsonPatch.add('/spec/replicas', 2));
chart.claim('db-data').addJsonPatch(JsonPatch.replace('/spec/resources/requests/storage', '5Gi'));

app.synth(); // dist/shop.k8s.yaml, as in every cdk8s app
// dist/shop/: manifests, kustomization, kind-cluster.yaml, up.sh, NOTES.md, diagram.svg
writeStack(chart).then((dir) => console.log(`wrote ${dir}`));
