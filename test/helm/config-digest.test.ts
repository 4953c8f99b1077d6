/**
 * The config digest in the Helm chart: a Secret's values come from the release's values, so the
 * digest of its readers is computed by the template, from the Secret as rendered. `helm upgrade`
 * with a changed value rolls exactly the workloads that read it; the default values render the
 * digest of the plain output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { CONFIG_DIGEST_ANNOTATION } from '../../lib/chart/config-digest';
import { helmChartFiles } from '../../lib/helm';
import { withoutSecrets } from '../../lib/output/external-secrets';
import { describeWithHelm, helmTemplate, runHelm, type KubeObject } from '../support/helm';
import { projectFrom, tempProject } from '../support/project';
import { byKey, differences, writeFiles } from './render';

const COMPOSE = `
name: shop
services:
  web:
    image: nginx:1.27
    configs: [site]
    secrets: [db_password]
  api:
    image: busybox
    command: sleep 1d
    environment:
      API_TOKEN: s3cr3t-token-value
    secrets: [db_password, smtp_password]
  mailer:
    image: busybox
    command: sleep 1d
    secrets: [smtp_password]
  static:
    image: busybox
    command: sleep 1d
    configs: [site]
configs:
  site:
    content: "title: shop"
secrets:
  db_password:
    file: ./db_password.txt
  smtp_password:
    file: ./smtp_password.txt
`;

const dir = tempProject({ 'db_password.txt': 'correct-horse', 'smtp_password.txt': 'battery-staple' });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function build(secrets: 'inline' | 'external' = 'inline') {
  const chart = new ComposeChart(Testing.app(), 'shop', { project: projectFrom(COMPOSE, { workingDir: dir }) });
  const all = chart.toJson() as KubeObject[];
  const objects = secrets === 'external' ? (withoutSecrets(all).objects as KubeObject[]) : all;
  const chartDir = path.join(dir, `chart-${secrets}`);
  const files = helmChartFiles(chart, chartDir, objects);
  return { objects, files, chartDir: writeFiles(chartDir, files) };
}

const digestOf = (o: KubeObject | undefined): unknown =>
  (o?.spec as { template: { metadata: { annotations?: Record<string, string> } } } | undefined)?.template.metadata
    .annotations?.[CONFIG_DIGEST_ANNOTATION];

test('a pod reading only ConfigMaps keeps the literal digest; one reading a Secret computes it', () => {
  const { files } = build();
  expect(files.get('templates/services/static.yaml')!.content).toMatch(
    new RegExp(`${CONFIG_DIGEST_ANNOTATION}: "?[0-9a-f]{64}"?\\n`),
  );
  expect(files.get('templates/services/web.yaml')!.content).toContain(
    `${CONFIG_DIGEST_ANNOTATION}: {{ include "shop.configDigest"`,
  );
  // The helper reads the Secrets as rendered: their values are not copied into the service templates.
  for (const file of ['templates/services/web.yaml', 'templates/_helpers.tpl'])
    expect(files.get(file)!.content).not.toContain(Buffer.from('correct-horse').toString('base64'));
});

test('converting the same project twice writes the same chart', () => {
  const a = build().files;
  const b = build().files;
  expect([...b].map(([name, f]) => [name, f.content])).toEqual([...a].map(([name, f]) => [name, f.content]));
});

describeWithHelm('the config digest in helm template', (helm) => {
  let built: ReturnType<typeof build>;
  let defaults: Map<string, KubeObject>;
  beforeAll(() => {
    built = build();
    defaults = byKey(helmTemplate(helm, built.chartDir));
  });

  /** `Kind/name field` paths that differ from the default rendering. */
  function changed(args: readonly string[]): string[] {
    const objects = byKey(helmTemplate(helm, built.chartDir, args));
    const keys = new Set([...defaults.keys(), ...objects.keys()]);
    return [...keys]
      .flatMap((k) =>
        !objects.has(k) ? [`${k} removed`] : differences(defaults.get(k), objects.get(k)).map((p) => `${k} ${p}`),
      )
      .sort();
  }

  test('the default values render the digests of the plain output', () => {
    const plain = byKey(built.objects);
    for (const name of ['web', 'api', 'mailer', 'static']) {
      const key = `Deployment/${name}`;
      expect({ key, digest: digestOf(defaults.get(key)) }).toEqual({ key, digest: digestOf(plain.get(key)) });
      expect(digestOf(plain.get(key))).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('nothing changed: the same rendering', () => {
    const args = ['template', 'release', built.chartDir, '--namespace', 'ns'];
    expect(runHelm(helm, args)).toBe(runHelm(helm, args));
  });

  test('a changed secret value rolls exactly the workloads reading that Secret', () => {
    const annotation = `spec.template.metadata.annotations.${CONFIG_DIGEST_ANNOTATION}`;
    expect(changed(['--set', 'secrets.smtp-password.values.smtp_password=new'])).toEqual([
      `Deployment/api ${annotation}`,
      `Deployment/mailer ${annotation}`,
      'Secret/smtp-password data.smtp_password',
    ]);
    expect(changed(['--set', 'secrets.api-env.values.API_TOKEN=rotated'])).toEqual([
      `Deployment/api ${annotation}`,
      'Secret/api-env data.API_TOKEN',
    ]);
    // The value the chart already holds: nothing changes.
    expect(changed(['--set', 'secrets.db-password.values.db_password=correct-horse'])).toEqual([]);
  });

  test('existingSecret: the Secret is left out of the digest, as with --secrets external', () => {
    const objects = byKey(helmTemplate(helm, built.chartDir, ['--set', 'secrets.db-password.existingSecret=vault-db']));
    const external = byKey(build('external').objects);
    // web reads a ConfigMap of the chart and the Secret; without it, what remains is the ConfigMap.
    expect(digestOf(objects.get('Deployment/web'))).toBe(digestOf(external.get('Deployment/web')));
    expect(digestOf(objects.get('Deployment/web'))).not.toBe(digestOf(defaults.get('Deployment/web')));
    expect(digestOf(objects.get('Deployment/mailer'))).toBe(digestOf(defaults.get('Deployment/mailer')));
  });
});
