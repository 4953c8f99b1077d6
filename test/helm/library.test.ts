/** The Helm chart from a user's own cdk8s app: one call, and the chart follows the app's patches. */
import * as fs from 'fs';
import * as path from 'path';
import { App, JsonPatch } from 'cdk8s';
import { ComposeChart, helmChartFiles, loadProjectFromString, writeHelmChart } from '../../lib';
import { tempProject } from '../support/project';

test('writeHelmChart writes the chart of a ComposeChart, patches included, in its namespace by default', () => {
  const result = loadProjectFromString('services:\n  api:\n    image: api:1\n    ports: ["8000:8000"]\n', {
    workingDir: tempProject(),
  });
  if (!result.ok) throw new Error('load failed');
  const chart = new ComposeChart(new App(), 'shop', { project: result.project, namespace: 'shop' });
  chart.service('api').workload.addJsonPatch(JsonPatch.add('/spec/replicas', 3));
  const dir = path.join(tempProject(), 'chart');
  writeHelmChart(chart, dir);
  const values = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  expect(values).toMatch(/^namespaceOverride: shop$/m);
  expect(values).toMatch(/^ {4}replicas: 3$/m);
  expect(fs.readFileSync(path.join(dir, 'templates', 'services', 'api.yaml'), 'utf8')).toContain(
    'replicas: {{ (index $.Values.services "api").replicas | int }}',
  );
  // The same files, without writing them (the kind files depend on where the chart goes).
  const files = helmChartFiles(chart, dir);
  for (const name of ['Chart.yaml', 'values.yaml', 'templates/services/api.yaml']) {
    expect(files.get(name)?.content).toBe(fs.readFileSync(path.join(dir, name), 'utf8'));
  }
});
