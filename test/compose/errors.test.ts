/**
 * Every class of bad input is reported with the file, line, column and key path a user needs
 * to fix it, and the load fails (the CLI then exits 2 and writes nothing).
 */
import * as path from 'path';
import { loadProject } from '../../lib/compose';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { loadErrors, tempProject } from '../support/project';

describe('bad input is reported with file:line:col, key path and a clear message', () => {
  test('YAML syntax error', () => {
    expect(loadErrors('services:\n  web:\n    image: [nginx\n')).toEqual([
      expect.stringMatching(/^compose\.yaml:\d+:\d+: invalid YAML: /),
    ]);
  });

  test('tabs used for indentation', () => {
    expect(loadErrors('services:\n\tweb:\n\t\timage: nginx\n')[0]).toMatch(
      /^compose\.yaml:2:1: tabs are not allowed for indentation in YAML; use spaces$/,
    );
  });

  test('duplicate keys', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    image: httpd\n')).toEqual([
      'compose.yaml:4:5: duplicate key "image"',
    ]);
  });

  test('unknown key, with a did-you-mean hint', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    prots: ["80:80"]\n')).toEqual([
      'compose.yaml:4:5: services.web.prots: unknown key "prots" (did you mean "ports"?)',
    ]);
  });

  test('wrong type', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    environment: 5\n')).toEqual([
      'compose.yaml:4:5: services.web.environment: must be a mapping or a list, not 5',
    ]);
  });

  test('invalid port', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    ports:\n      - "abc:80"\n')).toEqual([
      'compose.yaml:5:9: services.web.ports[0]: "abc:80" is not a valid port',
    ]);
  });

  test('invalid duration', () => {
    expect(
      loadErrors(
        'services:\n  web:\n    image: nginx\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 10x\n',
      ),
    ).toEqual(['compose.yaml:6:7: services.web.healthcheck.interval: "10x" is not a valid duration (e.g. 10s, 1m30s)']);
  });

  test('invalid size', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    shm_size: 12parsecs\n')).toEqual([
      'compose.yaml:4:5: services.web.shm_size: "12parsecs" is not a valid size (e.g. 512m, 1g)',
    ]);
  });

  test('missing env_file', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    env_file: [missing.env]\n')).toEqual([
      'compose.yaml:4:16: services.web.env_file[0]: env file missing.env not found',
    ]);
  });

  test('missing secret file', () => {
    expect(
      loadErrors('services:\n  web:\n    image: nginx\n    secrets: [key]\nsecrets:\n  key:\n    file: ./nope.txt\n'),
    ).toEqual(['compose.yaml:7:5: secrets.key.file: secret file ./nope.txt not found']);
  });

  test('missing extends file: reported at extends.file in the file that names it', () => {
    expect(
      loadErrors('services:\n  web:\n    image: nginx\n  api:\n    extends: { file: base.yaml, service: web }\n'),
    ).toEqual(['compose.yaml:5:22: services.api.extends.file: extends file base.yaml not found']);
    expect(loadErrors('services:\n  web:\n    extends:\n      file: base.yaml\n      service: web\n')).toEqual([
      'compose.yaml:4:13: services.web.extends.file: extends file base.yaml not found',
    ]);
  });

  test('missing extends file named by an extended file: reported in that file', () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  api:\n    extends:\n      file: shared/base.yaml\n      service: web\n',
      'shared/base.yaml': 'services:\n  web:\n    extends:\n      file: ../gone.yaml\n      service: web\n',
    });
    const result = loadProject({ workingDir: dir, environment: {} });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'shared/base.yaml:4:13: services.web.extends.file: extends file ../gone.yaml not found',
    ]);
  });

  test('undefined volume, network, secret and config', () => {
    const errors = loadErrors(
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    volumes: [data:/data]',
        '    networks: [back]',
        '    secrets: [token]',
        '    configs: [settings]',
      ].join('\n'),
    );
    expect(errors).toEqual([
      'compose.yaml:4:15: services.web.volumes[0]: volume "data" is not defined in the top-level volumes',
      'compose.yaml:5:16: services.web.networks.back: network "back" is not defined in the top-level networks',
      'compose.yaml:6:15: services.web.secrets[0]: secret "token" is not defined in the top-level secrets',
      'compose.yaml:7:15: services.web.configs[0]: config "settings" is not defined in the top-level configs',
    ]);
  });

  test('depends_on an unknown service', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    depends_on: [api]\n')).toEqual([
      'compose.yaml:4:18: services.web.depends_on.api: depends on undefined service "api"',
    ]);
  });

  test('depends_on cycle', () => {
    const errors = loadErrors(
      'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n',
    );
    expect(errors).toEqual(['compose.yaml:7:18: services.b.depends_on.a: depends_on cycle: a -> b -> a']);
  });

  test('a service with neither image nor build', () => {
    expect(loadErrors('services:\n  web:\n    ports: ["80:80"]\n')).toEqual([
      'compose.yaml:2:3: services.web: service "web" has neither an image nor a build section',
    ]);
  });

  test('interpolation errors name the variable', () => {
    expect(
      loadErrors(
        'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it in .env}\n',
      ),
    ).toEqual([
      'compose.yaml:5:7: services.db.environment.POSTGRES_PASSWORD: required variable DB_PASSWORD is missing a value: set it in .env',
    ]);
    expect(loadErrors('services:\n  db:\n    image: postgres:${TAG\n')).toEqual([
      'compose.yaml:3:5: services.db.image: invalid interpolation "${TAG": missing "}"',
    ]);
  });

  test('a network_mode naming an unknown service', () => {
    expect(loadErrors('services:\n  web:\n    image: nginx\n    network_mode: service:vpn\n')).toEqual([
      'compose.yaml:4:5: services.web.network_mode: network_mode refers to undefined service "vpn"',
    ]);
  });

  test('no Compose file in the directory', () => {
    const dir = tempProject();
    const result = loadProject({ workingDir: dir });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `no Compose file found in ${dir} (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml)`,
    ]);
  });

  test('files named relative to the project are shown relative, others absolutely', () => {
    const dir = tempProject({ 'deploy/compose.yaml': 'services:\n  web: {}\n' });
    const result = loadProject({ workingDir: dir, files: [path.join(dir, 'deploy', 'compose.yaml')] });
    expect(result.diagnostics.map(formatDiagnostic)[0]).toMatch(/^deploy\/compose\.yaml:2:3: /);
  });
});

test('two mounts at one container path are an error, as in Compose', () => {
  expect(
    loadErrors(
      'services:\n  web:\n    image: nginx\n    volumes: ["a:/data", "b:/data"]\nvolumes:\n  a: {}\n  b: {}\n',
    ),
  ).toEqual(['compose.yaml:4:26: services.web.volumes[1]: duplicate mount target /data']);
});

describe('empty Compose files', () => {
  const load = (files: Record<string, string>, names: string[]) => {
    const dir = tempProject(files);
    const result = loadProject({ workingDir: dir, files: names, environment: {} });
    return { ok: result.ok, messages: result.diagnostics.map(formatDiagnostic) };
  };

  test.each([
    ['0 bytes', ''],
    ['only comments', '# services come later\n\n# really\n'],
    ['an empty document', '---\n'],
    ['an empty mapping', '{}\n'],
  ])('a file of %s is an error naming the file', (_what, text) => {
    expect(load({ 'compose.yaml': text }, ['compose.yaml'])).toEqual({
      ok: false,
      messages: ['compose.yaml:1:1: empty Compose file: no services'],
    });
  });

  test('an empty override of a real file is accepted, as compose-go does, with a warning', () => {
    const result = load({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'empty.yaml': '' }, [
      'compose.yaml',
      'empty.yaml',
    ]);
    expect(result).toEqual({
      ok: true,
      messages: ['empty.yaml:1:1: empty Compose file: it changes nothing in the project'],
    });
  });

  test('content but no service to run: a warning, as kompose gives', () => {
    expect(load({ 'compose.yaml': 'volumes:\n  data: {}\n' }, ['compose.yaml'])).toEqual({
      ok: true,
      messages: ['compose.yaml:1:1: services: the project has no services: nothing to convert'],
    });
    expect(
      load({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    profiles: [debug]\n' }, ['compose.yaml']),
    ).toEqual({
      ok: true,
      messages: [
        'compose.yaml:1:1: services: no service is enabled: web only run with profile "debug" (add --profile debug)',
      ],
    });
  });

  test('two empty files: both are named', () => {
    expect(load({ 'a.yaml': '', 'b.yaml': '# nothing\n' }, ['a.yaml', 'b.yaml']).messages).toEqual([
      'a.yaml:1:1: empty Compose file: no services',
      'b.yaml:1:1: empty Compose file: no services',
    ]);
  });
});
