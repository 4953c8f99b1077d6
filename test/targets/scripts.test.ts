import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StackPlan } from '../../lib/targets/plan';
import { renderLoadImagesScript, renderUpScript } from '../../lib/targets/scripts';

const plan = (over: Partial<StackPlan> = {}): StackPlan => ({
  name: 'shop',
  project: 'shop',
  objects: [],
  target: 'kind',
  images: [
    {
      service: 'api',
      image: 'shop-api',
      context: '../../api',
      dockerfile: 'Dockerfile.prod',
      target: 'runtime',
      args: { PYTHON_VERSION: '3.12' },
    },
  ],
  published: [],
  hostNetwork: [],
  ingressHosts: [],
  workloads: [
    { kind: 'Deployment', name: 'api' },
    { kind: 'Job', name: 'migrate' },
  ],
  nodeMounts: [],
  sourceMounts: [],
  externalVolumes: [],
  projectDir: '../..',
  ...over,
});

describe('load-images.sh', () => {
  test('kind: builds each image as Compose would (context, dockerfile, target, args) and loads it into the cluster', () => {
    const script = renderLoadImagesScript(plan()) ?? '';
    expect(script).toContain(
      'docker build -t shop-api -f ../../api/Dockerfile.prod --target runtime --build-arg PYTHON_VERSION=3.12 ../../api',
    );
    expect(script).toContain('kind load docker-image shop-api --name "$CLUSTER"');
  });

  test('minikube: builds inside minikube, so no local Docker engine is needed', () => {
    const script = renderLoadImagesScript(plan({ target: 'minikube' })) ?? '';
    // minikube resolves -f inside the context it sends, and takes builder options only as --build-opt.
    expect(script).toContain(
      'minikube -p "$PROFILE" image build -t shop-api -f Dockerfile.prod --build-opt=target=runtime --build-opt=build-arg=PYTHON_VERSION=3.12 ../../api',
    );
    expect(script).not.toContain('docker info');
  });

  test('no script when nothing is built, or for a generic cluster (images go to a registry there)', () => {
    expect(renderLoadImagesScript(plan({ images: [] }))).toBeUndefined();
    expect(renderLoadImagesScript(plan({ target: 'generic' }))).toBeUndefined();
  });
});

describe('up.sh', () => {
  test('kind: creates the cluster from kind-cluster.yaml, loads images, applies the kustomization and waits', () => {
    const script = renderUpScript(plan());
    const order = [
      'kind create cluster --name "$CLUSTER" --config kind-cluster.yaml',
      './load-images.sh',
      'kubectl apply -k .',
      'WORKLOADS=(deployment/api job/migrate)',
      'wait_for_workloads\n',
    ].map((line) => script.indexOf(line));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('kind with an Ingress installs ingress-nginx first; minikube enables the addon', () => {
    const ingressHosts = [{ path: '/', service: 'web', tls: false }];
    expect(renderUpScript(plan({ ingressHosts }))).toContain('deploy-ingress-nginx.yaml');
    expect(renderUpScript(plan({ ingressHosts, target: 'minikube' }))).toContain('addons enable ingress');
  });

  test('a namespace is passed to the wait', () => {
    expect(renderUpScript(plan({ namespace: 'shop' }))).toContain('kubectl -n shop get "${WORKLOADS[@]}"');
  });

  test('without docker, kind and kubectl it says so and exits non-zero without doing anything', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'up-sh-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // A PATH with only what the script's preamble needs, so the tool check is what stops it.
    for (const tool of ['bash', 'dirname']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    fs.writeFileSync(path.join(dir, 'up.sh'), renderUpScript(plan()), { mode: 0o755 });
    const run = spawnSync(path.join(bin, 'bash'), [path.join(dir, 'up.sh')], {
      env: { PATH: bin },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('up.sh: cannot run: not found on PATH: docker kind kubectl. Nothing was done.');
    expect(fs.readdirSync(dir).sort()).toEqual(['bin', 'up.sh']);
  });
});

test('script words are quoted for the shell only when they need it', () => {
  const { quote } = jest.requireActual<typeof import('../../lib/targets/scripts')>('../../lib/targets/scripts');
  expect(quote(['--build-arg', 'A=1', 'two words', "it's", '$HOME'])).toBe(
    `--build-arg A=1 'two words' 'it'\\''s' '$HOME'`,
  );
});
