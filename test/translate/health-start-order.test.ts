import { synthProject } from '../support/synth';

describe('healthcheck', () => {
  test('becomes a readinessProbe and a livenessProbe with the same command and timings', () => {
    const c = synthProject(
      'services:\n  api:\n    image: x\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]\n      interval: 10s\n      timeout: 1500ms\n      retries: 5\n',
    ).container('api');
    const probe = {
      exec: { command: ['curl', '-f', 'http://localhost:8000/health'] },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 5,
    };
    expect(c.readinessProbe).toEqual(probe);
    expect(c.livenessProbe).toEqual(probe);
    expect(c.startupProbe).toBeUndefined();
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

  test('start_period is a startupProbe: never killed before start_period plus retries failed checks', () => {
    const c = synthProject(
      'services:\n  ml:\n    image: x\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8001/health"]\n      interval: 30s\n      timeout: 10s\n      retries: 3\n      start_period: 40s\n',
    ).container('ml');
    // Checked every 5 s (Docker's start_interval) while starting: ready as soon as it answers.
    expect(c.startupProbe).toEqual({
      exec: { command: ['curl', '-f', 'http://localhost:8001/health'] },
      periodSeconds: 5,
      timeoutSeconds: 10,
      failureThreshold: 26, // (40 s + 3 x 30 s) / 5 s
    });
    expect(c.livenessProbe.failureThreshold).toBe(3);
  });

  test('start_interval sets how often the startupProbe checks', () => {
    const c = synthProject(
      'services:\n  a:\n    image: x\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 10s\n      retries: 2\n      start_period: 20s\n      start_interval: 2s\n',
    ).container('a');
    expect(c.startupProbe).toMatchObject({ periodSeconds: 2, failureThreshold: 20 });
  });

  test("x-k8s.liveness: false keeps Docker's never-restart behaviour: readiness only", () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    healthcheck:\n      test: ["CMD", "true"]\n      start_period: 20s\n    x-k8s:\n      liveness: false\n',
    );
    expect(s.container('a').readinessProbe).toBeDefined();
    expect(s.container('a').livenessProbe).toBeUndefined();
    expect(s.container('a').startupProbe).toBeUndefined();
    expect(s.warnings()).toEqual([]);
  });

  test('a one-shot Job is not restarted when unhealthy: readiness only', () => {
    const c = synthProject(
      'services:\n  migrate:\n    image: x\n    restart: "no"\n    healthcheck:\n      test: ["CMD", "true"]\n',
    ).container('migrate');
    expect(c.readinessProbe).toBeDefined();
    expect(c.livenessProbe).toBeUndefined();
  });

  test('a disabled healthcheck gives no probe', () => {
    const c = synthProject('services:\n  a:\n    image: x\n    healthcheck: { disable: true }\n').container('a');
    expect([c.readinessProbe, c.livenessProbe, c.startupProbe]).toEqual([undefined, undefined, undefined]);
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
      command: [
        'sh',
        '-c',
        'until nc -z -w 2 db 5432; do echo "waiting for db (service_healthy): db:5432 does not accept connections yet"; sleep 2; done',
      ],
    });
  });

  test('a dependency without ports is awaited by name through each search domain: its headless Service lists only ready pods', () => {
    const init = synthProject(stack).pod('app').initContainers;
    expect(init[0].command[2]).toContain(
      'if nslookup "$1.$domain." 2>/dev/null | grep -q \'^Name:\'; then return 0; fi',
    );
    expect(init[0].command[2]).toContain(
      'until resolves cache; do echo "waiting for cache (service_started): no ready pod behind cache yet"; sleep 2; done',
    );
  });

  test('a dependency with only UDP ports is awaited through its ready endpoints, with RBAC to read them', () => {
    const s = synthProject(
      'services:\n  dns:\n    image: coredns\n    expose: ["53/udp"]\n  app:\n    image: x\n    depends_on: [dns]\n',
    );
    expect(s.pod('app').initContainers[0].command[2]).toContain('/api/v1/namespaces/$POD_NAMESPACE/endpoints/dns');
    expect(s.find('Role', 'app-wait').rules).toEqual([
      { apiGroups: [''], resources: ['endpoints'], resourceNames: ['dns'], verbs: ['get'] },
    ]);
  });

  test('service_completed_successfully waits for the Job to succeed, with just enough RBAC to read it', () => {
    const s = synthProject(stack);
    const wait = s.pod('app').initContainers[2];
    expect(wait.image).toBe('curlimages/curl:8.10.1');
    expect(wait.command[2]).toContain('/apis/batch/v1/namespaces/$POD_NAMESPACE/jobs/migrate');
    expect(wait.command[2]).toContain('"succeeded": *[1-9]');
    // Kubernetes must not expand the token's command substitution itself.
    expect(wait.command[2]).toContain('Bearer $$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)');
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

describe('start order across networks', () => {
  // Compose starts `app` after `db` although they share no network: the engine checks the state.
  const stack = `services:
  db: { image: postgres, expose: ["5432"], networks: [back], healthcheck: { test: pg_isready } }
  worker: { image: busybox, networks: [back] }
  cache: { image: redis, expose: ["6379"], networks: [front] }
  app:
    image: nginx
    networks: [front]
    depends_on:
      db: { condition: service_healthy }
      worker: { condition: service_started }
      cache: { condition: service_started }
networks: { front: {}, back: {} }
`;
  const waitFor = (s: ReturnType<typeof synthProject>, pod: string, dep: string) =>
    s.pod(pod).initContainers.find((c: { name: string }) => c.name === `wait-for-${dep}`);

  test("a dependency on another network is awaited through its Endpoints: back's policy would refuse app's connection", () => {
    const s = synthProject(stack);
    const wait = waitFor(s, 'app', 'db');
    expect(wait.image).toBe('curlimages/curl:8.10.1');
    expect(wait.command[2]).toContain('"https://kubernetes.default.svc/api/v1/namespaces/$POD_NAMESPACE/endpoints/db"');
    expect(wait.command[2]).toContain(`grep -q '"addresses"'`);
    expect(wait.command[2]).not.toContain('nc -z');
    expect(wait.env).toEqual([{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]);
    expect(s.pod('app').serviceAccountName).toBe('app-wait');
  });

  test('a dependency that resolves to its pods (endpoint_mode: dnsrr) is awaited by name, with no API access', () => {
    const s = synthProject(
      stack.replace(
        'healthcheck: { test: pg_isready } }',
        'healthcheck: { test: pg_isready }, deploy: { endpoint_mode: dnsrr } }',
      ),
    );
    const wait = waitFor(s, 'app', 'db');
    expect(wait.image).toBe('busybox:1.36');
    expect(wait.command[2]).toContain('until resolves db;');
    expect(s.all('Role')).toEqual([]);
    expect(s.chart.service('app').explanations.find((k) => k.key === 'depends_on')?.note).toBe(
      'depends_on.db: "db" shares no network with this service, so the NetworkPolicies would refuse the connection: the wait asks cluster DNS until db resolves to a ready pod',
    );
  });

  test('the Role reads exactly the Endpoints of the dependencies on other networks', () => {
    expect(synthProject(stack).find('Role', 'app-wait').rules).toEqual([
      { apiGroups: [''], resources: ['endpoints'], resourceNames: ['db'], verbs: ['get'] },
    ]);
  });

  test('a dependency on a shared network is still awaited with nc -z', () => {
    expect(waitFor(synthProject(stack), 'app', 'cache').command[2]).toContain('until nc -z -w 2 cache 6379;');
  });

  test('a dependency without ports on another network is still awaited by name: cluster DNS answers every pod', () => {
    expect(waitFor(synthProject(stack), 'app', 'worker').command[2]).toContain('until resolves worker;');
  });

  test('explain says why the wait goes through the API', () => {
    const row = synthProject(stack)
      .chart.service('app')
      .explanations.find((k) => k.key === 'depends_on');
    expect(row?.note).toBe(
      'depends_on.db: "db" shares no network with this service, so the NetworkPolicies would refuse the connection: the wait asks the Kubernetes API until Endpoints db list a ready pod',
    );
  });

  test('a dependency on the node network admits anyone: awaited with nc -z', () => {
    const s = synthProject(
      'services:\n  agent: { image: x, network_mode: host, expose: ["9000"] }\n  app: { image: y, depends_on: [agent] }\n',
    );
    expect(waitFor(s, 'app', 'agent').command[2]).toContain('until nc -z -w 2 agent 9000;');
  });

  test('a pod on the node network is on no Compose network: it waits through the API', () => {
    const s = synthProject(
      'services:\n  db: { image: postgres, expose: ["5432"] }\n  agent: { image: x, network_mode: host, depends_on: [db] }\n',
    );
    expect(waitFor(s, 'agent', 'db').command[2]).toContain('/endpoints/db"');
  });

  test('under network_mode: service: the pod has no network of its own to share: it waits through the API', () => {
    const s = synthProject(
      'services:\n  db: { image: postgres, expose: ["5432"] }\n  vpn: { image: v }\n  app: { image: y, network_mode: "service:vpn", depends_on: [db] }\n',
    );
    expect(waitFor(s, 'app', 'db').command[2]).toContain('/endpoints/db"');
  });

  test('a dependency under network_mode: service: has no Service: nothing waits for it, rather than forever', () => {
    const s = synthProject(
      'services:\n  vpn: { image: v }\n  sidecar: { image: x, network_mode: "service:vpn", expose: ["8080"] }\n  app: { image: y, depends_on: [sidecar] }\n',
    );
    expect(s.all('Service').map((o) => o.metadata.name)).not.toContain('sidecar');
    expect(s.pod('app').initContainers).toBeUndefined();
    expect(s.warnings()).toContain(
      'services.app.depends_on.sidecar: not translated: "sidecar" has no Service to wait on (its network_mode cannot be translated): nothing waits for it',
    );
  });

  test('with no NetworkPolicy at all (every service on the node network), waits connect directly', () => {
    const s = synthProject(
      'services:\n  db: { image: postgres, network_mode: host, expose: ["5432"] }\n  app: { image: y, network_mode: host, depends_on: [db] }\n',
    );
    expect(s.all('NetworkPolicy')).toEqual([]);
    expect(waitFor(s, 'app', 'db').command[2]).toContain('until nc -z -w 2 db 5432;');
  });
});
