import { synthProject } from '../support/synth';

describe('healthcheck', () => {
  test('becomes a readinessProbe with the same command and timings; no livenessProbe', () => {
    const c = synthProject(
      'services:\n  api:\n    image: x\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]\n      interval: 10s\n      timeout: 1500ms\n      retries: 5\n',
    ).container('api');
    expect(c.readinessProbe).toEqual({
      exec: { command: ['curl', '-f', 'http://localhost:8000/health'] },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 5,
    });
    expect(c.livenessProbe).toBeUndefined();
  });

  test('CMD-SHELL runs through /bin/sh -c, with Compose defaults for what is not set', () => {
    const c = synthProject(
      'services:\n  db:\n    image: postgres\n    healthcheck:\n      test: pg_isready -U postgres\n',
    ).container('db');
    expect(c.readinessProbe).toEqual({
      exec: { command: ['/bin/sh', '-c', 'pg_isready -U postgres'] },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
  });

  test('a disabled healthcheck gives no probe', () => {
    expect(
      synthProject('services:\n  a:\n    image: x\n    healthcheck: { disable: true }\n').container('a').readinessProbe,
    ).toBeUndefined();
  });
});

describe('start order', () => {
  const stack = `services:
  db:
    image: postgres
    expose: ["5432"]
    healthcheck: { test: pg_isready }
  cache:
    image: redis
  migrate:
    image: app
    restart: "no"
    depends_on: { db: { condition: service_healthy } }
  app:
    image: app
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_started }
      migrate: { condition: service_completed_successfully }
`;

  test("each dependency is an init container that waits until the dependency's Service answers", () => {
    const init = synthProject(stack).pod('app').initContainers;
    expect(init.map((c: { name: string }) => c.name)).toEqual(['wait-for-cache', 'wait-for-db', 'wait-for-migrate']);
    expect(init[1]).toEqual({
      name: 'wait-for-db',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'until nc -z -w 2 db 5432 >/dev/null 2>&1; do echo "waiting for db:5432"; sleep 2; done'],
    });
  });

  test('a dependency without ports is awaited by name: its headless Service lists only ready pods', () => {
    const init = synthProject(stack).pod('app').initContainers;
    expect(init[0].command[2]).toBe('until nslookup cache >/dev/null 2>&1; do echo "waiting for cache"; sleep 2; done');
  });

  test('service_completed_successfully waits for the Job to succeed, with just enough RBAC to read it', () => {
    const s = synthProject(stack);
    const wait = s.pod('app').initContainers[2];
    expect(wait.image).toBe('curlimages/curl:8.10.1');
    expect(wait.command[2]).toContain('/apis/batch/v1/namespaces/$POD_NAMESPACE/jobs/migrate');
    expect(wait.command[2]).toContain('"succeeded": *[1-9]');
    expect(s.pod('app').serviceAccountName).toBe('app-wait');
    expect(s.find('Role', 'app-wait').rules).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], resourceNames: ['migrate'], verbs: ['get'] },
    ]);
    expect(s.find('RoleBinding', 'app-wait')).toMatchObject({
      roleRef: { kind: 'Role', name: 'app-wait' },
      subjects: [{ kind: 'ServiceAccount', name: 'app-wait' }],
    });
  });

  test('an optional dependency that is not in the project is skipped with a note', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    depends_on:\n      tools: { condition: service_started, required: false }\n',
    );
    expect(s.pod('a').initContainers).toBeUndefined();
  });
});

test('service_healthy on a dependency without a healthcheck waits for it to answer, and says so', () => {
  const s = synthProject(
    'services:\n  db:\n    image: postgres\n    expose: ["5432"]\n  app:\n    image: x\n    depends_on:\n      db: { condition: service_healthy }\n',
  );
  expect(s.pod('app').initContainers[0].name).toBe('wait-for-db');
  expect(s.warnings()).toContain(
    'services.app.depends_on.db: "db" has no healthcheck (Compose would refuse to start): waiting until it answers instead',
  );
});
