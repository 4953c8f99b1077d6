import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { keptObjects, kubectlName, pruneLines, renderDownScript, rerunJobLines } from '../../lib/targets/prune';
import { fakeCluster, type FakeObject } from '../support/fake-kubectl';
import { synthProject } from '../support/synth';
import { targetFiles } from '../../lib/targets/files';

const labels = (project: string) => ({
  'app.kubernetes.io/part-of': project,
  'app.kubernetes.io/managed-by': 'compose-cdk8s',
});
const shop = labels('shop');

/** The shop as it was applied before `worker` was removed from compose.yaml, beside others' objects. */
const cluster = (): FakeObject[] => [
  { name: 'deployment.apps/api', namespace: 'shop', labels: shop },
  { name: 'service/api', namespace: 'shop', labels: shop },
  { name: 'deployment.apps/worker', namespace: 'shop', labels: shop },
  { name: 'service/worker', namespace: 'shop', labels: shop },
  { name: 'networkpolicy.networking.k8s.io/worker-from-outside', namespace: 'shop', labels: shop },
  { name: 'configmap/worker-env', namespace: 'shop', labels: shop },
  { name: 'persistentvolumeclaim/worker-data', namespace: 'shop', labels: shop },
  { name: 'persistentvolumeclaim/dbdata', namespace: 'shop', labels: shop },
  { name: 'job.batch/migrate', namespace: 'shop', labels: shop },
  // Another stack in the same namespace, the user's own object, and the shop in another namespace.
  { name: 'deployment.apps/blog', namespace: 'shop', labels: labels('blog') },
  { name: 'configmap/settings', namespace: 'shop', labels: { 'app.kubernetes.io/part-of': 'shop' } },
  { name: 'deployment.apps/worker', namespace: 'staging', labels: shop },
];

/** The names of the shop's objects in its namespace (both labels), as the cluster holds them. */
const stackObjectsLeft = (objects: readonly FakeObject[]) =>
  objects
    .filter(
      (o) =>
        o.namespace === 'shop' &&
        o.labels['app.kubernetes.io/managed-by'] &&
        o.labels['app.kubernetes.io/part-of'] === 'shop',
    )
    .map((o) => o.name);

const current = ['deployment.apps/api', 'job.batch/migrate', 'persistentvolumeclaim/dbdata', 'service/api'];

function runScript(script: string, objects: FakeObject[], args: string[] = []) {
  const fake = fakeCluster(objects);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prune-'));
  const file = path.join(dir, 'script.sh');
  fs.writeFileSync(file, script, { mode: 0o755 });
  const run = spawnSync('bash', [file, ...args], {
    encoding: 'utf8',
    env: {
      PATH: `${fake.bin}:${process.env.PATH ?? ''}`,
      FAKE_KUBECTL_LOG: fake.log,
      FAKE_KUBECTL_STATE: fake.state,
    },
  });
  return { ...run, fake };
}

const upTail = (objects = current) =>
  ['#!/usr/bin/env bash', 'set -euo pipefail', ...pruneLines({ project: 'shop', namespace: 'shop', objects })].join(
    '\n',
  );

describe('up.sh removes what the stack no longer has, as docker compose up --remove-orphans', () => {
  test('the removed service’s objects go; the current ones stay', () => {
    const { status, fake } = runScript(upTail(), cluster());
    expect(status).toBe(0);
    const shopLeft = stackObjectsLeft(fake.objects());
    expect(shopLeft).toEqual([
      'deployment.apps/api',
      'service/api',
      'persistentvolumeclaim/worker-data',
      'persistentvolumeclaim/dbdata',
      'job.batch/migrate',
    ]);
  });

  test('another stack’s objects, the user’s own and the stack in another namespace are never selected', () => {
    const { fake } = runScript(upTail(), cluster());
    expect(fake.objects()).toEqual(
      expect.arrayContaining([
        { name: 'deployment.apps/blog', namespace: 'shop', labels: labels('blog') },
        { name: 'configmap/settings', namespace: 'shop', labels: { 'app.kubernetes.io/part-of': 'shop' } },
        { name: 'deployment.apps/worker', namespace: 'staging', labels: shop },
      ]),
    );
    expect(fake.calls().filter((c) => / delete /.test(` ${c}`))).toEqual([
      '-n shop delete deployment.apps/worker --ignore-not-found --wait=false',
      '-n shop delete service/worker --ignore-not-found --wait=false',
      '-n shop delete networkpolicy.networking.k8s.io/worker-from-outside --ignore-not-found --wait=false',
      '-n shop delete configmap/worker-env --ignore-not-found --wait=false',
    ]);
  });

  test('the claim of a removed service is kept, and up.sh says so', () => {
    const { stdout, fake } = runScript(upTail(), cluster());
    expect(stdout).toContain(
      'kept persistentvolumeclaim/worker-data of a removed service: its data stays (./down.sh -v, or kubectl -n shop delete persistentvolumeclaim/worker-data, deletes it)',
    );
    expect(fake.objects().map((o) => o.name)).toContain('persistentvolumeclaim/worker-data');
  });

  test('nothing removed when nothing changed', () => {
    const objects = cluster().filter(
      (o) => current.includes(o.name) || o.labels['app.kubernetes.io/part-of'] !== 'shop',
    );
    const { fake } = runScript(upTail(), objects);
    expect(fake.calls().filter((c) => / delete /.test(` ${c}`))).toEqual([]);
  });

  test('one-shot services run again: the stack’s Jobs are deleted before applying', () => {
    const script = [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      ...rerunJobLines({ project: 'shop', namespace: 'shop' }),
    ];
    const { fake } = runScript(script.join('\n'), cluster());
    expect(fake.objects().map((o) => o.name)).not.toContain('job.batch/migrate');
    expect(fake.calls()).toEqual([
      '-n shop delete jobs.batch -l app.kubernetes.io/part-of=shop,app.kubernetes.io/managed-by=compose-cdk8s --ignore-not-found --wait=true',
    ]);
  });
});

describe('down.sh, as docker compose down [-v]', () => {
  const down = renderDownScript({ project: 'shop', namespace: 'shop', objects: current, description: 'test' });

  test('down removes every object of the stack and keeps its claims, saying which', () => {
    const { status, stdout, fake } = runScript(down, cluster());
    expect(status).toBe(0);
    const shopLeft = stackObjectsLeft(fake.objects());
    expect(shopLeft).toEqual(['persistentvolumeclaim/worker-data', 'persistentvolumeclaim/dbdata']);
    expect(stdout).toContain('kept the claims (./down.sh -v deletes them):\npersistentvolumeclaim/worker-data');
  });

  test('down -v deletes the claims too; other stacks and the user keep theirs', () => {
    const { status, fake } = runScript(down, cluster(), ['-v']);
    expect(status).toBe(0);
    expect(fake.objects()).toEqual([
      { name: 'deployment.apps/blog', namespace: 'shop', labels: labels('blog') },
      { name: 'configmap/settings', namespace: 'shop', labels: { 'app.kubernetes.io/part-of': 'shop' } },
      { name: 'deployment.apps/worker', namespace: 'staging', labels: shop },
    ]);
  });

  test('an unknown argument changes nothing', () => {
    const { status, stderr, fake } = runScript(down, cluster(), ['--all']);
    expect(status).toBe(2);
    expect(stderr).toContain('down.sh: unknown argument --all (usage: down.sh [-v])');
    expect(fake.calls()).toEqual([]);
  });
});

test('objects are named as kubectl get -o name prints them, without the Namespace', () => {
  expect(kubectlName({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' })).toBe('deployment.apps/api');
  expect(kubectlName({ apiVersion: 'v1', kind: 'Service', name: 'api' })).toBe('service/api');
  expect(
    keptObjects([
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'p' },
      { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
      { apiVersion: 'v1', kind: 'Service', name: 'api' },
    ]),
  ).toEqual(['networkpolicy.networking.k8s.io/p', 'service/api']);
});

test("up.sh keeps exactly the converted stack's objects, named as kubectl names them", () => {
  const { chart } = synthProject(
    'services:\n  api:\n    image: x\n    expose: ["8000"]\n    volumes: [data:/data]\n  migrate:\n    image: y\n    restart: "no"\nvolumes: { data: {} }\n',
    { namespace: 'shop' },
  );
  const up = targetFiles(chart, chart.exposure, os.tmpdir()).files.get('up.sh')?.content ?? '';
  const kept = /current="\$\(cat <<'EOF'\n([\s\S]*?)\nEOF/.exec(up)?.[1].split('\n');
  expect(kept).toEqual(
    expect.arrayContaining([
      'deployment.apps/api',
      'service/api',
      'job.batch/migrate',
      'persistentvolumeclaim/data',
      expect.stringMatching(/^networkpolicy\.networking\.k8s\.io\//),
    ]),
  );
  expect(kept?.some((o) => o.endsWith('/undefined') || o.startsWith('namespace/'))).toBe(false);
});
