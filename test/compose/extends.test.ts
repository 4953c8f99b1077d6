/** `extends` from a file in another directory: the service keeps pointing at the same host files. */
import * as path from 'path';
import { loadProject, type LoadOptions } from '../../lib/compose';
import type { BindMount, ComposeProject } from '../../lib/compose/model';
import { tempProject } from '../support/project';

function load(files: Record<string, string>, options: LoadOptions = {}): ComposeProject {
  const dir = tempProject(files);
  const result = loadProject({ workingDir: dir, environment: {}, ...options });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.project;
}

const EXTENDS_BASE = 'services:\n  web:\n    extends: { file: sub/base.yaml, service: base }\n';

describe('extends from sub/base.yaml: relative paths resolve from sub/', () => {
  const project = load({
    // extends takes the service only: the volume it mounts is defined by the extending file.
    'compose.yaml': `${EXTENDS_BASE}volumes:\n  data: {}\n`,
    'sub/base.yaml': `services:
  base:
    image: nginx
    build: .
    env_file: [base.env, { path: ./opt.env, required: false }]
    volumes:
      - ./conf:/etc/x
      - .:/src
      - type: bind
        source: ./html
        target: /usr/share/nginx/html
      - data:/data
      - /var/run/docker.sock:/var/run/docker.sock
      - ~/.aws:/root/.aws
`,
    'sub/base.env': 'FROM_BASE=yes\n',
    'sub/conf/app.ini': 'x=1\n',
  });
  const web = project.services.web;
  const bind = (target: string) => web.volumes.find((v) => v.target === target) as BindMount;

  test('a short-syntax bind stays a bind mount, of sub/conf', () => {
    expect(bind('/etc/x')).toMatchObject({ type: 'bind', hostSide: { kind: 'project', path: 'sub/conf' } });
    expect(bind('/etc/x').source).toBe(path.join(project.workingDir, 'sub', 'conf'));
    expect(bind('/src').hostSide).toEqual({ kind: 'project', path: 'sub' });
  });

  test('a long-syntax bind source moves too', () => {
    expect(bind('/usr/share/nginx/html').hostSide).toEqual({ kind: 'project', path: 'sub/html' });
  });

  test('named volumes, absolute paths and ~ are left as written', () => {
    expect(web.volumes.find((v) => v.target === '/data')).toMatchObject({ type: 'volume', source: 'data' });
    expect(bind('/var/run/docker.sock').hostSide).toEqual({ kind: 'absolute', path: '/var/run/docker.sock' });
    expect(bind('/root/.aws').hostSide).toEqual({ kind: 'home', path: '.aws' });
  });

  test('env_file and build context are read from sub/', () => {
    expect(web.envFiles.map((e) => [e.path, e.values])).toEqual([
      [path.join(project.workingDir, 'sub', 'base.env'), { FROM_BASE: 'yes' }],
      [path.join(project.workingDir, 'sub', 'opt.env'), {}],
    ]);
    expect(web.build?.context).toBe(path.join(project.workingDir, 'sub'));
  });
});

test('a remote build context is not a path', () => {
  const project = load({
    'compose.yaml': EXTENDS_BASE,
    'sub/base.yaml': 'services:\n  base:\n    build: https://github.com/docker/buildx.git#master\n',
  });
  expect(project.services.web.build?.context).toBe('https://github.com/docker/buildx.git#master');
});

test('paths leaving sub/ stay relative to the project: ../shared from sub/ is ./shared', () => {
  const project = load({
    'compose.yaml': EXTENDS_BASE,
    'sub/base.yaml': 'services:\n  base:\n    image: nginx\n    volumes: ["../shared:/shared", "../../up:/up"]\n',
  });
  expect(project.services.web.volumes.map((v) => (v as BindMount).hostSide)).toEqual([
    { kind: 'project', path: 'shared' },
    { kind: 'outside', path: '../up' },
  ]);
});

test('extends chained through two directories: sub/base.yaml extends other/o.yaml (relative to sub/)', () => {
  const project = load({
    'compose.yaml': EXTENDS_BASE,
    'sub/base.yaml': 'services:\n  base:\n    extends: { file: other/o.yaml, service: o }\n    image: nginx\n',
    'sub/other/o.yaml': 'services:\n  o:\n    image: busybox\n    volumes: ["./x:/x"]\n    env_file: o.env\n',
    'sub/other/o.env': 'O=1\n',
  });
  const web = project.services.web;
  expect((web.volumes[0] as BindMount).hostSide).toEqual({ kind: 'project', path: 'sub/other/x' });
  expect(web.envFiles[0].values).toEqual({ O: '1' });
});

test('a project file outside the project directory: its extends.file and paths are relative to the project directory, as in compose-go', () => {
  const dir = tempProject({
    'deploy/compose.yaml':
      'services:\n  web:\n    extends: { file: base.yaml, service: base }\n    volumes: ["./data:/data"]\n',
    'base.yaml': 'services:\n  base:\n    image: nginx\n',
  });
  const result = loadProject({ workingDir: dir, files: ['deploy/compose.yaml'], environment: {} });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.project.services.web.image).toBe('nginx');
  expect((result.project.services.web.volumes[0] as BindMount).hostSide).toEqual({ kind: 'project', path: 'data' });
});
