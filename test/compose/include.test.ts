/**
 * `include`: another Compose project loaded with its own directory and `.env`, its resources
 * imported into the including file before that file's extends and merge (compose-go's ApplyInclude).
 */
import * as path from 'path';
import { formatDiagnostic, loadProject, type LoadOptions, type LoadResult } from '../../lib/compose';
import type { BindMount, ComposeProject } from '../../lib/compose/model';
import { tempProject } from '../support/project';

function loadFiles(files: Record<string, string>, options: LoadOptions = {}): LoadResult {
  return loadProject({ workingDir: tempProject(files), environment: {}, ...options });
}

function load(files: Record<string, string>, options: LoadOptions = {}): ComposeProject {
  const result = loadFiles(files, options);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.project;
}

function errors(files: Record<string, string>): string[] {
  const result = loadFiles(files);
  if (result.ok) throw new Error('expected the project to fail to load');
  return result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

function warnings(files: Record<string, string>): string[] {
  return loadFiles(files)
    .diagnostics.filter((d) => d.severity === 'warning')
    .map(formatDiagnostic);
}

const hostSide = (p: ComposeProject, service: string, target: string) =>
  (p.services[service].volumes.find((v) => v.target === target) as BindMount).hostSide;

describe('include: [db/compose.yaml]: relative paths resolve from db/', () => {
  const project = load({
    'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n',
    'db/compose.yaml': `services:
  db:
    build: .
    env_file: db.env
    volumes: ["./init:/docker-entrypoint-initdb.d", "pg:/var/lib/postgresql/data"]
    secrets: [pw]
    configs: [conf]
volumes:
  pg:
    driver: local
    driver_opts: { type: none, o: bind, device: ./pgdata }
secrets:
  pw:
    file: ./pw.txt
configs:
  conf:
    file: pg.conf
`,
    'db/db.env': 'POSTGRES_DB=app\n',
    'db/pw.txt': 's3cret',
    'db/pg.conf': 'max_connections=10\n',
  });
  const db = project.services.db;

  test('its resources join the project; composeFiles stays the top-level file, includedFiles lists db/compose.yaml', () => {
    expect(Object.keys(project.services)).toEqual(['db', 'web']);
    expect(project.composeFiles).toEqual([path.join(project.workingDir, 'compose.yaml')]);
    expect(project.includedFiles).toEqual([path.join(project.workingDir, 'db', 'compose.yaml')]);
  });

  test('bind mounts, env_file and build context', () => {
    expect(hostSide(project, 'db', '/docker-entrypoint-initdb.d')).toEqual({ kind: 'project', path: 'db/init' });
    expect(db.envFiles[0].values).toEqual({ POSTGRES_DB: 'app' });
    expect(db.build?.context).toBe(path.join(project.workingDir, 'db'));
  });

  test('secret and config files, and the device of a local bind volume', () => {
    expect(project.secrets.pw.content?.toString()).toBe('s3cret');
    expect(project.configs.conf.content?.toString()).toBe('max_connections=10\n');
    expect(project.volumes.pg.driverOpts.device).toBe('./db/pgdata');
  });
});

describe('variables', () => {
  const files = {
    '.env': 'TAG=16\n',
    'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web:\n    image: nginx\n    environment: [DB_PORT]\n',
    'db/.env': 'TAG=15\nDB_PORT=5432\nSECRET=from-db-env\n',
    'db/compose.yaml': `services:
  db:
    image: postgres:\${TAG}
    ports: ["\${DB_PORT}:5432"]
    environment: [SECRET, TAG, UNSET]
    secrets: [token]
secrets:
  token:
    environment: SECRET
`,
  };

  test("the included project reads its own .env; the including project's variables win", () => {
    const project = load(files);
    expect(project.services.db.image).toBe('postgres:16');
    expect(project.services.db.ports[0].published).toBe(5432);
  });

  test("the included .env is the include's only: the including file does not see DB_PORT", () => {
    expect(load(files).services.web.environment).toEqual({});
  });

  test("environment entries without a value, and secrets from a variable, read the include's variables", () => {
    const project = load(files);
    expect(project.services.db.environment).toEqual({ SECRET: 'from-db-env', TAG: '16' });
    expect(project.secrets.token.content?.toString()).toBe('from-db-env');
  });

  test('the shell environment wins over both .env files', () => {
    expect(load(files, { environment: { TAG: '17' } }).services.db.image).toBe('postgres:17');
  });
});

describe('long syntax', () => {
  test('path list (the others override the first), project_directory, env_file relative to the including project', () => {
    const project = load({
      'compose.yaml': `include:
  - path: [app/compose.yaml, overrides/app.yaml]
    project_directory: shared
    env_file: [config/app.env, /dev/null]
`,
      'app/compose.yaml': 'services:\n  app:\n    image: app:${VERSION}\n    volumes: ["./data:/data"]\n',
      'overrides/app.yaml': 'services:\n  app:\n    environment: { MODE: prod }\n    env_file: ./app.env\n',
      'config/app.env': 'VERSION=2\n',
      'shared/app.env': 'FROM=shared\n',
    });
    const app = project.services.app;
    expect(app.image).toBe('app:2');
    expect(app.environment).toEqual({ MODE: 'prod' });
    expect(hostSide(project, 'app', '/data')).toEqual({ kind: 'project', path: 'shared/data' });
    expect(app.envFiles[0].values).toEqual({ FROM: 'shared' });
  });

  test('env_file given: the included project directory .env is not read', () => {
    const project = load({
      'compose.yaml': 'include:\n  - path: db/compose.yaml\n    env_file: db.env\n',
      'db.env': 'TAG=from-given\n',
      'db/.env': 'TAG=from-default\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres:${TAG}\n',
    });
    expect(project.services.db.image).toBe('postgres:from-given');
  });

  test('an unknown key is ignored, as docker compose does, with a warning', () => {
    expect(
      warnings({
        'compose.yaml': 'include:\n  - path: db.yaml\n    profiles: [x]\n',
        'db.yaml': 'services:\n  db:\n    image: postgres\n',
      }),
    ).toEqual([
      'compose.yaml:3:5: include[0].profiles: unknown key "profiles" in an include entry: ignored, as docker compose does',
    ]);
  });
});

describe('nested includes', () => {
  test('b/ includes c/: paths of c/ resolve from b/c/', () => {
    const project = load({
      'compose.yaml': 'include: [b/compose.yaml]\n',
      'b/compose.yaml': 'include: [c/compose.yaml]\nservices:\n  b:\n    image: b\n    volumes: ["./b:/b"]\n',
      'b/c/compose.yaml': 'services:\n  c:\n    image: c\n    volumes: ["../shared:/shared"]\n',
    });
    expect(hostSide(project, 'b', '/b')).toEqual({ kind: 'project', path: 'b/b' });
    expect(hostSide(project, 'c', '/shared')).toEqual({ kind: 'project', path: 'b/shared' });
    expect(project.includedFiles.map((f) => path.relative(project.workingDir, f))).toEqual([
      'b/compose.yaml',
      'b/c/compose.yaml',
    ]);
  });

  test('a file including itself is a cycle, reported at the include entry', () => {
    expect(errors({ 'compose.yaml': 'include:\n  - compose.yaml\nservices:\n  a:\n    image: a\n' })).toEqual([
      'compose.yaml:2:5: include[0]: include cycle detected: compose.yaml includes compose.yaml',
    ]);
  });

  test('a -> b -> a is a cycle, reported in b', () => {
    expect(
      errors({
        'compose.yaml': 'include: [b.yaml]\nservices:\n  a:\n    image: a\n',
        'b.yaml': 'include:\n  - path: compose.yaml\n',
      }),
    ).toEqual([
      'b.yaml:2:11: include[0].path: include cycle detected: compose.yaml includes b.yaml includes compose.yaml',
    ]);
  });
});

describe('the including file and the included project define the same resource', () => {
  test("the including file's definition is merged on top, as compose-go v2.13.0 does", () => {
    const project = load({
      'compose.yaml': `include: [db.yaml]
services:
  db:
    image: postgres:17
    environment: { B: "2" }
    ports: !reset []
`,
      'db.yaml': 'services:\n  db:\n    image: postgres:16\n    environment: { A: "1" }\n    ports: ["5432:5432"]\n',
    });
    expect(project.services.db).toMatchObject({ image: 'postgres:17', environment: { A: '1', B: '2' }, ports: [] });
  });

  test('two includes defining it: the first one wins', () => {
    const project = load({
      'compose.yaml': 'include: [one.yaml, two.yaml]\n',
      'one.yaml': 'services:\n  db:\n    image: one\n',
      'two.yaml': 'services:\n  db:\n    image: two\n    restart: always\n',
    });
    expect(project.services.db).toMatchObject({ image: 'one', restart: { kind: 'always' } });
  });

  test("an included file's extends.file is relative to the included project directory (compose-go's TestNestedIncludeAndExtends)", () => {
    const project = load({
      'compose.yaml': 'include:\n  - project_directory: .\n    path: dir/included.yaml\n',
      'dir/included.yaml': 'services:\n  included:\n    extends: { file: dir/extended.yaml, service: extended }\n',
      'dir/extended.yaml': 'services:\n  extended:\n    image: alpine\n',
    });
    expect(project.services.included.image).toBe('alpine');
  });

  test('includes are imported before extends: a service can extend an included one', () => {
    const project = load({
      'compose.yaml': 'include: [base/compose.yaml]\nservices:\n  web:\n    extends: base\n    command: ["serve"]\n',
      'base/compose.yaml': 'services:\n  base:\n    image: app\n    volumes: ["./src:/src"]\n',
    });
    expect(project.services.web.image).toBe('app');
    expect(hostSide(project, 'web', '/src')).toEqual({ kind: 'project', path: 'base/src' });
  });
});

describe('errors in included files name the included file', () => {
  test('a missing included file is reported at its include entry', () => {
    expect(errors({ 'compose.yaml': 'include:\n  - path: [db.yaml]\nservices: {}\n' })).toEqual([
      'compose.yaml:2:12: include[0].path[0]: included file db.yaml not found',
    ]);
  });

  test('a missing env_file of an include is reported at its line', () => {
    expect(
      errors({
        'compose.yaml': 'include:\n  - path: db.yaml\n    env_file: nope.env\n',
        'db.yaml': 'services:\n  db:\n    image: postgres\n',
      }),
    ).toEqual(['compose.yaml:3:15: include[0].env_file: env file nope.env not found']);
  });

  test('schema, normalization and reference errors carry db/compose.yaml:line:col', () => {
    expect(
      errors({
        'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web:\n    image: nginx\n',
        'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    prots: ["5432"]\n',
      }),
    ).toEqual(['db/compose.yaml:4:5: services.db.prots: unknown key "prots" (did you mean "ports"?)']);
    expect(
      errors({
        'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web:\n    image: nginx\n',
        'db/compose.yaml':
          'services:\n  db:\n    image: postgres\n    ports:\n      - "abc:80"\n    networks: [back]\n',
      }),
    ).toEqual([
      'db/compose.yaml:5:9: services.db.ports[0]: "abc:80" is not a valid port',
      'db/compose.yaml:6:16: services.db.networks.back: network "back" is not defined in the top-level networks',
    ]);
  });

  test('an error in a nested include is reported once, in its file', () => {
    expect(
      errors({
        'compose.yaml': 'include: [b/compose.yaml]\n',
        'b/compose.yaml': 'include: [c/compose.yaml]\n',
        'b/c/compose.yaml': 'services:\n  c:\n    image: c\n    prots: []\n',
      }),
    ).toEqual(['b/c/compose.yaml:4:5: services.c.prots: unknown key "prots" (did you mean "ports"?)']);
  });

  test('interpolation errors and extends errors too', () => {
    expect(
      errors({
        'compose.yaml': 'include: [db/compose.yaml]\n',
        'db/compose.yaml': 'services:\n  db:\n    image: postgres:${TAG:?set TAG}\n  b:\n    extends: ghost\n',
      }),
    ).toEqual([
      'db/compose.yaml:3:5: services.db.image: required variable TAG is missing a value: set TAG',
      'db/compose.yaml:5:5: services.b.extends: extends undefined service "ghost"',
    ]);
  });

  test('a remote include (git, OCI) is not fetched', () => {
    expect(errors({ 'compose.yaml': 'include:\n  - oci://docker.io/acme/stack:1\n' })).toEqual([
      'compose.yaml:2:5: include[0]: remote include oci://docker.io/acme/stack:1 is not fetched: check it out and include the local path',
    ]);
  });

  test('include must be a list', () => {
    expect(errors({ 'compose.yaml': 'include: db.yaml\nservices: {}\n' })).toEqual([
      'compose.yaml:1:10: include: must be a list, not "db.yaml"',
    ]);
  });
});

test('a project included from outside the project directory stays outside: nothing there is read', () => {
  const dir = tempProject({
    'app/compose.yaml': 'include: [../common/compose.yaml]\n',
    'common/compose.yaml': 'services:\n  cache:\n    image: redis\n    volumes: ["./conf:/conf"]\n',
  });
  const result = loadProject({ workingDir: path.join(dir, 'app'), environment: {} });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(hostSide(result.project, 'cache', '/conf')).toEqual({ kind: 'outside', path: '../common/conf' });
});
