/**
 * Each value of a generated chart changes what it says and nothing else: one Compose project
 * in, `helm template --set ...` out, and the exact set of changed fields compared with the
 * rendering of the default values.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { helmChartFiles } from '../../lib/helm';
import { describeWithHelm, helmTemplate, runHelm, type KubeObject } from '../support/helm';
import { expectValidManifests } from '../support/k8s-schema';
import { projectFrom, tempProject } from '../support/project';
import { byKey, differences, writeFiles } from './render';

const COMPOSE = `
name: shop
services:
  web:
    image: ghcr.io/example/web:2.1
    ports: ["8080:80"]
    environment:
      MODE: production
      API_KEY: literal-key-123
    command: ["sh", "-c", "echo '{{ .NotHelm }}'"]
    configs: [site]
    secrets: [db_password]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost/"]
      interval: 10s
    volumes: [uploads:/srv/uploads]
    x-k8s:
      ingress:
        host: shop.localhost
        paths: [/]
        port: 80
        tls: { secretName: shop-tls }
    deploy:
      resources:
        limits: { cpus: "0.5", memory: 256M }
  worker:
    image: ghcr.io/example/worker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    depends_on: [web]
volumes:
  uploads:
    x-k8s: { size: 2Gi }
configs:
  site:
    content: |
      title: {{ .Site.Title }}
secrets:
  db_password:
    file: ./db_password.txt
`;

const dir = tempProject({ 'db_password.txt': 'correct-horse-battery' });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function buildChart(): { chart: ComposeChart; files: ReturnType<typeof helmChartFiles>; chartDir: string } {
  const project = projectFrom(COMPOSE, { workingDir: dir });
  const chart = new ComposeChart(Testing.app(), 'shop', { project });
  const chartDir = path.join(dir, 'chart');
  const files = helmChartFiles(chart, chartDir);
  return { chart, files, chartDir: writeFiles(chartDir, files) };
}

test('values.yaml holds no secret value, and the README warns where the chart carries them', () => {
  const { files } = buildChart();
  const values = files.get('values.yaml')!.content;
  for (const secret of ['correct-horse-battery', 'literal-key-123']) {
    expect(values).not.toContain(secret);
    expect(values).not.toContain(Buffer.from(secret).toString('base64'));
  }
  expect(values).toContain('MODE: production');
  expect(files.get('README.md')!.content).toMatch(/Warning.*templates\/secrets\.yaml/);
});

test('the chart is a Helm v2 chart named after the project, with its files', () => {
  const { files } = buildChart();
  expect(files.get('Chart.yaml')!.content).toMatch(/^apiVersion: v2\nname: shop\n/);
  expect(files.get('Chart.yaml')!.content).toMatch(/\nversion: "0\.1\.0"\n/);
  expect([...files.keys()].sort()).toEqual([
    '.helmignore',
    'Chart.yaml',
    'README.md',
    'kind-cluster.yaml',
    'templates/NOTES.txt',
    'templates/_helpers.tpl',
    'templates/configmaps.yaml',
    'templates/ingresses.yaml',
    'templates/networkpolicies.yaml',
    'templates/persistentvolumeclaims.yaml',
    'templates/secrets.yaml',
    'templates/services/web.yaml',
    'templates/services/worker.yaml',
    'values.schema.json',
    'values.yaml',
  ]);
});

describeWithHelm('helm values', (helm) => {
  let chartDir: string;
  let defaults: Map<string, KubeObject>;
  beforeAll(() => {
    chartDir = buildChart().chartDir;
    defaults = byKey(helmTemplate(helm, chartDir));
  });

  /** `object field` paths that differ from the default rendering, and the new objects. */
  function changes(args: readonly string[]): { diff: string[]; objects: Map<string, KubeObject> } {
    const rendered = helmTemplate(helm, chartDir, args);
    // Whatever the values, the objects stay valid Kubernetes 1.27 objects.
    expectValidManifests(rendered, { checkReferences: false });
    const objects = byKey(rendered);
    const keys = new Set([...defaults.keys(), ...objects.keys()]);
    const diff = [...keys].flatMap((k) =>
      !objects.has(k) ? [`${k} removed`] : differences(defaults.get(k), objects.get(k)).map((p) => `${k} ${p}`),
    );
    return { diff: diff.sort(), objects };
  }
  const field = (o: KubeObject | undefined, at: string): unknown =>
    at.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

  test('a literal {{ in a command or a config file reaches the cluster unchanged', () => {
    const web = defaults.get('Deployment/web');
    expect(field(web, 'spec.template.spec.containers.0.args')).toEqual(['sh', '-c', "echo '{{ .NotHelm }}'"]);
    expect(field(defaults.get('ConfigMap/site'), 'data.site')).toBe('title: {{ .Site.Title }}\n');
  });

  test('image tag on a digest image, resources and env', () => {
    const { diff, objects } = changes([
      '--set-string',
      'services.worker.image.tag=3.0',
      '--set',
      'services.web.resources.limits.memory=1Gi',
      '--set',
      'services.web.env.MODE=staging',
    ]);
    expect(diff).toEqual([
      'Deployment/web spec.template.spec.containers.0.env.1.value',
      'Deployment/web spec.template.spec.containers.0.resources.limits.memory',
      'Deployment/worker spec.template.spec.containers.0.image',
    ]);
    expect(field(objects.get('Deployment/worker'), 'spec.template.spec.containers.0.image')).toBe(
      'ghcr.io/example/worker:3.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
    expect(field(objects.get('Deployment/web'), 'spec.template.spec.containers.0.env.1')).toEqual({
      name: 'MODE',
      value: 'staging',
    });
  });

  test('pullPolicy, livenessProbe.enabled, service type and nodePorts', () => {
    const { diff, objects } = changes([
      '--set',
      'services.web.image.pullPolicy=Always',
      '--set',
      'services.web.livenessProbe.enabled=false',
      '--set',
      'services.web.service.type=LoadBalancer',
      '--set',
      'services.web.nodePorts.tcp-8080=31000',
    ]);
    expect(diff).toEqual([
      'Deployment/web spec.template.spec.containers.0.imagePullPolicy',
      'Deployment/web spec.template.spec.containers.0.livenessProbe',
      'Service/web-published spec.ports.0.nodePort',
      'Service/web-published spec.type',
    ]);
    const web = objects.get('Deployment/web');
    expect(field(web, 'spec.template.spec.containers.0.imagePullPolicy')).toBe('Always');
    expect(field(web, 'spec.template.spec.containers.0.readinessProbe')).toBeDefined();
    expect(field(objects.get('Service/web-published'), 'spec.ports.0.nodePort')).toBe(31000);
    // A ClusterIP Service has no NodePort.
    const clusterIp = changes(['--set', 'services.web.service.type=ClusterIP']);
    expect(field(clusterIp.objects.get('Service/web-published'), 'spec.ports.0.nodePort')).toBeUndefined();
  });

  test('existingSecret and inline secret values', () => {
    const { diff, objects } = changes([
      '--set',
      'secrets.db-password.existingSecret=vault-db',
      '--set',
      'secrets.web-env.values.API_KEY=from-values',
    ]);
    expect(diff).toEqual([
      // The Secrets web reads changed: web rolls.
      'Deployment/web spec.template.metadata.annotations.compose-cdk8s.io/config-digest',
      'Deployment/web spec.template.spec.volumes.1.secret.secretName',
      'Secret/db-password removed',
      'Secret/web-env data.API_KEY',
    ]);
    expect(field(objects.get('Deployment/web'), 'spec.template.spec.volumes.1.secret.secretName')).toBe('vault-db');
    expect(field(objects.get('Secret/web-env'), 'data.API_KEY')).toBe(Buffer.from('from-values').toString('base64'));
  });

  test('persistence: size, storageClass, existingClaim', () => {
    expect(
      changes(['--set', 'persistence.uploads.size=5Gi', '--set', 'persistence.uploads.storageClass=fast']).diff,
    ).toEqual([
      'PersistentVolumeClaim/uploads spec.resources.requests.storage',
      'PersistentVolumeClaim/uploads spec.storageClassName',
    ]);
    const { diff, objects } = changes(['--set', 'persistence.uploads.existingClaim=old-uploads']);
    expect(diff).toEqual([
      'Deployment/web spec.template.spec.volumes.0.persistentVolumeClaim.claimName',
      'PersistentVolumeClaim/uploads removed',
    ]);
    expect(field(objects.get('Deployment/web'), 'spec.template.spec.volumes.0.persistentVolumeClaim.claimName')).toBe(
      'old-uploads',
    );
  });

  test('ingress: hosts, tls, className, enabled', () => {
    const { objects } = changes([
      '--set',
      'ingress.hosts[0].host=shop.example.com',
      '--set',
      'ingress.hosts[0].paths[0].path=/',
      '--set',
      'ingress.hosts[0].paths[0].service=web',
      '--set',
      'ingress.hosts[0].paths[0].port=80',
      '--set',
      'ingress.tls[0].hosts[0]=shop.example.com',
      '--set',
      'ingress.tls[0].secretName=example-tls',
      '--set',
      'ingress.className=traefik',
    ]);
    expect(objects.get('Ingress/web')?.spec).toEqual({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['shop.example.com'], secretName: 'example-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
          },
        },
      ],
    });
    expect(changes(['--set', 'ingress.enabled=false']).diff).toEqual(['Ingress/web removed']);
  });

  test('namespaceOverride and commonLabels reach every object and pod', () => {
    const objects = helmTemplate(helm, chartDir, [
      '--set',
      'namespaceOverride=shop-staging',
      '--set',
      'commonLabels.team=web',
    ]);
    for (const o of objects) {
      const metadata = o.metadata as { namespace?: string; labels?: Record<string, string> };
      expect({ o: `${o.kind}/${o.metadata.name}`, ns: metadata.namespace, team: metadata.labels?.team }).toEqual({
        o: `${o.kind}/${o.metadata.name}`,
        ns: 'shop-staging',
        team: 'web',
      });
    }
    expect(field(byKey(objects).get('Deployment/web'), 'spec.template.metadata.labels.team')).toBe('web');
  });

  test('values.schema.json rejects a misspelt value', () => {
    expect(() => helmTemplate(helm, chartDir, ['--set', 'services.web.replica=2'])).toThrow(/replica/);
  });

  test('NOTES.txt names the published ports and the Ingress routes', () => {
    // helm renders NOTES.txt only on install: render it through tpl in a throwaway copy.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-notes-'));
    try {
      fs.cpSync(chartDir, copy, { recursive: true });
      fs.copyFileSync(path.join(copy, 'templates', 'NOTES.txt'), path.join(copy, 'notes.txt'));
      fs.writeFileSync(
        path.join(copy, 'templates', 'notes-check.yaml'),
        'kind: ConfigMap\napiVersion: v1\nmetadata: { name: notes }\ndata:\n  notes: {{ tpl (.Files.Get "notes.txt") . | quote }}\n',
      );
      const notes = runHelm(helm, [
        'template',
        'release',
        copy,
        '-n',
        'ns',
        '--show-only',
        'templates/notes-check.yaml',
      ]);
      const text = JSON.parse(/notes: (".*")/.exec(notes)![1]) as string;
      expect(text).toMatch(/8080\/tcp -> web:80: Service web-published \(NodePort, NodePort 3\d{4}\)/);
      expect(text).toContain('http://shop.localhost/ -> web:80');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

test('on kind, a chart whose kind config mounts home paths says how to fill in ${HOME} when creating the cluster', () => {
  const home = tempProject({ '.aws/config': '[default]\n' });
  const project = projectFrom(
    'name: aws\nservices:\n  cli:\n    image: amazon/aws-cli\n    volumes: ["~/.aws:/root/.aws:ro"]\n',
    {
      workingDir: tempProject({}),
      environment: { HOME: home },
    },
  );
  const files = helmChartFiles(new ComposeChart(Testing.app(), 'aws', { project }), path.join(dir, 'aws-chart'));
  expect(files.get('kind-cluster.yaml')!.content).toContain('hostPath: "${HOME}/.aws"');
  const readme = files.get('README.md')!.content;
  expect(readme).toContain(
    `awk '{ while ((i = index($0, "\${HOME}")) > 0) $0 = substr($0, 1, i - 1) ENVIRON["HOME"] substr($0, i + 7); print }' kind-cluster.yaml | kind create cluster --config=-`,
  );
  expect(readme).toContain('create the cluster from here');
});
