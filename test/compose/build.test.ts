/** `build`: every key of the Compose build definition normalizes to what the build scripts pass on. */
import * as path from 'path';
import type { BuildConfig } from '../../lib/compose/model';
import { projectFrom, tempProject } from '../support/project';

/** Service `s` builds with `body`; `base` and the secrets are there for the keys that name them. */
const build = (body: string, workingDir = tempProject()): BuildConfig | undefined =>
  projectFrom(
    [
      'services:',
      '  s:',
      '    build:',
      body.replace(/^/gm, '      '),
      '  base:',
      '    build: .',
      'secrets:',
      '  npm_token: { environment: NPM_TOKEN }',
      '  aws: { environment: AWS }',
      '',
    ].join('\n'),
    { workingDir, environment: { NPM_TOKEN: 'n', AWS: 'a' } },
  ).services.s.build;

test('a string is the context; a mapping names every option, in canonical form', () => {
  const dir = tempProject();
  expect(projectFrom('services:\n  s:\n    build: ./app\n', { workingDir: dir }).services.s.build).toMatchObject({
    context: path.join(dir, 'app'),
    noCache: false,
    pull: false,
    privileged: false,
    tags: [],
    secrets: [],
    ssh: [],
    additionalContexts: {},
  });
  expect(
    build(
      [
        'context: .',
        'network: host',
        'shm_size: 2g',
        'extra_hosts: ["db:10.0.0.5", "host.docker.internal=host-gateway"]',
        'no_cache: "true"',
        'no_cache_filter: deps',
        'pull: true',
        'cache_from: [user/app:cache, "type=local,src=./cache"]',
        'cache_to: ["type=inline"]',
        'tags: [registry.example/app:1.0]',
        'ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }',
        'privileged: true',
        'entitlements: [network.host]',
        'isolation: process',
        'provenance: mode=max',
        'sbom: true',
        'platforms: [linux/amd64]',
      ].join('\n'),
    ),
  ).toMatchObject({
    network: 'host',
    shmSizeBytes: 2 * 1024 ** 3,
    extraHosts: [
      { hostname: 'db', ip: '10.0.0.5' },
      { hostname: 'host.docker.internal', ip: 'host-gateway' },
    ],
    noCache: true,
    noCacheFilter: ['deps'],
    pull: true,
    cacheFrom: ['user/app:cache', 'type=local,src=./cache'],
    cacheTo: ['type=inline'],
    tags: ['registry.example/app:1.0'],
    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 512, hard: 512 } },
    privileged: true,
    entitlements: ['network.host'],
    isolation: 'process',
    provenance: 'mode=max',
    sbom: 'true',
    platforms: ['linux/amd64'],
  });
});

test('secrets are exposed under their target, else their name', () => {
  expect(build('context: .\nsecrets: [npm_token, { source: aws, target: aws_credentials }]')?.secrets).toEqual([
    { source: 'npm_token', id: 'npm_token' },
    { source: 'aws', id: 'aws_credentials' },
  ]);
});

test('ssh: the agent, or keys located like bind sources (project, home, absolute)', () => {
  const dir = tempProject();
  expect(
    build('context: .\nssh: [default, "deploy=./keys/deploy,~/.ssh/id_ed25519", "agent=/run/agent.sock"]', dir)?.ssh,
  ).toEqual([
    { id: 'default', paths: [] },
    {
      id: 'deploy',
      paths: [
        { kind: 'project', path: 'keys/deploy' },
        { kind: 'home', path: '.ssh/id_ed25519' },
      ],
    },
    { id: 'agent', paths: [{ kind: 'absolute', path: '/run/agent.sock' }] },
  ]);
  expect(build('context: .\nssh: { default: null, key: ./k }', dir)?.ssh).toEqual([
    { id: 'default', paths: [] },
    { id: 'key', paths: [{ kind: 'project', path: 'k' }] },
  ]);
});

test('additional contexts: directories are located, services and URLs kept for the builder', () => {
  const contexts = build(
    [
      'context: .',
      'additional_contexts:',
      '  shared: ../shared',
      '  base: service:base',
      '  alpine: docker-image://alpine:3.20',
      '  repo: https://github.com/example/repo.git',
    ].join('\n'),
  )?.additionalContexts;
  expect(contexts).toEqual({
    shared: { kind: 'path', side: { kind: 'outside', path: '../shared' } },
    base: { kind: 'service', service: 'base' },
    alpine: { kind: 'url', url: 'docker-image://alpine:3.20' },
    repo: { kind: 'url', url: 'https://github.com/example/repo.git' },
  });
});
