/** Several files, as `docker compose -f a -f b` merges them, plus discovery, extends and profiles. */
import * as path from 'path';
import { loadProject } from '../../lib/compose';
import type { ComposeProject } from '../../lib/compose/model';
import { loadErrors, projectFrom, tempProject } from '../support/project';

function load(files: Record<string, string>, names?: string[], profiles?: string[]): ComposeProject {
  const dir = tempProject(files);
  const result = loadProject({
    workingDir: dir,
    files: names?.map((n) => path.join(dir, n)),
    profiles,
    environment: {},
  });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.project;
}

const BASE = `services:
  web:
    image: nginx:1.25
    command: ["nginx", "-g", "daemon off;"]
    ports: ["80:80"]
    environment: { A: "1", B: "2" }
    labels: [tier=front]
    volumes: ["./html:/usr/share/nginx/html:ro", "logs:/var/log/nginx"]
    depends_on: [api]
    healthcheck: { test: ["CMD", "true"], interval: 10s }
  api:
    image: api:1
volumes:
  logs: {}
`;

describe('merging -f files', () => {
  const project = load(
    {
      'compose.yaml': BASE,
      'prod.yaml': `services:
  web:
    image: nginx:1.27
    command: nginx
    ports: ["443:443"]
    environment: [B=20, C=3]
    labels: { tier: edge }
    volumes: ["./prod-html:/usr/share/nginx/html:ro"]
    depends_on: { cache: { condition: service_started } }
    healthcheck: { test: ["CMD", "false"] }
  cache:
    image: redis:7
`,
    },
    ['compose.yaml', 'prod.yaml'],
  );
  const web = project.services.web;

  test('scalars and command are replaced', () => {
    expect(web.image).toBe('nginx:1.27');
    expect(web.command).toEqual(['nginx']);
  });

  test('ports append', () => {
    expect(web.ports.map((p) => p.published)).toEqual([80, 443]);
  });

  test('environment and labels merge by key, list and map forms alike', () => {
    expect(web.environment).toEqual({ A: '1', B: '20', C: '3' });
    expect(web.labels).toEqual({ tier: 'edge' });
  });

  test('volumes merge by container path, depends_on by service', () => {
    expect(web.volumes.map((v) => v.target)).toEqual(['/usr/share/nginx/html', '/var/log/nginx']);
    expect(web.volumes[0].type === 'bind' && web.volumes[0].source.endsWith('prod-html')).toBe(true);
    expect(Object.keys(web.dependsOn)).toEqual(['api', 'cache']);
  });

  test('a healthcheck merges, but its test is replaced', () => {
    expect(web.healthcheck).toMatchObject({ test: { kind: 'exec', argv: ['false'] }, intervalMs: 10_000 });
  });

  test('services added by a later file join the project', () => {
    expect(Object.keys(project.services)).toEqual(['web', 'api', 'cache']);
  });
});

test('!reset removes and !override replaces what earlier files set', () => {
  const project = load(
    {
      'compose.yaml': BASE,
      'compose.override.yaml': 'services:\n  web:\n    ports: !reset []\n    environment: !override { ONLY: "1" }\n',
    },
    ['compose.yaml', 'compose.override.yaml'],
  );
  expect(project.services.web.ports).toEqual([]);
  expect(project.services.web.environment).toEqual({ ONLY: '1' });
});

describe('more merge rules of compose-go', () => {
  const project = load(
    {
      'compose.yaml': `services:
  web:
    image: nginx
    env_file: [a.env]
    label_file: a.labels
    dns: 8.8.8.8
    build:
      context: .
      args: { A: "1", B: "1" }
      platforms: [linux/amd64]
    networks:
      back: { aliases: [web] }
    x-k8s:
      ingress: { host: a.example.com, paths: [/a] }
networks:
  back:
    labels: [team=a, tier=back]
`,
      'override.yaml': `services:
  web:
    env_file: [b.env, { path: a.env, required: false }]
    label_file: [b.labels]
    dns: [1.1.1.1]
    build:
      args: [B=2, C=3]
      platforms: [linux/arm64]
    networks:
      back: { aliases: [www] }
    x-k8s:
      ingress: { paths: [/b] }
networks:
  back:
    labels: { team: b }
`,
      'a.env': 'A=1\n',
      'b.env': 'B=1\n',
      'a.labels': 'a=1\n',
      'b.labels': 'b=1\n',
    },
    ['compose.yaml', 'override.yaml'],
  );
  const web = project.services.web;

  test('env_file appends, an entry for the same path replacing the earlier one in place', () => {
    expect(web.envFiles.map((e) => [path.basename(e.path), e.required])).toEqual([
      ['a.env', false],
      ['b.env', true],
    ]);
  });

  test('label_file and dns append, a single string being a list of one', () => {
    expect(web.labels).toEqual({ a: '1', b: '1' });
    expect(web.dns).toEqual(['8.8.8.8', '1.1.1.1']);
  });

  test('build.args and network labels merge by key; other lists append', () => {
    expect(web.build).toMatchObject({ args: { A: '1', B: '2', C: '3' }, platforms: ['linux/amd64', 'linux/arm64'] });
    expect(project.networks.back.labels).toEqual({ team: 'b', tier: 'back' });
    expect(web.networks.back.aliases).toEqual(['web', 'www']);
  });

  test('lists inside x-* extensions are replaced, not appended', () => {
    expect(web.extensions['x-k8s']).toEqual({ ingress: { host: 'a.example.com', paths: ['/b'] } });
  });
});

test('discovery: compose.yaml and its override file, in that order', () => {
  const project = load({ 'compose.yaml': BASE, 'compose.override.yaml': 'services:\n  web:\n    image: nginx:dev\n' });
  expect(project.services.web.image).toBe('nginx:dev');
  expect(project.composeFiles.map((f) => path.basename(f))).toEqual(['compose.yaml', 'compose.override.yaml']);
});

test('discovery also finds docker-compose.yml', () => {
  expect(Object.keys(load({ 'docker-compose.yml': BASE }).services)).toEqual(['web', 'api']);
});

describe('extends', () => {
  test('a service of the same file', () => {
    const project = projectFrom(
      'services:\n  base:\n    image: app:1\n    environment: { A: "1" }\n  web:\n    extends: base\n    environment: { B: "2" }\n',
    );
    expect(project.services.web).toMatchObject({ image: 'app:1', environment: { A: '1', B: '2' } });
  });

  test('a service of another file, with its relative paths rebased', () => {
    const project = load({
      'compose.yaml': 'services:\n  web:\n    extends: { file: shared/base.yaml, service: base }\n',
      'shared/base.yaml': 'services:\n  base:\n    build: ./app\n    env_file: base.env\n',
      'shared/base.env': 'FROM_BASE=yes\n',
    });
    expect(project.services.web.build?.context).toBe(path.join(project.workingDir, 'shared', 'app'));
    expect(project.services.web.envFiles[0].values).toEqual({ FROM_BASE: 'yes' });
  });

  test('an extends cycle is an error', () => {
    expect(loadErrors('services:\n  a:\n    extends: b\n  b:\n    extends: a\n')[0]).toContain('extends cycle');
  });

  test('extending an unknown service is an error', () => {
    expect(loadErrors('services:\n  a:\n    extends: ghost\n')).toEqual([
      'compose.yaml:3:5: services.a.extends: extends undefined service "ghost"',
    ]);
  });
});

describe('profiles', () => {
  const files = {
    'compose.yaml': 'services:\n  web:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n',
  };

  test('a service with profiles is left out unless one is enabled', () => {
    expect(Object.keys(load(files).services)).toEqual(['web']);
    expect(Object.keys(load(files, undefined, ['debug']).services)).toEqual(['web', 'debug']);
    expect(Object.keys(load(files, undefined, ['*']).services)).toEqual(['web', 'debug']);
  });

  test('COMPOSE_PROFILES enables them too', () => {
    const dir = tempProject(files);
    const result = loadProject({ workingDir: dir, environment: { COMPOSE_PROFILES: 'other,debug' } });
    expect(result.ok && Object.keys(result.project.services)).toEqual(['web', 'debug']);
  });

  test('depending on a disabled service says which profile enables it', () => {
    expect(
      loadErrors(
        'services:\n  web:\n    image: nginx\n    depends_on: [tools]\n  tools:\n    image: busybox\n    profiles: [ops]\n',
      ),
    ).toEqual([
      'compose.yaml:4:18: services.web.depends_on.tools: depends on "tools", which is only enabled by profile "ops" (add --profile ops)',
    ]);
  });
});

describe('project name', () => {
  test('top-level name, normalized', () => {
    expect(projectFrom('name: My_App.Prod\nservices:\n  web:\n    image: nginx\n').name).toBe('my_appprod');
  });

  test('-p wins over COMPOSE_PROJECT_NAME, which wins over the top-level name', () => {
    const yaml = 'name: from-file\nservices:\n  web:\n    image: nginx\n';
    expect(
      projectFrom(yaml, { projectName: 'from-flag', environment: { COMPOSE_PROJECT_NAME: 'from-env' } }).name,
    ).toBe('from-flag');
    expect(projectFrom(yaml, { environment: { COMPOSE_PROJECT_NAME: 'from-env' } }).name).toBe('from-env');
  });

  test('${COMPOSE_PROJECT_NAME} in the files is the project name, however it was set', () => {
    const yaml =
      'name: From_File\nservices:\n  web:\n    image: nginx\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n';
    expect(projectFrom(yaml).services.web.containerName).toBe('from_file-web');
    expect(projectFrom(yaml, { projectName: 'cli' }).services.web.containerName).toBe('cli-web');
    const dir = tempProject({
      'shop/compose.yaml': 'services:\n  web:\n    image: nginx\n    environment: [COMPOSE_PROJECT_NAME]\n',
    });
    const result = loadProject({ workingDir: path.join(dir, 'shop'), environment: {} });
    expect(result.ok && result.project.services.web.environment).toEqual({ COMPOSE_PROJECT_NAME: 'shop' });
  });

  test('the name: of the last file that has one, interpolated', () => {
    const project = load(
      { 'a.yaml': 'name: first\nservices:\n  a:\n    image: a\n', 'b.yaml': 'name: ${STACK:-second}\n' },
      ['a.yaml', 'b.yaml'],
    );
    expect(project.name).toBe('second');
  });

  test('the directory name by default', () => {
    const dir = tempProject({ 'shop/compose.yaml': 'services:\n  web:\n    image: nginx\n' });
    const result = loadProject({ workingDir: path.join(dir, 'shop') });
    expect(result.ok && result.project.name).toBe('shop');
  });
});

describe('discovery picks files in compose-go order', () => {
  test('docker-compose.yml before docker-compose.yaml, with a warning naming both', () => {
    const dir = tempProject({
      'docker-compose.yaml': BASE,
      'docker-compose.yml': 'services:\n  only:\n    image: x\n',
    });
    const result = loadProject({ workingDir: dir, environment: {} });
    expect(result.ok && Object.keys(result.project.services)).toEqual(['only']);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'found several Compose files (docker-compose.yml, docker-compose.yaml): using docker-compose.yml',
    ]);
  });

  test('any override file goes with any default file', () => {
    const project = load({
      'compose.yaml': BASE,
      'docker-compose.override.yml': 'services:\n  web:\n    image: nginx:dev\n',
    });
    expect(project.services.web.image).toBe('nginx:dev');
  });
});

describe('a file of several YAML documents', () => {
  test('each document merges over the ones before, as compose-go reads them', () => {
    const project = projectFrom(
      '---\nservices:\n  web:\n    image: nginx:1\n    ports: ["80:80"]\n---\nservices:\n  web:\n    image: nginx:2\n  db:\n    image: postgres\n...\n',
    );
    expect(project.services.web).toMatchObject({ image: 'nginx:2', ports: [{ published: 80 }] });
    expect(Object.keys(project.services)).toEqual(['web', 'db']);
  });

  test('errors name the line in the document they are in', () => {
    expect(loadErrors('services:\n  a:\n    image: a\n---\nservices:\n  b:\n    image: b\n    prots: []\n')).toEqual([
      'compose.yaml:8:5: services.b.prots: unknown key "prots" (did you mean "ports"?)',
    ]);
  });

  test('a file extended or included may have several documents too', () => {
    const project = load({
      'compose.yaml': 'include: [inc.yaml]\nservices:\n  web:\n    extends: { file: base.yaml, service: base }\n',
      'base.yaml': 'services:\n  base:\n    image: base:1\n---\nservices:\n  base:\n    image: base:2\n',
      'inc.yaml': 'services:\n  a:\n    image: a\n---\nservices:\n  b:\n    image: b\n',
    });
    expect(project.services.web.image).toBe('base:2');
    expect(Object.keys(project.services)).toEqual(['a', 'b', 'web']);
  });
});
