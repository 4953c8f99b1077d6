/**
 * Day two: re-applying a changed stack rolls exactly the workloads whose configuration changed, as
 * `docker compose up -d` recreates exactly those containers. A pod template carries the digest of
 * the content it reads from the stack's own ConfigMaps and Secrets; nothing else.
 */
import * as fs from 'fs';
import {
  CONFIG_DIGEST_ANNOTATION,
  configDigest,
  consumedObjects,
  withConfigDigests,
} from '../../lib/chart/config-digest';
import { withoutSecrets } from '../../lib/output/external-secrets';
import { stringifyDocuments } from '../../lib/output/yaml';
import { tempProject } from '../support/project';
import { synthProject, type K8sObject } from '../support/synth';

const STACK = `
name: shop
services:
  web:
    image: nginx:1.27
    volumes:
      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro
  api:
    image: busybox
    command: sleep 1d
    env_file: api.env
    secrets: [db_password]
  worker:
    image: busybox
    command: sleep 1d
  agent:
    image: busybox
    command: sleep 1d
    configs: [agent]
    deploy: { mode: global }
  migrate:
    image: busybox
    command: "true"
    restart: "no"
    secrets: [db_password]
  report:
    image: busybox
    command: "true"
    secrets: [db_password]
    labels:
      kompose.cronjob.schedule: "0 * * * *"
configs:
  agent:
    content: "interval: 10s"
secrets:
  db_password:
    file: ./db_password.txt
`;

const FILES = {
  'nginx.conf': 'server { listen 80; }\n',
  'api.env': 'LOG_LEVEL=info\n',
  'db_password.txt': 'correct-horse-battery\n',
};

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

/** The stack converted from a project directory holding FILES with `changes` written over them. */
function convert(changes: Record<string, string> = {}, yaml = STACK) {
  const dir = tempProject({ ...FILES, ...changes });
  try {
    return synthProject(yaml, { workingDir: dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Each workload's digest annotation (undefined: none), by `Kind/name`. */
function digests(objects: readonly K8sObject[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const o of objects.filter((o) => WORKLOADS.includes(o.kind))) {
    const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
    out[`${o.kind}/${o.metadata.name}`] = template.metadata?.annotations?.[CONFIG_DIGEST_ANNOTATION];
  }
  return out;
}

/** The `Kind/name` of the objects that differ between two conversions. */
function changedObjects(before: readonly K8sObject[], after: readonly K8sObject[]): string[] {
  const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
  const old = new Map(before.map((o) => [key(o), stringifyDocuments([o])]));
  return after.filter((o) => old.get(key(o)) !== stringifyDocuments([o])).map(key);
}

describe('the config digest of a pod template', () => {
  test('a workload reading a ConfigMap or Secret of the stack carries one; the others, Jobs and CronJobs none', () => {
    const d = digests(convert().objects);
    expect(Object.keys(d).filter((k) => d[k] !== undefined)).toEqual([
      'Deployment/web',
      'Deployment/api',
      'DaemonSet/agent',
    ]);
    expect(d['Deployment/web']).toMatch(/^[0-9a-f]{64}$/);
    // A Job's pod template cannot change: a digest there would make `kubectl apply` fail.
    expect(d['Job/migrate']).toBeUndefined();
    // Every run of a CronJob is a new pod that reads the Secret as it is then.
    expect(d['CronJob/report']).toBeUndefined();
    expect(d['Deployment/worker']).toBeUndefined();
  });

  test('the same project converts to the same bytes', () => {
    expect(stringifyDocuments(convert().objects)).toBe(stringifyDocuments(convert().objects));
  });

  test('an edited bind-mounted file changes its ConfigMap and rolls only the service mounting it', () => {
    const before = convert().objects;
    const after = convert({ 'nginx.conf': 'server { listen 8080; }\n' }).objects;
    expect(changedObjects(before, after)).toEqual(['ConfigMap/web-etc-nginx-conf-d-default-conf', 'Deployment/web']);
    expect(digests(after)['Deployment/web']).not.toBe(digests(before)['Deployment/web']);
    // Only the annotation changes in the Deployment.
    const web = (objects: readonly K8sObject[]) => {
      const o = JSON.parse(JSON.stringify(objects.find((x) => x.metadata.name === 'web' && x.kind === 'Deployment')));
      delete o.spec.template.metadata.annotations;
      return o as unknown;
    };
    expect(web(after)).toEqual(web(before));
  });

  test('a changed secret rolls the Deployment reading it; the Job and CronJob only get the new Secret', () => {
    const before = convert().objects;
    const after = convert({ 'db_password.txt': 'staple\n' }).objects;
    expect(changedObjects(before, after)).toEqual(['Deployment/api', 'Secret/db-password']);
  });

  test('a changed env file rolls the services loading it', () => {
    const before = convert().objects;
    const after = convert({ 'api.env': 'LOG_LEVEL=debug\n' }).objects;
    expect(changedObjects(before, after)).toEqual(['Deployment/api', 'ConfigMap/api.env']);
  });

  test('a changed inline config rolls the DaemonSet reading it', () => {
    const before = convert().objects;
    const after = convert({}, STACK.replace('interval: 10s', 'interval: 20s')).objects;
    expect(changedObjects(before, after)).toEqual(['DaemonSet/agent', 'ConfigMap/agent']);
  });

  test('a StatefulSet reading a config carries the digest too', () => {
    const s = synthProject(`
services:
  db:
    image: postgres:16
    configs: [pg]
    labels: { kompose.controller.type: statefulset }
configs:
  pg: { content: "max_connections = 20" }
`);
    expect(digests(s.objects)['StatefulSet/db']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('an external secret is not digested: its content is not in the output', () => {
    const s = synthProject(`
services:
  api:
    image: busybox
    secrets: [vault_token]
secrets:
  vault_token: { external: true }
`);
    expect(digests(s.objects)['Deployment/api']).toBeUndefined();
  });

  test('--secrets external: the manifests hold no hash of the Secrets they leave out', () => {
    const manifests = (password: string) =>
      stringifyDocuments(withoutSecrets(convert({ 'db_password.txt': password }).objects).objects);
    const before = manifests('correct-horse-battery\n');
    expect(before).not.toContain('correct-horse-battery');
    expect(manifests('staple\n')).toBe(before);
    // api still reads its env file's ConfigMap, which is in the output.
    const api = withoutSecrets(convert().objects).objects as K8sObject[];
    expect(digests(api)['Deployment/api']).toMatch(/^[0-9a-f]{64}$/);
    expect(digests(api)['Deployment/api']).not.toBe(digests(convert().objects)['Deployment/api']);
  });
});

describe('consumedObjects: what a pod spec reads', () => {
  test('volumes (configMap, secret, projected), env valueFrom and envFrom, in init containers too', () => {
    const spec = {
      volumes: [
        { name: 'a', configMap: { name: 'site' } },
        { name: 'b', secret: { secretName: 'tls' } },
        { name: 'c', projected: { sources: [{ configMap: { name: 'p-cm' } }, { secret: { name: 'p-s' } }] } },
        { name: 'd', emptyDir: {} },
      ],
      initContainers: [{ name: 'init', envFrom: [{ secretRef: { name: 'init-env' } }] }],
      containers: [
        {
          name: 'main',
          env: [
            { name: 'A', value: 'x' },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'b' } } },
            { name: 'C', valueFrom: { secretKeyRef: { name: 'site', key: 'c' } } },
            { name: 'D', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          envFrom: [{ configMapRef: { name: 'settings' } }],
        },
      ],
    };
    expect(consumedObjects(spec).map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ConfigMap/p-cm',
      'ConfigMap/settings',
      'ConfigMap/site',
      'Secret/init-env',
      'Secret/p-s',
      'Secret/site',
      'Secret/tls',
    ]);
  });

  test('the digest is of the data only, not of labels', () => {
    const cm = (labels: Record<string, string>, data: Record<string, string>) =>
      new Map([['ConfigMap/site', { kind: 'ConfigMap', metadata: { name: 'site', labels }, data }]]);
    const refs = [{ kind: 'ConfigMap' as const, name: 'site' }];
    expect(configDigest(refs, cm({ a: '1' }, { k: 'v' }))).toBe(configDigest(refs, cm({ a: '2' }, { k: 'v' })));
    expect(configDigest(refs, cm({}, { k: 'v' }))).not.toBe(configDigest(refs, cm({}, { k: 'w' })));
    expect(configDigest(refs, new Map())).toBeUndefined();
  });

  test('withConfigDigests is idempotent and drops a digest whose objects left', () => {
    const objects = convert().objects;
    expect(withConfigDigests(objects)).toEqual(objects);
    const withoutConfig = objects.filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === 'agent'));
    expect(digests(withConfigDigests(withoutConfig))['DaemonSet/agent']).toBeUndefined();
  });
});
