/** What docker compose refuses although the schema allows it (compose-go's consistency checks). */
import { loadErrors, projectFrom } from '../support/project';

const svc = (body: string, rest = '') => `services:\n  s:\n    image: app\n${body.replace(/^/gm, '    ')}\n${rest}`;

test('network_mode and networks together', () => {
  expect(loadErrors(svc('network_mode: host\nnetworks: [back]', 'networks:\n  back: {}\n'))).toEqual([
    'compose.yaml:5:5: services.s.networks: network_mode and networks are mutually exclusive',
  ]);
});

test('a legacy key and its deploy twin with different values; equal values are fine', () => {
  expect(loadErrors(svc('scale: 2\ndeploy: { replicas: 3 }'))).toEqual([
    'compose.yaml:4:5: services.s.scale: scale and deploy.replicas set different values: docker compose refuses it; keep one',
  ]);
  expect(loadErrors(svc('mem_limit: 512m\ndeploy: { resources: { limits: { memory: 1g } } }'))[0]).toContain(
    'mem_limit and deploy.resources.limits.memory set different values',
  );
  expect(
    projectFrom(svc('cpus: 0.5\nmem_limit: 1g\ndeploy: { resources: { limits: { cpus: "0.5", memory: 1024m } } }'))
      .services.s.deploy.resources.limits,
  ).toEqual({ cpus: 0.5, memoryBytes: 2 ** 30 });
});

test('dockerfile and dockerfile_inline together', () => {
  expect(loadErrors(svc('build:\n  dockerfile: Dockerfile\n  dockerfile_inline: FROM alpine'))).toEqual([
    'compose.yaml:6:7: services.s.build.dockerfile_inline: dockerfile and dockerfile_inline are mutually exclusive',
  ]);
});

test('build.platforms without the service platform', () => {
  expect(loadErrors(svc('platform: linux/arm64\nbuild:\n  context: .\n  platforms: [linux/amd64]'))).toEqual([
    'compose.yaml:7:7: services.s.build.platforms: build.platforms must include the service platform "linux/arm64"',
  ]);
});

test('build secrets and service: contexts must exist', () => {
  expect(
    loadErrors(
      svc(
        'build:\n  context: .\n  secrets: [token]\n  additional_contexts: { base: "service:ghost", img: "docker-image://alpine" }',
      ),
    ),
  ).toEqual([
    'compose.yaml:7:30: services.s.build.additional_contexts.base: additional context "base" is an unknown service ("ghost")',
    'compose.yaml:6:17: services.s.build.secrets[0]: secret "token" is not defined in the top-level secrets',
  ]);
});

test('an external volume says nothing else', () => {
  expect(
    loadErrors(svc('volumes: [data:/data]', 'volumes:\n  data:\n    external: true\n    driver: local\n')),
  ).toEqual(['compose.yaml:8:5: volumes.data.driver: conflicting parameters "external" and "driver" specified']);
});

test('external: ${EXT} counts once interpolated', () => {
  expect(
    loadErrors(svc('volumes: [data:/data]', 'volumes:\n  data:\n    external: ${EXT}\n    driver: local\n'), {
      environment: { EXT: 'true' },
    }),
  ).toEqual(['compose.yaml:8:5: volumes.data.driver: conflicting parameters "external" and "driver" specified']);
});

test('a secret or config has one source', () => {
  expect(loadErrors(svc('configs: [conf]', 'configs:\n  conf:\n    content: x\n    environment: CONF\n'))).toEqual([
    'compose.yaml:7:5: configs.conf.content: file|environment|content attributes are mutually exclusive',
  ]);
});

test('develop.watch needs a target unless it rebuilds or restarts', () => {
  expect(
    loadErrors(svc('develop:\n  watch:\n    - { path: ./src, action: sync }\n    - { path: ./pkg, action: rebuild }')),
  ).toEqual(['compose.yaml:6:11: services.s.develop.watch[0]: target is required for non-rebuild actions']);
});
