/**
 * `pre_start` -> init containers `pre-start-<n>`: each the service's container (image, entrypoint,
 * env, volumes, working directory, user) with the entry's own settings, run after the waits and
 * volume fills, as Compose runs the entries just before it starts the service's container.
 */
import { accountProblems } from '../support/account';
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

type Container = { name: string } & Record<string, unknown>;
const initContainers = (s: ReturnType<typeof synthProject>, service = 'web'): Container[] =>
  s.pod(service).initContainers;
const preStart = (s: ReturnType<typeof synthProject>, n = 0) =>
  initContainers(s).find((c) => c.name === `pre-start-${n}`);

describe('pre_start', () => {
  const stack = `services:
  db:
    image: postgres
    expose: ["5432"]
  web:
    image: app:1.2
    pull_policy: always
    entrypoint: ["/entrypoint.sh"]
    command: ["serve"]
    working_dir: /srv
    user: "1000:1000"
    read_only: true
    environment: { LOG_LEVEL: info }
    volumes: ["data:/var/lib/app"]
    depends_on: [db]
    pre_start:
      - command: ["./manage.py", "migrate"]
volumes:
  data: {}
`;

  test("each entry is an init container after the waits and fills: the service's container running the entry's command", () => {
    const s = synthProject(stack);
    expect(initContainers(s).map((c) => c.name)).toEqual(['wait-for-db', 'fill-data', 'pre-start-0']);
    expect(preStart(s)).toEqual({
      name: 'pre-start-0',
      image: 'app:1.2',
      imagePullPolicy: 'Always',
      command: ['/entrypoint.sh'],
      args: ['./manage.py', 'migrate'],
      workingDir: '/srv',
      env: [{ name: 'LOG_LEVEL', value: 'info' }],
      volumeMounts: s.container('web').volumeMounts,
      securityContext: { runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true },
    });
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('an entry with an image of its own runs that image as its own user, with its own command only', () => {
    const s = synthProject(
      stack.replace(
        '      - command: ["./manage.py", "migrate"]\n',
        '      - image: busybox:1.36\n        command: chown -R 1000:1000 /var/lib/app\n',
      ),
    );
    expect(preStart(s)).toEqual({
      name: 'pre-start-0',
      image: 'busybox:1.36',
      args: ['chown', '-R', '1000:1000', '/var/lib/app'],
      workingDir: '/srv',
      env: [{ name: 'LOG_LEVEL', value: 'info' }],
      volumeMounts: s.container('web').volumeMounts,
      securityContext: { readOnlyRootFilesystem: true },
    });
  });

  test('an entry without a command runs what the service runs, as Compose runs the service container', () => {
    const s = synthProject(
      'services:\n  web:\n    image: app\n    command: ["seed"]\n    pre_start:\n      - working_dir: /seed\n',
    );
    expect(preStart(s)).toMatchObject({ image: 'app', args: ['seed'], workingDir: '/seed' });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a built service’s entries run its built image, never pulled on kind', () => {
    const s = synthProject(
      'name: shop\nservices:\n  web:\n    build: .\n    pre_start:\n      - command: ["migrate"]\n',
    );
    expect(preStart(s)).toMatchObject({ image: 'shop-web', imagePullPolicy: 'Never' });
  });

  test("user and privileged set the init container's security context; a user name is reported", () => {
    const s = synthProject(
      'services:\n  web:\n    image: app\n    user: "1000"\n    pre_start:\n      - command: ["chown", "-R", "1000", "/data"]\n        user: root\n        privileged: true\n      - command: ["true"]\n        user: app\n',
    );
    expect(preStart(s, 0)?.securityContext).toEqual({ runAsUser: 0, privileged: true });
    expect(preStart(s, 1)?.securityContext).toEqual({ runAsUser: 1000 });
    expect(s.warnings()).toEqual([
      `services.web.pre_start[1].user: not translated: "app" is a name; Kubernetes needs numeric IDs: pre-start-1 runs as the service's user "1000"`,
    ]);
    const rows = s.chart.service('web').explanations;
    expect(rows.find((r) => r.key === 'pre_start[0].user')?.status).toBe('translated');
    expect(rows.find((r) => r.key === 'pre_start[1].user')?.status).toBe('dropped');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test("environment adds to the service's or overrides it; secret-looking values go to a Secret of their own", () => {
    const s = synthProject(`services:
  web:
    image: app
    environment: { MODE: serve, DB_PASSWORD: a, API_TOKEN: t }
    pre_start:
      - command: ["migrate"]
        environment: { MODE: migrate, DB_PASSWORD: b, API_TOKEN: t, ADMIN_PASSWORD: c }
`);
    const ref = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
    expect(preStart(s)?.env).toEqual([
      { name: 'ADMIN_PASSWORD', ...ref('web-env-pre-start', 'pre-start-0.ADMIN_PASSWORD') },
      // The same value as the service's: its own reference.
      { name: 'API_TOKEN', ...ref('web-env', 'API_TOKEN') },
      { name: 'DB_PASSWORD', ...ref('web-env-pre-start', 'pre-start-0.DB_PASSWORD') },
      { name: 'MODE', value: 'migrate' },
    ]);
    expect(s.find('Secret', 'web-env-pre-start').data).toEqual({
      'pre-start-0.ADMIN_PASSWORD': Buffer.from('c').toString('base64'),
      'pre-start-0.DB_PASSWORD': Buffer.from('b').toString('base64'),
    });
    // The service's container never sees the entry's values.
    expect(JSON.stringify(s.container('web'))).not.toContain('pre-start');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('the service’s env files reach the entries too', () => {
    const s = synthProject(
      'services:\n  web:\n    image: app\n    env_file: app.env\n    pre_start:\n      - command: ["true"]\n',
      { workingDir: tempProject({ 'app.env': 'A=1\nSECRET_KEY=x\n' }) },
    );
    expect(preStart(s)?.envFrom).toEqual([{ configMapRef: { name: 'app.env' } }, { secretRef: { name: 'app.env' } }]);
    expect(s.container('web').envFrom).toEqual(preStart(s)?.envFrom);
  });

  test('once for the whole service (per_replica: false, the default) cannot be said for several replicas: reported', () => {
    const yaml = (entry: string) =>
      `services:\n  web:\n    image: app\n    deploy: { replicas: 3 }\n    pre_start:\n      - command: ["migrate"]\n${entry}`;
    const message =
      'Compose runs it once for the whole service; an init container runs in every pod, and the service runs 3 replicas: it runs once per pod (make it safe to run concurrently, or set per_replica: true to say so)';
    expect(synthProject(yaml('')).warnings()).toEqual([`services.web.pre_start[0]: ${message}`]);
    expect(synthProject(yaml('        per_replica: false\n')).warnings()).toEqual([
      `services.web.pre_start[0].per_replica: ${message}`,
    ]);
    const perReplica = synthProject(yaml('        per_replica: true\n'));
    expect(perReplica.warnings()).toEqual([]);
    expect(accountProblems(synthProject(yaml('        per_replica: false\n')).chart)).toEqual([]);
    expect(synthProject(yaml('').replace('3', '1')).warnings()).toEqual([]);
  });

  test('explain says how a failing entry differs', () => {
    const s = synthProject('services:\n  web:\n    image: app\n    pre_start:\n      - command: ["migrate"]\n');
    expect(s.chart.service('web').explanations.find((r) => r.key === 'pre_start')?.note).toContain(
      'the service never starts until it succeeds, where Compose stops `up` with the error',
    );
  });
});
