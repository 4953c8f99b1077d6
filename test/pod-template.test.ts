/**
 * Everything that reads synthesized objects back finds a CronJob's pod template, one level deeper
 * than a Deployment's: the build script, the diagram, the Helm chart and the validator.
 */
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ComposeChart } from '../lib/chart/compose-chart';
import { readObjects } from '../lib/diagram/objects';
import { helmChartFiles } from '../lib/helm';
import { podTemplateOf, podTemplatePath } from '../lib/pod-template';
import { targetFiles } from '../lib/targets/files';
import { projectFrom, tempProject } from './support/project';

const COMPOSE = `name: cron
services:
  tick:
    build: ./app
    volumes: [ticks:/var/ticks]
    labels:
      kompose.cronjob.schedule: "*/5 * * * *"
volumes:
  ticks: {}
`;

function chart() {
  const dir = tempProject({ 'app/Dockerfile': 'FROM busybox\n' });
  const project = projectFrom(COMPOSE, { workingDir: dir });
  return { chart: new ComposeChart(Testing.app(), 'cron', { project }), dir };
}

test('the pod template of each workload kind, where the API keeps it', () => {
  const pod = { spec: { containers: [] } };
  expect(podTemplateOf({ kind: 'Deployment', spec: { template: pod } })).toBe(pod);
  expect(podTemplateOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: pod } } } })).toBe(pod);
  expect(podTemplateOf({ kind: 'CronJob', spec: { template: pod } })).toBeUndefined();
  expect(podTemplateOf({ kind: 'Service', spec: { template: pod } })).toBeUndefined();
  expect(podTemplatePath('CronJob')).toBe('spec.jobTemplate.spec.template');
  expect(podTemplatePath('Pod')).toBeUndefined();
});

test('a CronJob built by Compose: load-images.sh builds its image (convert failed with "no image on the workload")', () => {
  const { chart: c, dir } = chart();
  const files = targetFiles(c, c.exposure, path.join(dir, 'k8s')).files;
  expect(files.get('load-images.sh')?.content).toContain('docker build -t cron-tick ../app');
});

test("the diagram reads a CronJob's image and mounts", () => {
  const workload = readObjects(chart().chart.toJson()).workloads.get('CronJob/tick');
  expect(workload?.image).toBe('cron-tick');
  expect(workload?.mounts.map((m) => m.mountPath)).toEqual(['/var/ticks']);
});

test("the Helm chart templates a CronJob's image like any workload's", () => {
  const { chart: c, dir } = chart();
  const files = helmChartFiles(c, path.join(dir, 'chart'));
  expect(files.get('values.yaml')?.content).toContain('  tick:\n    image:\n');
  expect(files.get('templates/services/tick.yaml')?.content).toContain(
    'image: {{ include "cron.image" (index $.Values.services "tick").image | quote }}',
  );
});
