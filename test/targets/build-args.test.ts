/**
 * Every key of the Compose build definition becomes its flag of `docker build` (kind, and the
 * build-and-push commands of a generic cluster) and, where the minikube node can reach it, its
 * `--build-opt` of `minikube image build`; what minikube leaves out is exactly what its findings
 * report.
 */
import {
  dockerBuildOptions,
  dockerfileFromStack,
  minikubeBuildWords,
  minikubeDockerfile,
} from '../../lib/targets/build-args';
import { cacheRef, localImages, orderByContexts } from '../../lib/targets/image-builds';
import type { LocalImage } from '../../lib/targets/plan';
import { renderWords, type Word } from '../../lib/targets/shell';
import { buildFindings } from '../../lib/translate/build';
import { everyKey } from '../support/build-project';
import { projectFrom } from '../support/project';

const web = (images: LocalImage[]): LocalImage => images.find((i) => i.service === 'web') as LocalImage;
const text = (words: Word[]) => renderWords(words);

test('kind: every build key becomes its docker build flag', () => {
  const image = web(everyKey().images);
  expect(text(dockerBuildOptions(image, image.platform ? [image.platform] : []))).toBe(
    [
      '-t proj-web -t registry.example/web:1.0',
      '-f ../../web/Dockerfile.dev',
      '--target runtime --build-arg NODE_ENV=production',
      // The service's platform is what `docker compose up` builds (build.platforms must hold it).
      '--platform linux/arm64',
      "--label 'org.example.team=web team'",
      '--network host --shm-size 268435456 --no-cache-filter deps --ulimit nofile=1024:2048',
      '--allow network.host --allow security.insecure --provenance mode=max --sbom true',
      '--add-host host.docker.internal=host-gateway --add-host db=10.0.0.5 --no-cache --pull',
      // A local cache directory is where Compose would find it: in the project.
      '--cache-from example/web:cache --cache-from type=local,src=../../.cache --cache-to type=inline',
      '--secret id=npm_token,env=NPM_TOKEN --secret id=npm_config,src=../../npmrc',
      '--ssh default --ssh deploy="$HOME"/.ssh/deploy_key',
      '--build-context base=docker-image://proj-base --build-context shared=../../../shared',
      '--build-context alpine=docker-image://alpine:3.20',
    ].join(' '),
  );
});

test('a generic cluster gets every platform docker compose build builds', () => {
  const image = web(everyKey().images);
  expect(image.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  expect(text(dockerBuildOptions(image, image.platforms ?? []))).toContain('--platform linux/amd64,linux/arm64');
});

test('minikube: what the node can reach goes through --build-opt, nothing of this machine', () => {
  const image = web(everyKey().images);
  expect(text(minikubeBuildWords(image))).toBe(
    [
      '-t proj-web -f Dockerfile.dev',
      '--build-opt=target=runtime --build-opt=build-arg=NODE_ENV=production --build-opt=platform=linux/arm64',
      "'--build-opt=label=org.example.team=web team'",
      '--build-opt=network=host --build-opt=shm-size=268435456 --build-opt=no-cache-filter=deps',
      '--build-opt=ulimit=nofile=1024:2048 --build-opt=allow=network.host --build-opt=allow=security.insecure',
      '--build-opt=provenance=mode=max --build-opt=sbom=true',
      '--build-opt=add-host=host.docker.internal="$HOST_GATEWAY" --build-opt=add-host=db=10.0.0.5',
      '--build-opt=no-cache --build-opt=pull --build-opt=cache-from=example/web:cache --build-opt=cache-to=type=inline',
      '--build-opt=build-context=base=docker-image://proj-base --build-opt=build-context=alpine=docker-image://alpine:3.20',
      '--build-opt=tag=registry.example/web:1.0',
      '../../web',
    ].join(' '),
  );
});

test('minikube reports exactly what it leaves out; kind only the platforms it cannot load; generic nothing', () => {
  const { project } = everyKey();
  const service = project.services.web;
  const keys = (target: 'kind' | 'minikube' | 'generic') =>
    buildFindings(project, service, target).map((f) => `${f.status} ${f.key}`);
  // `platform:` picks one of the platforms, so kind and minikube build it: nothing lost there.
  expect(keys('kind')).toEqual([]);
  expect(keys('generic')).toEqual([]);
  expect(keys('minikube')).toEqual([
    'partial build.secrets',
    'partial build.ssh',
    'partial build.additional_contexts.shared',
    'partial build.cache_from[1]',
    'partial build.network',
  ]);
  const minikube = text(minikubeBuildWords(web(everyKey().images)));
  for (const left of ['secret', 'ssh', 'shared=', 'type=local']) expect(minikube).not.toContain(left);
});

test('several platforms without platform: kind and minikube build the node one, and say so', () => {
  const project = projectFrom(
    'services:\n  web:\n    build:\n      context: .\n      platforms: [linux/amd64, linux/arm64]\n',
  );
  const [image] = localImages(project, project.workingDir, (s) => s);
  expect(image.platform).toBeUndefined();
  expect(text(dockerBuildOptions(image, []))).not.toContain('--platform');
  expect(buildFindings(project, project.services.web, 'kind')).toEqual([
    {
      key: 'build.platforms',
      status: 'partial',
      message:
        "the kind node runs one platform: load-images.sh builds the node's (as docker compose up does), not linux/amd64, linux/arm64",
    },
  ]);
  expect(buildFindings(project, project.services.web, 'generic')).toEqual([]);
});

test('secrets no build can get are reported on every target (an undefined one fails the load, as in compose-go)', () => {
  const project = projectFrom(
    'services:\n  web:\n    build:\n      context: .\n      secrets: [vault]\nsecrets:\n  vault: { external: true }\n',
  );
  for (const target of ['kind', 'minikube', 'generic'] as const) {
    expect(buildFindings(project, project.services.web, target).map((f) => f.key)).toEqual(['build.secrets[0]']);
  }
  expect(localImages(project, project.workingDir, (s) => s)[0].secrets).toBeUndefined();
});

describe('the Dockerfile', () => {
  const image = (over: Partial<LocalImage>): LocalImage => ({
    service: 'api',
    image: 'p-api',
    context: '../api',
    args: {},
    ...over,
  });

  test('docker build: from the stack directory; as written in a remote context or when absolute', () => {
    expect(dockerfileFromStack(image({ dockerfile: 'Dockerfile.prod' }))).toBe('../api/Dockerfile.prod');
    expect(dockerfileFromStack(image({ dockerfile: '/srv/Dockerfile' }))).toBe('/srv/Dockerfile');
    expect(dockerfileFromStack(image({ context: 'https://github.com/x/y.git', dockerfile: 'd/Dockerfile' }))).toBe(
      'd/Dockerfile',
    );
    expect(text(dockerBuildOptions(image({ dockerfileInline: 'FROM alpine' }), []))).toBe('-t p-api -f -');
  });

  test('minikube resolves -f in the context it sends: one outside it, or inline, is copied into the node', () => {
    expect(minikubeDockerfile(image({ dockerfile: 'docker/Dockerfile' }))).toEqual({
      kind: 'context',
      file: 'docker/Dockerfile',
    });
    expect(minikubeDockerfile(image({ dockerfile: '../Dockerfile' }))).toEqual({
      kind: 'copy',
      from: '../api/../Dockerfile',
      to: '/tmp/compose-cdk8s-api.Dockerfile',
    });
    expect(minikubeDockerfile(image({ dockerfileInline: 'FROM alpine\n' }))).toEqual({
      kind: 'inline',
      content: 'FROM alpine\n',
      to: '/tmp/compose-cdk8s-api.Dockerfile',
    });
    expect(text(minikubeBuildWords(image({ dockerfileInline: 'FROM alpine\n' })))).toBe(
      '-t p-api -f /tmp/compose-cdk8s-api.Dockerfile ../api',
    );
  });
});

test('a build that uses another service image is built after it', () => {
  const project = projectFrom(
    'services:\n  a:\n    build:\n      context: .\n      additional_contexts: { base: "service:z" }\n  z:\n    build: .\n',
  );
  expect(orderByContexts(project, ['a', 'z'])).toEqual(['z', 'a']);
  expect(localImages(project, project.workingDir, (s) => s).map((i) => i.service)).toEqual(['z', 'a']);
});

test('local caches are rebased from the project onto the stack directory; others kept', () => {
  expect(cacheRef('type=local,src=cache,mode=max', '../..')).toEqual({
    value: 'type=local,src=../../cache,mode=max',
    local: true,
  });
  expect(cacheRef('type=local,dest=/tmp/c', '..')).toEqual({ value: 'type=local,dest=/tmp/c', local: true });
  expect(cacheRef('type=registry,ref=x/y:cache', '..')).toEqual({ value: 'type=registry,ref=x/y:cache', local: false });
});
