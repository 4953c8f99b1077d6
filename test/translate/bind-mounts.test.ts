/**
 * Bind mounts by class and target: configuration becomes ConfigMaps everywhere; code, data and
 * host paths are hostPaths on kind and minikube (mounted into the node from this machine); on
 * generic clusters data gets a claim and the rest is left out, loudly. Nothing outside the
 * project is ever read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthProject, type Synthesized } from '../support/synth';
import { tempProject } from '../support/project';

const SECRET_WORDS = 'AKIAEXAMPLE super-secret-aws-key';

/** A home directory with credentials in it, and a project beside it. */
function machine(projectFiles: Record<string, string> = {}) {
  const home = tempProject({ '.aws/credentials': `[default]\naws_secret_access_key = ${SECRET_WORDS}\n` });
  const dir = tempProject(projectFiles);
  return { home, dir };
}

const mountsOf = (s: Synthesized, service: string) =>
  (s.container(service).volumeMounts ?? []).map((m: { mountPath: string }) => m.mountPath);
const volumeAt = (s: Synthesized, service: string, mountPath: string) => {
  const mount = s.container(service).volumeMounts.find((m: { mountPath: string }) => m.mountPath === mountPath);
  return s.pod(service).volumes.find((v: { name: string }) => v.name === mount.name);
};

describe('paths outside the project are never read', () => {
  const compose =
    'services:\n  app:\n    image: x\n    volumes:\n      - ~/.aws:/root/.aws:ro\n      - /usr/src:/usr/src\n      - ../shared:/shared\n';

  test.each(['kind', 'minikube', 'generic'] as const)('%s: nothing of them reaches a manifest', (target) => {
    const { home, dir } = machine();
    fs.mkdirSync(path.join(dir, '..', 'shared'), { recursive: true });
    const s = synthProject(compose, { workingDir: dir, environment: { HOME: home }, target });
    expect(JSON.stringify(s.objects)).not.toContain('AKIAEXAMPLE');
    expect(s.all('Secret').concat(s.all('ConfigMap'))).toEqual([]);
    expect(JSON.stringify(s.objects)).not.toContain(home);
    expect(JSON.stringify(s.objects)).not.toContain(path.dirname(dir));
  });

  test('kind and minikube: hostPath volumes at node paths that say where the directory comes from', () => {
    const { home, dir } = machine();
    const s = synthProject(compose, { workingDir: dir, environment: { HOME: home }, target: 'kind' });
    expect(volumeAt(s, 'app', '/root/.aws').hostPath).toEqual({ path: '/compose-cdk8s/home/.aws' });
    expect(volumeAt(s, 'app', '/usr/src').hostPath).toEqual({ path: '/compose-cdk8s/host/usr/src' });
    expect(volumeAt(s, 'app', '/shared').hostPath).toEqual({ path: '/compose-cdk8s/outside/_parent/shared' });
    expect(s.chart.hostMounts.map((m) => m.nodePath)).toEqual([
      '/compose-cdk8s/home/.aws',
      '/compose-cdk8s/host/usr/src',
      '/compose-cdk8s/outside/_parent/shared',
    ]);
  });

  test('generic: not translated, with a warning naming each path', () => {
    const { home, dir } = machine();
    const s = synthProject(compose, { workingDir: dir, environment: { HOME: home }, target: 'generic' });
    expect(s.container('app').volumeMounts).toBeUndefined();
    const warnings = s.warnings().join('\n');
    for (const shown of ['~/.aws', '/usr/src', '../shared']) expect(warnings).toContain(`${shown} is a host path`);
    expect(warnings).toContain('not mounted on this target (--host-mounts=hostpath mounts it from the node)');
  });

  test('credential paths get a loud warning that says what happens instead', () => {
    const { home, dir } = machine();
    const kind = synthProject(
      'services:\n  app:\n    image: x\n    volumes: ["~/.aws:/root/.aws:ro", "~/.ssh/id_ed25519:/key:ro", "/var/run/docker.sock:/var/run/docker.sock"]\n',
      { workingDir: dir, environment: { HOME: home }, target: 'kind' },
    );
    expect(kind.warnings().filter((w) => w.includes('CREDENTIALS'))).toEqual([
      'services.app.volumes[0]: CREDENTIALS: ~/.aws -> /root/.aws: it looks like credentials; it is mounted from the node as it is, never copied into a manifest',
      'services.app.volumes[1]: CREDENTIALS: ~/.ssh/id_ed25519 -> /key: it looks like credentials; it is mounted from the node as it is, never copied into a manifest',
      'services.app.volumes[2]: CREDENTIALS: /var/run/docker.sock -> /var/run/docker.sock: the Docker socket gives full control of the Docker engine; it is mounted from the node as it is, never copied into a manifest',
    ]);
    const generic = synthProject('services:\n  app:\n    image: x\n    volumes: ["~/.aws:/root/.aws:ro"]\n', {
      workingDir: dir,
      environment: { HOME: home },
      target: 'generic',
    });
    expect(generic.warnings()[0]).toContain(
      'CREDENTIALS: ~/.aws -> /root/.aws: it looks like credentials; it is not mounted and never copied into a manifest',
    );
  });

  test('${HOME} written out is a home path too, and a symlink pointing out is the outside', () => {
    const { home, dir } = machine({ 'conf/app.conf': 'x' });
    fs.symlinkSync(path.join(home, '.aws'), path.join(dir, 'aws-link'));
    const s = synthProject(
      'services:\n  app:\n    image: x\n    volumes: ["${HOME}/.aws:/a:ro", "./aws-link:/b:ro", "./conf:/etc/app:ro"]\n',
      { workingDir: dir, environment: { HOME: home }, target: 'kind' },
    );
    expect(volumeAt(s, 'app', '/a').hostPath.path).toBe('/compose-cdk8s/home/.aws');
    expect(volumeAt(s, 'app', '/b').hostPath.path).toBe('/compose-cdk8s/outside/aws-link');
    expect(JSON.stringify(s.objects)).not.toContain('AKIAEXAMPLE');
    expect(s.find('ConfigMap', 'app-etc-app').data).toEqual({ 'app.conf': 'x' });
  });

  test('a symlink inside a config directory that points out is skipped, not read', () => {
    const { home, dir } = machine({ 'conf/app.conf': 'x' });
    fs.symlinkSync(path.join(home, '.aws', 'credentials'), path.join(dir, 'conf', 'creds'));
    const s = synthProject('services:\n  app:\n    image: x\n    volumes: ["./conf:/etc/app:ro"]\n', {
      workingDir: dir,
      environment: { HOME: home },
    });
    expect(s.find('ConfigMap', 'app-etc-app').data).toEqual({ 'app.conf': 'x' });
  });

  test('a secret file outside the project is not read: the user creates the Secret', () => {
    const { home, dir } = machine();
    const s = synthProject(
      'services:\n  app:\n    image: x\n    secrets: [aws]\nsecrets:\n  aws: { file: ~/.aws/credentials }\n',
      { workingDir: dir, environment: { HOME: home } },
    );
    expect(s.all('Secret')).toEqual([]);
    expect(s.warnings()).toContain(
      'secrets.aws: ~/.aws/credentials is outside the project and is not read: create the Secret before applying: kubectl create secret generic aws --from-file=aws=~/.aws/credentials; its content is not in the output, so changing it restarts no pod: kubectl rollout restart the services using it',
    );
  });
});

describe('env files outside the project are never read', () => {
  test('the pod loads a Secret the user creates from the file; nothing of the file reaches a manifest', () => {
    const { home, dir } = machine();
    fs.writeFileSync(path.join(home, 'app.env'), `AWS_SECRET=${SECRET_WORDS}\n`);
    fs.writeFileSync(path.join(dir, '..', 'common.env'), 'REGION=eu-west-1\n');
    fs.writeFileSync(path.join(dir, 'local.env'), 'LOG_LEVEL=debug\n');
    const s = synthProject(
      'services:\n  app:\n    image: x\n    env_file: [../common.env, local.env, { path: ~/app.env, required: false }]\n',
      { workingDir: dir, environment: { HOME: home } },
    );
    expect(JSON.stringify(s.objects)).not.toContain('AKIAEXAMPLE');
    expect(JSON.stringify(s.objects)).not.toContain('eu-west-1');
    expect(s.find('ConfigMap', 'local.env').data).toEqual({ LOG_LEVEL: 'debug' });
    expect(s.container('app').envFrom).toEqual([
      { secretRef: { name: 'app-env-common-env' } },
      { configMapRef: { name: 'local.env' } },
      { secretRef: { name: 'app-env-app-env', optional: true } },
    ]);
    expect(s.warnings()).toEqual([
      'services.app.env_file[0]: ../common.env is outside the project and is not read: create the Secret before applying: kubectl create secret generic app-env-common-env --from-env-file=../common.env (kubectl takes KEY=VALUE lines as written: no quotes, no ${} interpolation); its content is not in the output, so changing it restarts no pod: kubectl rollout restart the service',
      'services.app.env_file[2]: ~/app.env is outside the project and is not read: create the Secret before applying: kubectl create secret generic app-env-app-env --from-env-file=~/app.env (optional: the pod starts without it) (kubectl takes KEY=VALUE lines as written: no quotes, no ${} interpolation); its content is not in the output, so changing it restarts no pod: kubectl rollout restart the service',
    ]);
    // validate reminds about the Secret the user creates instead of calling the stack broken.
    expect(s.find('Deployment', 'app').metadata.annotations).toEqual({
      'compose-cdk8s.io/user-created': 'Secret/app-env-common-env',
    });
  });
});

describe('source trees are never embedded', () => {
  const files = { 'Backend/.env': 'SUPABASE_KEY=abc\n', 'Backend/main.py': 'print()\n' };
  const compose = 'services:\n  backend:\n    build: ./Backend\n    volumes: ["./Backend:/app", "/app/__pycache__"]\n';

  test('kind: a hostPath of the project, so live reload keeps working', () => {
    const s = synthProject(compose, { workingDir: tempProject(files), target: 'kind' });
    expect(volumeAt(s, 'backend', '/app').hostPath).toEqual({
      path: '/compose-cdk8s/project/Backend',
      type: 'DirectoryOrCreate',
    });
    expect(s.all('Secret')).toEqual([]);
    expect(s.chart.hostMounts).toEqual([{ host: { kind: 'project', path: '' }, nodePath: '/compose-cdk8s/project' }]);
    expect(s.chart.service('backend').bindMounts[0]).toMatchObject({
      class: 'source',
      reason: 'the build context of backend',
    });
  });

  test('generic: dropped, with a warning that the image must contain the code', () => {
    const s = synthProject(compose, { workingDir: tempProject(files), target: 'generic' });
    expect(mountsOf(s, 'backend')).toEqual(['/app/__pycache__']);
    expect(s.warnings()).toContain(
      'services.backend.volumes[0]: not translated: ./Backend is source code (the build context of backend): not mounted, the image must contain the code (--host-mounts=hostpath mounts it from the node)',
    );
  });

  test.each([
    ['a directory holding package.json', { 'web/package.json': '{}' }, './web:/srv'],
    ['a directory holding Python files', { 'lib/util.py': '' }, './lib:/srv/lib'],
    ['a missing directory inside a build context', {}, './app/src:/src'],
    ['a missing read-only directory', {}, './api:/app/api:ro'],
  ])('%s is source', (_what, projectFiles, volume) => {
    const s = synthProject(`services:\n  a:\n    build: ./app\n    volumes: ["${volume}"]\n`, {
      workingDir: tempProject(projectFiles),
    });
    expect(s.chart.service('a').bindMounts[0].class).toBe('source');
  });
});

describe('data directories stay writable', () => {
  const files = { 'data/world.dat': 'level', 'data/players.json': '{}' };

  test('kind: a writable hostPath in the project, as under Compose', () => {
    const s = synthProject('services:\n  mc:\n    image: x\n    volumes: ["./data:/data"]\n', {
      workingDir: tempProject(files),
      target: 'kind',
    });
    expect(volumeAt(s, 'mc', '/data').hostPath.path).toBe('/compose-cdk8s/project/data');
    expect(s.container('mc').volumeMounts[0].readOnly).toBeUndefined();
    expect(s.all('ConfigMap')).toEqual([]);
  });

  test('generic: a claim, never a read-only ConfigMap', () => {
    const s = synthProject(
      'services:\n  mc:\n    image: x\n    volumes: ["./data:/data", "./uploads:/app/uploads"]\n',
      {
        workingDir: tempProject(files),
        target: 'generic',
      },
    );
    expect(volumeAt(s, 'mc', '/data').persistentVolumeClaim).toEqual({ claimName: 'mc-data' });
    expect(volumeAt(s, 'mc', '/app/uploads').persistentVolumeClaim).toEqual({ claimName: 'mc-app-uploads' });
    expect(s.all('ConfigMap')).toEqual([]);
  });

  test.each([
    [
      'world',
      { 'world/level.dat': 'level', 'world/session.lock': '', 'world/server.properties': 'motd=x' },
      'level.dat',
    ],
    ['n8n', { 'n8n/database.sqlite': 'SQLite format 3', 'n8n/config': '{}' }, 'database.sqlite'],
  ])('a directory of any name holding files the container writes (./%s) is data', (dir, files, written) => {
    const s = synthProject(`services:\n  app:\n    image: x\n    volumes: ["./${dir}:/srv/${dir}"]\n`, {
      workingDir: tempProject(files),
      target: 'generic',
    });
    expect(s.all('ConfigMap')).toEqual([]);
    expect(s.chart.service('app').bindMounts[0]).toMatchObject({
      class: 'data',
      reason: `it holds files the container writes (${written})`,
    });
  });

  test("a package manager's lockfile is not data: a directory with yarn.lock stays configuration", () => {
    const s = synthProject('services:\n  app:\n    image: x\n    volumes: ["./deps:/deps:ro"]\n', {
      workingDir: tempProject({ 'deps/yarn.lock': '# yarn', 'deps/notes.txt': 'x' }),
    });
    expect(s.chart.service('app').bindMounts[0].class).toBe('config');
  });

  test('an empty directory is data', () => {
    const s = synthProject('services:\n  app:\n    image: x\n    volumes: ["./state:/srv/state"]\n', {
      workingDir: tempProject({ 'state/.gitkeep': '' }),
      target: 'generic',
    });
    expect(s.find('PersistentVolumeClaim', 'app-srv-state')).toBeDefined();
  });
});

describe('configuration inside the project stays a ConfigMap on every target', () => {
  test.each(['kind', 'minikube', 'generic'] as const)('%s', (target) => {
    const dir = tempProject({ 'nginx.conf': 'events {}\n', 'certs/server.key': 'KEY' });
    const s = synthProject(
      'services:\n  proxy:\n    image: nginx\n    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro", "./certs:/etc/certs:ro"]\n',
      { workingDir: dir, target },
    );
    expect(s.find('ConfigMap', 'proxy-etc-nginx-nginx-conf').data).toEqual({ 'nginx.conf': 'events {}\n' });
    expect(s.find('Secret', 'proxy-etc-certs')).toBeDefined();
    expect(s.chart.service('proxy').bindMounts.map((b) => b.class)).toEqual(['config', 'config']);
  });

  test('credentials inside the project become a Secret, never a ConfigMap, and are warned about loudly', () => {
    const dir = tempProject({ '.ssh/id_rsa': 'PRIVATE', '.ssh/known_hosts': 'host', 'deploy/id_ed25519': 'PRIVATE' });
    const s = synthProject(
      'services:\n  git:\n    image: x\n    volumes: ["./.ssh:/root/.ssh:ro", "./deploy/id_ed25519:/key:ro"]\n',
      { workingDir: dir },
    );
    expect(s.all('ConfigMap')).toEqual([]);
    expect(s.all('Secret').map((o) => o.metadata.name)).toEqual(['git-root-ssh', 'git-key']);
    expect(s.warnings().filter((w) => w.includes('CREDENTIALS'))).toEqual([
      'services.git.volumes[0]: CREDENTIALS: ./.ssh -> /root/.ssh: it looks like credentials; it is copied into Secret git-root-ssh, readable by anyone who reads the manifests (base64 is not encryption): keep the output private, or leave the file out of the project and create the Secret yourself',
      'services.git.volumes[1]: CREDENTIALS: ./deploy/id_ed25519 -> /key: it looks like credentials; it is copied into Secret git-key, readable by anyone who reads the manifests (base64 is not encryption): keep the output private, or leave the file out of the project and create the Secret yourself',
    ]);
  });

  test('a mounted script keeps its executable bit', () => {
    const dir = tempProject({ 'cgi-bin/status': '#!/bin/sh\necho ok\n', 'cgi-bin/README': 'x', 'run.sh': 'x' });
    fs.chmodSync(path.join(dir, 'cgi-bin/status'), 0o755);
    fs.chmodSync(path.join(dir, 'run.sh'), 0o750);
    const s = synthProject(
      'services:\n  api:\n    image: busybox\n    volumes: ["./cgi-bin:/www/cgi-bin:ro", "./run.sh:/run.sh:ro"]\n',
      { workingDir: dir },
    );
    expect(volumeAt(s, 'api', '/www/cgi-bin').configMap.items).toEqual([
      { key: 'README', path: 'README' },
      { key: 'status', path: 'status', mode: 0o755 },
    ]);
    expect(volumeAt(s, 'api', '/run.sh').configMap.defaultMode).toBe(0o750);
  });
});

describe('--host-mounts overrides the target default', () => {
  const compose = 'services:\n  app:\n    image: x\n    volumes: ["./data:/data", "/var/log:/host/var/log:ro"]\n';

  test('kind with drop: data gets a claim, host paths are left out', () => {
    const s = synthProject(compose, { workingDir: tempProject(), target: 'kind', hostMounts: 'drop' });
    expect(mountsOf(s, 'app')).toEqual(['/data']);
    expect(volumeAt(s, 'app', '/data').persistentVolumeClaim).toBeDefined();
  });

  test("generic with hostpath: an absolute path is the node's own; the warning says every node must hold it", () => {
    const s = synthProject(compose, { workingDir: tempProject(), target: 'generic', hostMounts: 'hostpath' });
    expect(volumeAt(s, 'app', '/host/var/log').hostPath).toEqual({ path: '/var/log' });
    expect(s.warnings()).toContain(
      'services.app.volumes[1]: /var/log is a host path (an absolute path outside the project): hostPath /var/log: every node must hold it there',
    );
  });
});

describe('every class on every target', () => {
  const files = {
    'api/main.py': '', // source: a build context with code
    'data/world.dat': 'x', // data: by its name
    'nginx.conf': 'events {}\n', // config
  };
  const compose =
    'services:\n  api:\n    build: ./api\n    volumes:\n      - ./api:/app\n      - ./data:/data\n      - ./nginx.conf:/etc/nginx.conf:ro\n      - ~/.kube:/root/.kube:ro\n      - ../shared:/shared\n      - /etc/hostname:/etc/host-name:ro\n';
  const outcome = (target: 'kind' | 'minikube' | 'generic') => {
    const { home, dir } = machine(files);
    const s = synthProject(compose, { workingDir: dir, environment: { HOME: home }, target });
    return s.chart.service('api').bindMounts.map((b) => `${b.hostPath} ${b.class}: ${b.becomes}`);
  };

  test.each(['kind', 'minikube'] as const)('%s: config in a ConfigMap, everything else from the node', (target) => {
    expect(outcome(target)).toEqual([
      './api source: hostPath /compose-cdk8s/project/api',
      './data data: hostPath /compose-cdk8s/project/data',
      './nginx.conf config: ConfigMap api-etc-nginx-conf',
      '~/.kube host: hostPath /compose-cdk8s/home/.kube',
      '../shared host: hostPath /compose-cdk8s/outside/_parent/shared',
      '/etc/hostname host: hostPath /compose-cdk8s/host/etc/hostname',
    ]);
  });

  test('generic: config in a ConfigMap, data on a claim, code and host paths left out', () => {
    expect(outcome('generic')).toEqual([
      './api source: not mounted',
      './data data: PersistentVolumeClaim api-data',
      './nginx.conf config: ConfigMap api-etc-nginx-conf',
      '~/.kube host: not mounted',
      '../shared host: not mounted',
      '/etc/hostname host: not mounted',
    ]);
  });
});

describe('a file several services mount', () => {
  test('is one ConfigMap, named after the file, that every pod mounts', () => {
    const s = synthProject(
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    volumes: ["./conf/nginx.conf:/etc/nginx/nginx.conf:ro"]',
        '  admin:',
        '    image: nginx',
        '    volumes: ["./conf/nginx.conf:/etc/nginx/nginx.conf:ro", "./conf/admin.conf:/etc/admin.conf:ro"]',
        '',
      ].join('\n'),
      { workingDir: tempProject({ 'conf/nginx.conf': 'events {}\n', 'conf/admin.conf': 'x=1\n' }) },
    );
    expect(s.all('ConfigMap').map((o) => o.metadata.name)).toEqual(['file-conf-nginx.conf', 'admin-etc-admin-conf']);
    expect(s.find('ConfigMap', 'file-conf-nginx.conf').data).toEqual({ 'nginx.conf': 'events {}\n' });
    for (const service of ['web', 'admin'])
      expect(
        s
          .pod(service)
          .volumes.filter((v: { configMap?: { name: string } }) => v.configMap?.name === 'file-conf-nginx.conf'),
      ).toHaveLength(1);
  });
});

describe('a data directory of the host written in place', () => {
  const yaml = (mode = '') =>
    `services:\n  db:\n    image: postgres:16\n    volumes: ["./pgdata:/var/lib/postgresql/data${mode}"]\n`;

  test('replaces its pods all at once: a rolling update would run two databases on one directory', () => {
    const s = synthProject(yaml(), { workingDir: tempProject({ 'pgdata/PG_VERSION': '16\n' }), target: 'kind' });
    expect(volumeAt(s, 'db', '/var/lib/postgresql/data').hostPath).toBeDefined();
    expect(s.find('Deployment', 'db').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('update_config that asks for a rolling update is reported as overridden, with that reason', () => {
    const s = synthProject(`${yaml()}    deploy:\n      update_config: { order: start-first }\n`, {
      workingDir: tempProject({ 'pgdata/PG_VERSION': '16\n' }),
      target: 'kind',
    });
    expect(s.warnings()).toContainEqual(
      expect.stringContaining(
        'writes a data directory of the node in place (/var/lib/postgresql/data), so its pods are replaced all at once (strategy Recreate); a rolling update would run the old and the new pod on the same files at once',
      ),
    );
  });

  test('outside the project too: a data directory of the host by its name or where it is mounted', () => {
    const strategy = (volume: string) =>
      synthProject(`services:\n  db:\n    image: postgres:16\n    volumes: ["${volume}"]\n`, {
        workingDir: tempProject(),
        target: 'kind',
      }).find('Deployment', 'db').spec.strategy;
    expect(strategy('/srv/pgdata:/var/lib/postgresql/data')).toEqual({ type: 'Recreate' });
    expect(strategy('/srv/uploads:/app/uploads')).toEqual({ type: 'Recreate' });
    expect(strategy('/srv/pgdata:/var/lib/postgresql/data:ro')).toBeUndefined();
    expect(strategy('/var/run/docker.sock:/var/run/docker.sock')).toBeUndefined();
  });

  test('read-only, it keeps the default rolling update', () => {
    const s = synthProject(yaml(':ro'), { workingDir: tempProject({ 'pgdata/PG_VERSION': '16\n' }), target: 'kind' });
    expect(s.find('Deployment', 'db').spec.strategy).toBeUndefined();
  });
});
