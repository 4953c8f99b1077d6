/**
 * load-images.sh run for real, with stand-ins for docker, kind and minikube that record the
 * argument vectors they get (and what they read on standard input): the words each builder
 * receives are checked, not the script's text, so quoting mistakes show up.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { localImages } from '../../lib/targets/image-builds';
import { renderLoadImagesScript } from '../../lib/targets/load-images';
import { renderNotes } from '../../lib/targets/notes';
import type { LocalImage, StackPlan } from '../../lib/targets/plan';
import { everyKey } from '../support/build-project';
import { projectFrom, tempProject } from '../support/project';

const plan = (target: StackPlan['target'], images: readonly LocalImage[]): StackPlan => ({
  name: 'shop',
  project: 'shop',
  objects: [],
  target,
  images,
  published: [],
  hostNetwork: [],
  ingressHosts: [],
  workloads: [],
  nodeMounts: [],
  sourceMounts: [],
  externalVolumes: [],
  projectDir: '../..',
});

/** Each call: the tool's name and arguments; `stdin` and copied files as their text. */
const STUB = `#!/usr/bin/env bash
tool="$(basename "$0")"
{ printf '%s' "$tool"; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >>"$STUB_LOG"
prev=''
for a in "$@"; do
  if [ "$prev" = -f ] && [ "$a" = - ]; then printf 'stdin\\t%s\\n' "$(base64 -w0)" >>"$STUB_LOG"; fi
  prev="$a"
done
if [ "$tool" = minikube ]; then
  case "$*" in
    *"ssh -- cat /etc/crictl.yaml") echo "runtime-endpoint: $STUB_ENDPOINT" ;;
    *"ssh -- cat /etc/hosts") printf '127.0.0.1\\tlocalhost\\n192.168.49.1\\thost.minikube.internal\\r\\n' ;;
    *" cp "*) printf 'copied\\t%s\\n' "$(base64 -w0 <"$4")" >>"$STUB_LOG" ;;
  esac
fi
exit 0
`;

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  /** One array per call: the tool, then its arguments. */
  readonly calls: string[][];
}

function run(script: string, env: Record<string, string> = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-images-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['docker', 'kind', 'minikube']) fs.writeFileSync(path.join(bin, tool), STUB, { mode: 0o755 });
  const stack = path.join(dir, 'dist', 'web');
  fs.mkdirSync(stack, { recursive: true });
  fs.writeFileSync(path.join(stack, 'load-images.sh'), script, { mode: 0o755 });
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(log, '');
  const result = spawnSync('bash', [path.join(stack, 'load-images.sh')], {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: '/home/tester', STUB_LOG: log, ...env },
    encoding: 'utf8',
  });
  const calls = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'))
    .map(([tool, ...rest]) =>
      tool === 'stdin' || tool === 'copied' ? [tool, Buffer.from(rest[0], 'base64').toString('utf8')] : [tool, ...rest],
    );
  return { status: result.status, stderr: result.stderr, calls };
}

const builds = (r: Run, tool: string) => r.calls.filter((c) => c[0] === tool && c.includes('build'));

describe('kind', () => {
  test('docker build gets one argument per flag, quoted values intact; every tag is loaded', () => {
    const { images } = everyKey();
    const r = run(renderLoadImagesScript(plan('kind', images)) ?? '', { NPM_TOKEN: 'secret' });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const [base, web] = builds(r, 'docker');
    expect(base).toEqual(['docker', 'build', '-t', 'proj-base', '../../base']);
    expect(web).toEqual([
      'docker',
      'build',
      ...['-t', 'proj-web', '-t', 'registry.example/web:1.0', '-f', '../../web/Dockerfile.dev'],
      ...['--target', 'runtime', '--build-arg', 'NODE_ENV=production', '--platform', 'linux/arm64'],
      ...['--label', 'org.example.team=web team', '--network', 'host', '--shm-size', '268435456'],
      ...['--no-cache-filter', 'deps', '--ulimit', 'nofile=1024:2048'],
      ...['--allow', 'network.host', '--allow', 'security.insecure', '--provenance', 'mode=max', '--sbom', 'true'],
      ...['--add-host', 'host.docker.internal=host-gateway', '--add-host', 'db=10.0.0.5', '--no-cache', '--pull'],
      ...['--cache-from', 'example/web:cache', '--cache-from', 'type=local,src=../../.cache'],
      ...['--cache-to', 'type=inline'],
      ...['--secret', 'id=npm_token,env=NPM_TOKEN', '--secret', 'id=npm_config,src=../../npmrc'],
      ...['--ssh', 'default', '--ssh', 'deploy=/home/tester/.ssh/deploy_key'],
      ...['--build-context', 'base=docker-image://proj-base', '--build-context', 'shared=../../../shared'],
      ...['--build-context', 'alpine=docker-image://alpine:3.20'],
      '../../web',
    ]);
    expect(r.calls.filter((c) => c[0] === 'kind')).toEqual([
      ['kind', 'load', 'docker-image', 'proj-base', '--name', 'shop'],
      ['kind', 'load', 'docker-image', 'proj-web', 'registry.example/web:1.0', '--name', 'shop'],
    ]);
  });

  test('a variable a build secret reads must be set: otherwise nothing is built', () => {
    const r = run(renderLoadImagesScript(plan('kind', everyKey().images)) ?? '');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('load-images.sh: cannot run: not set: NPM_TOKEN');
    expect(builds(r, 'docker')).toEqual([]);
  });

  test('an inline Dockerfile reaches docker build on standard input exactly as written', () => {
    const inline = "FROM alpine\nRUN echo 'it''s' \"$HOME\" `id` \\\nDOCKERFILE\n  && true\n";
    const image: LocalImage = { service: 'web', image: 'shop-web', context: '.', args: {}, dockerfileInline: inline };
    const r = run(renderLoadImagesScript(plan('kind', [image])) ?? '');
    expect(r.status).toBe(0);
    expect(builds(r, 'docker')).toEqual([['docker', 'build', '-t', 'shop-web', '-f', '-', '.']]);
    expect(r.calls.find((c) => c[0] === 'stdin')).toEqual(['stdin', inline]);
  });
});

describe('minikube', () => {
  const dockerRuntime = { STUB_ENDPOINT: 'unix:///var/run/cri-dockerd.sock' };

  test('--build-opt words reach minikube intact; host-gateway is this machine as the node sees it', () => {
    const r = run(renderLoadImagesScript(plan('minikube', everyKey().images)) ?? '', dockerRuntime);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const web = builds(r, 'minikube')[1];
    expect(web.slice(0, 8)).toEqual(['minikube', '-p', 'shop', 'image', 'build', '-t', 'proj-web', '-f']);
    expect(web).toContain('--build-opt=label=org.example.team=web team');
    expect(web).toContain('--build-opt=add-host=host.docker.internal=192.168.49.1');
    expect(web.at(-1)).toBe('../../web');
  });

  test('an inline Dockerfile is copied into the node and named there', () => {
    const inline = 'FROM alpine\nRUN echo "$HOME"\n';
    const image: LocalImage = { service: 'web', image: 'shop-web', context: '.', args: {}, dockerfileInline: inline };
    const r = run(renderLoadImagesScript(plan('minikube', [image])) ?? '', dockerRuntime);
    expect(r.status).toBe(0);
    const copy = r.calls.findIndex((c) => c[0] === 'minikube' && c[3] === 'cp');
    expect(r.calls[copy].slice(4)).toEqual([expect.stringMatching(/^\//), '/tmp/compose-cdk8s-web.Dockerfile']);
    expect(r.calls[copy + 1]).toEqual(['copied', inline]);
    expect(builds(r, 'minikube')).toEqual([
      ['minikube', '-p', 'shop', 'image', 'build', '-t', 'shop-web', '-f', '/tmp/compose-cdk8s-web.Dockerfile', '.'],
    ]);
  });

  test('build options need the docker runtime: another one stops the script before any build', () => {
    const r = run(renderLoadImagesScript(plan('minikube', everyKey().images)) ?? '', {
      STUB_ENDPOINT: 'unix:///run/containerd/containerd.sock',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('does not use the docker container runtime');
    expect(builds(r, 'minikube')).toEqual([]);
  });

  test('a plain build asks nothing of the runtime', () => {
    const image: LocalImage = { service: 'web', image: 'shop-web', context: '.', args: {} };
    const r = run(renderLoadImagesScript(plan('minikube', [image])) ?? '');
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([['minikube', '-p', 'shop', 'image', 'build', '-t', 'shop-web', '.']]);
  });
});

test('the build-and-push commands of NOTES.md on a generic cluster parse as bash', () => {
  const notes = renderNotes(plan('generic', everyKey().images));
  const commands = /```sh\n([\s\S]*?)```/g;
  const blocks = [...notes.matchAll(commands)].map((m) => m[1]).filter((b) => b.includes('docker'));
  expect(blocks.join('')).toContain('docker buildx build -t proj-web');
  expect(blocks.join('')).toContain('--platform linux/amd64,linux/arm64');
  for (const block of blocks) expect(spawnSync('bash', ['-n'], { input: block }).status).toBe(0);
});

test('NOTES.md on minikube says build options need the docker runtime, only when there are some', () => {
  const runtime = 'the profile must use the docker container runtime';
  expect(renderNotes(plan('minikube', everyKey().images))).toContain(runtime);
  const plain: LocalImage = { service: 'web', image: 'shop-web', context: '.', args: {} };
  expect(renderNotes(plan('minikube', [plain]))).not.toContain(runtime);
});

/** web, worker and beat write the same build three ways; api builds another target of it. */
const SHARED = `
services:
  web:
    build: ./app
  worker:
    build: { context: ./app }
  beat:
    build: { context: app/, dockerfile: Dockerfile }
  api:
    build: { context: ./app, target: api }
`;

function sharedImages(yaml = SHARED): LocalImage[] {
  const dir = tempProject({ 'app/Dockerfile': 'FROM alpine\n' });
  return localImages(projectFrom(yaml, { workingDir: dir }), path.join(dir, 'dist', 'web'), (s) => `shop-${s}`);
}

describe('services that share a build', () => {
  test('three services with the same build and one other: two builds, the shared one named for all three', () => {
    expect(sharedImages().map((i) => [i.service, ...(i.sameBuild ?? []).map((s) => s.image)])).toEqual([
      ['api'],
      ['beat', 'shop-web', 'shop-worker'],
    ]);
  });

  test('different args, platforms or secrets are different images', () => {
    const images = sharedImages(`
services:
  a: { build: ./app }
  b: { build: { context: ./app, args: { MODE: b } } }
  c: { build: ./app, platform: linux/arm64 }
  d: { build: { context: ./app, secrets: [token] } }
  e: { build: { context: ./app, args: { MODE: b } } }
secrets:
  token: { environment: TOKEN }
`);
    expect(images.map((i) => [i.service, ...(i.sameBuild ?? []).map((s) => s.service)])).toEqual([
      ['a'],
      ['b', 'e'],
      ['c'],
      ['d'],
    ]);
  });

  test('kind: each image is built once and loaded once, under every name the manifests use', () => {
    const r = run(renderLoadImagesScript(plan('kind', sharedImages())) ?? '');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(builds(r, 'docker')).toEqual([
      ['docker', 'build', '-t', 'shop-api', '--target', 'api', '../../app'],
      // As the first service (beat) writes it.
      [
        'docker',
        'build',
        ...['-t', 'shop-beat', '-t', 'shop-web', '-t', 'shop-worker'],
        '-f',
        '../../app/Dockerfile',
        '../../app',
      ],
    ]);
    expect(r.calls.filter((c) => c[0] === 'kind')).toEqual([
      ['kind', 'load', 'docker-image', 'shop-api', '--name', 'shop'],
      ['kind', 'load', 'docker-image', 'shop-beat', 'shop-web', 'shop-worker', '--name', 'shop'],
    ]);
  });

  test('minikube: built once in the node, then tagged with the other names', () => {
    const r = run(renderLoadImagesScript(plan('minikube', sharedImages())) ?? '', {
      STUB_ENDPOINT: 'unix:///var/run/cri-dockerd.sock',
    });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const minikube = r.calls.filter((c) => c[0] === 'minikube' && (c.includes('build') || c.includes('tag')));
    expect(minikube.map((c) => c.slice(3))).toEqual([
      ['image', 'build', '-t', 'shop-api', '--build-opt=target=api', '../../app'],
      ['image', 'build', '-t', 'shop-beat', '-f', 'Dockerfile', '../../app'],
      ['image', 'tag', 'shop-beat', 'shop-web'],
      ['image', 'tag', 'shop-beat', 'shop-worker'],
    ]);
  });

  test('generic: NOTES.md builds each image once and pushes every name', () => {
    const notes = renderNotes(plan('generic', sharedImages()));
    expect(notes).toContain('(2 images for 4 services)');
    const block = /```sh\n([\s\S]*?)```/.exec(notes.slice(notes.indexOf('docker build') - 20))?.[1] ?? '';
    const r = run(`#!/usr/bin/env bash\nset -euo pipefail\n${block}`);
    expect(r.status).toBe(0);
    expect(builds(r, 'docker')).toHaveLength(2);
    expect(r.calls.filter((c) => c[1] === 'push').map((c) => c[2])).toEqual([
      'shop-api',
      'shop-beat',
      'shop-web',
      'shop-worker',
    ]);
  });
});
