/** The library as a user's own cdk8s app sees it: load, build the chart, reach and patch an object. */
import * as fs from 'fs';
import * as path from 'path';
import { App, JsonPatch, Testing } from 'cdk8s';
import {
  ComposeChart,
  loadProjectFromString,
  renderMermaid,
  renderSvg,
  stackGraph,
  validateManifests,
} from '../../lib';
import { tempProject } from '../support/project';

test('load a project, build a ComposeChart, patch a generated object, synthesize valid manifests', () => {
  const result = loadProjectFromString('services:\n  api:\n    image: api:1\n    ports: ["8000:8000"]\n', {
    workingDir: tempProject(),
  });
  if (!result.ok) throw new Error('load failed');
  const chart = new ComposeChart(new App(), 'shop', { project: result.project, namespace: 'shop' });
  chart.service('api').workload.addJsonPatch(JsonPatch.add('/spec/replicas', 3));
  const objects = Testing.synth(chart);
  const api = objects.find((o) => o.kind === 'Deployment') as { spec: { replicas: number } };
  expect(api.spec.replicas).toBe(3);
  expect(validateManifests(objects.map((object) => ({ object }))).filter((p) => p.severity === 'error')).toEqual([]);
});

test("app.synth() writes the Namespace first, so kubectl apply -f on the chart's file works on the first try", () => {
  const result = loadProjectFromString('services:\n  api:\n    image: api:1\n', { workingDir: tempProject() });
  if (!result.ok) throw new Error('load failed');
  const outdir = tempProject();
  const app = new App({ outdir });
  new ComposeChart(app, 'shop', { project: result.project, namespace: 'shop' });
  app.synth();
  const yaml = fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8');
  expect(yaml.split('\n---\n')[0]).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
});

test('the diagram of a chart: its graph, drawn as Mermaid and as SVG', async () => {
  const result = loadProjectFromString('services:\n  api:\n    image: api:1\n    ports: ["8000:8000"]\n', {
    workingDir: tempProject(),
  });
  if (!result.ok) throw new Error('load failed');
  const graph = stackGraph(new ComposeChart(new App(), 'shop', { project: result.project }));
  expect(graph.services.map((s) => s.label)).toEqual([['api', 'Deployment, 1 replica', 'api:1']]);
  expect(renderMermaid(graph)).toContain('port_api_localhost_8000_tcp ==> svc_api');
  expect(await renderSvg(graph)).toContain('>api</text>');
});
