/** Short and long syntaxes normalize to one model: each rule, one snippet in, the model out. */
import { parseByteSize, parseDuration } from '../../lib/compose';
import type { ComposeService } from '../../lib/compose/model';
import { loadErrors, projectFrom, tempProject } from '../support/project';

const service = (body: string, options = {}): ComposeService =>
  projectFrom(`services:\n  s:\n    image: app\n${body.replace(/^/gm, '    ')}\n`, options).services.s;

describe('ports', () => {
  test('short syntax: container only, host:container, host IP, protocol, IPv6', () => {
    expect(service('ports: ["3000", "8000:80", "127.0.0.1:5432:5432", "53:53/udp", "[::1]:6001:6001"]').ports).toEqual([
      { target: 3000, published: undefined, hostIp: undefined, protocol: 'tcp', mode: 'ingress', key: 'ports[0]' },
      { target: 80, published: 8000, hostIp: undefined, protocol: 'tcp', mode: 'ingress', key: 'ports[1]' },
      { target: 5432, published: 5432, hostIp: '127.0.0.1', protocol: 'tcp', mode: 'ingress', key: 'ports[2]' },
      { target: 53, published: 53, hostIp: undefined, protocol: 'udp', mode: 'ingress', key: 'ports[3]' },
      { target: 6001, published: 6001, hostIp: '::1', protocol: 'tcp', mode: 'ingress', key: 'ports[4]' },
    ]);
  });

  test("an empty host IP is every interface, as Docker reads `:2283:2283` (from immich's compose file)", () => {
    expect(service('ports: [":2283:2283", ":9000:80/udp"]').ports).toEqual([
      { target: 2283, published: 2283, hostIp: undefined, protocol: 'tcp', mode: 'ingress', key: 'ports[0]' },
      { target: 80, published: 9000, hostIp: undefined, protocol: 'udp', mode: 'ingress', key: 'ports[1]' },
    ]);
  });

  test('ranges expand to one entry per port, each keeping the entry it was written in', () => {
    expect(
      service('ports: ["80:80", "9000-9002:8000-8002"]').ports.map((p) => `${p.key} ${p.published}:${p.target}`),
    ).toEqual(['ports[0] 80:80', 'ports[1] 9000:8000', 'ports[1] 9001:8001', 'ports[1] 9002:8002']);
  });

  test('long syntax', () => {
    expect(
      service('ports:\n  - { target: 80, published: "8080", host_ip: 0.0.0.0, protocol: udp, name: web, mode: host }')
        .ports,
    ).toEqual([
      {
        target: 80,
        published: 8080,
        hostIp: '0.0.0.0',
        protocol: 'udp',
        mode: 'host',
        name: 'web',
        appProtocol: undefined,
        key: 'ports[0]',
      },
    ]);
  });

  test('expose, with ranges and protocols', () => {
    expect(service('expose: ["3000", "5000-5001/udp", 9000]').expose).toEqual([
      { port: 3000, protocol: 'tcp' },
      { port: 5000, protocol: 'udp' },
      { port: 5001, protocol: 'udp' },
      { port: 9000, protocol: 'tcp' },
    ]);
  });
});

describe('volumes', () => {
  test('each kind normalizes to its long form', () => {
    const dir = tempProject({ 'conf/app.ini': 'x=1\n' });
    const project = projectFrom(
      'services:\n  s:\n    image: app\n    volumes: ["data:/var/lib/data:ro", "/cache", "./conf/app.ini:/etc/app.ini:ro"]\n    tmpfs: ["/run:size=64m"]\nvolumes:\n  data: {}\n',
      { workingDir: dir },
    );
    const [named, anonymous, bind, tmpfs] = project.services.s.volumes;
    expect(named).toEqual({ type: 'volume', source: 'data', target: '/var/lib/data', readOnly: true, nocopy: false });
    expect(anonymous).toEqual({ type: 'volume', target: '/cache', readOnly: false, nocopy: false });
    expect(bind).toMatchObject({ type: 'bind', source: `${dir}/conf/app.ini`, target: '/etc/app.ini', readOnly: true });
    expect(bind.type === 'bind' && bind.host.kind === 'file' && bind.host.content?.toString()).toBe('x=1\n');
    expect(tmpfs).toEqual({ type: 'tmpfs', target: '/run', readOnly: false, sizeBytes: 64 * 1024 * 1024 });
  });

  test('a bind mount records what is on the host: small directories are read, missing paths noted', () => {
    const dir = tempProject({ 'nginx/conf.d/default.conf': 'server {}\n' });
    const project = projectFrom(
      'services:\n  s:\n    image: app\n    volumes: ["./nginx/conf.d:/etc/nginx/conf.d", "./nope:/data"]\n',
      {
        workingDir: dir,
      },
    );
    const [conf, missing] = project.services.s.volumes;
    expect(conf.type === 'bind' && conf.host).toMatchObject({
      kind: 'directory',
      fileCount: 1,
      files: { 'default.conf': expect.any(Buffer) },
    });
    expect(missing.type === 'bind' && missing.host).toEqual({ kind: 'missing' });
  });
});

describe('healthcheck', () => {
  test('CMD, CMD-SHELL and string forms, with durations in milliseconds', () => {
    expect(
      service(
        'healthcheck:\n  test: ["CMD", "curl", "-f", "http://localhost"]\n  interval: 1m30s\n  timeout: 500ms\n  retries: 5\n  start_period: 10s',
      ).healthcheck,
    ).toEqual({
      test: { kind: 'exec', argv: ['curl', '-f', 'http://localhost'] },
      intervalMs: 90_000,
      timeoutMs: 500,
      retries: 5,
      startPeriodMs: 10_000,
      startIntervalMs: undefined,
    });
    expect(service('healthcheck:\n  test: ["CMD-SHELL", "pg_isready || exit 1"]').healthcheck?.test).toEqual({
      kind: 'shell',
      script: 'pg_isready || exit 1',
    });
    expect(service('healthcheck:\n  test: curl -f http://localhost').healthcheck?.test).toEqual({
      kind: 'shell',
      script: 'curl -f http://localhost',
    });
  });

  test('NONE and disable: true turn it off', () => {
    expect(service('healthcheck:\n  test: ["NONE"]')).toMatchObject({
      healthcheck: undefined,
      healthcheckDisabled: true,
    });
    expect(service('healthcheck:\n  disable: true')).toMatchObject({
      healthcheck: undefined,
      healthcheckDisabled: true,
    });
  });
});

describe('deploy and legacy keys', () => {
  test('resources, replicas and restart policy', () => {
    const s = service(
      'deploy:\n  replicas: 3\n  resources:\n    limits: { cpus: "0.5", memory: 512M }\n    reservations: { cpus: 0.25, memory: 128m }\n',
    );
    expect(s.deploy).toMatchObject({
      replicas: 3,
      resources: {
        limits: { cpus: 0.5, memoryBytes: 512 * 2 ** 20 },
        reservations: { cpus: 0.25, memoryBytes: 128 * 2 ** 20 },
      },
    });
  });

  test('cpus, mem_limit, mem_reservation and scale fold into deploy', () => {
    const s = service('cpus: 1.5\nmem_limit: 1g\nmem_reservation: 256m\nscale: 2\n');
    expect(s.deploy).toMatchObject({
      replicas: 2,
      resources: { limits: { cpus: 1.5, memoryBytes: 2 ** 30 }, reservations: { memoryBytes: 256 * 2 ** 20 } },
    });
  });

  test('placement, update_config and endpoint_mode: numbers as numbers, durations in milliseconds', () => {
    const s = service(
      'deploy:\n  endpoint_mode: dnsrr\n  placement:\n    constraints: [node.role == manager]\n    preferences: [{ spread: node.labels.zone }]\n    max_replicas_per_node: "2"\n  update_config: { parallelism: "2", order: start-first, delay: 1m, max_failure_ratio: "0.5" }\n',
    );
    expect(s.deploy).toMatchObject({
      endpointMode: 'dnsrr',
      placement: {
        constraints: [{ expression: 'node.role == manager', location: { line: 7 } }],
        preferences: ['node.labels.zone'],
        maxReplicasPerNode: 2,
      },
      updateConfig: { parallelism: 2, order: 'start-first', delayMs: 60_000, maxFailureRatio: 0.5 },
    });
  });

  test('device requests: count all and -1 are all; gpus: all', () => {
    const s = service(
      'gpus: all\ndeploy:\n  resources:\n    reservations:\n      devices:\n        - { driver: nvidia, count: -1, capabilities: [gpu] }\n        - { count: "2", device_ids: ["0"], capabilities: [gpu], options: { a: 1 } }\n',
    );
    expect(s.gpus).toBe('all');
    expect(s.deploy.devices).toEqual([
      { driver: 'nvidia', count: 'all', deviceIds: [], capabilities: ['gpu'], options: {} },
      { count: 2, deviceIds: ['0'], capabilities: ['gpu'], options: { a: '1' } },
    ]);
  });

  test('counts that are no counts are errors at their key', () => {
    expect(
      loadErrors(
        'services:\n  s:\n    image: app\n    gpus: [{ count: many }]\n    deploy:\n      update_config: { parallelism: -1 }\n',
      ),
    ).toEqual([
      'compose.yaml:4:14: services.s.gpus[0].count: "many" is not a number of devices or "all"',
      'compose.yaml:6:24: services.s.deploy.update_config.parallelism: "-1" is not a number of containers',
    ]);
  });
});

describe('the rest of a service', () => {
  test('string commands split like a shell, lists kept', () => {
    expect(service('command: sh -c "echo hello && sleep 1"').command).toEqual(['sh', '-c', 'echo hello && sleep 1']);
    expect(service('entrypoint: ["/docker-entrypoint.sh"]').entrypoint).toEqual(['/docker-entrypoint.sh']);
  });

  test('environment: list and map forms, a bare key takes its value from the environment', () => {
    expect(
      service('environment: [A=1, "B=two words", FROM_SHELL, UNSET]', { environment: { FROM_SHELL: 'yes' } })
        .environment,
    ).toEqual({
      A: '1',
      B: 'two words',
      FROM_SHELL: 'yes',
    });
    expect(service('environment: { DEBUG: true, PORT: 8080, EMPTY: "" }').environment).toEqual({
      DEBUG: 'true',
      PORT: '8080',
      EMPTY: '',
    });
  });

  test('depends_on short form is service_started and required', () => {
    const project = projectFrom('services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n');
    expect(project.services.a.dependsOn).toEqual({
      b: { condition: 'service_started', required: true, restart: false },
    });
  });

  test('a service without networks is on the default network', () => {
    const project = projectFrom('services:\n  a:\n    image: x\n');
    expect(project.services.a.networks).toEqual({ default: { aliases: [] } });
    expect(Object.keys(project.networks)).toEqual(['default']);
  });

  test('restart, extra_hosts, user, secrets default targets', () => {
    const dir = tempProject({ 'k.txt': 'key' });
    const project = projectFrom(
      'services:\n  s:\n    image: x\n    restart: on-failure:3\n    extra_hosts: ["db.local:10.0.0.5", "v6=::1"]\n    user: "1000:1000"\n    secrets: [k]\n    configs: [c]\nsecrets:\n  k: { file: ./k.txt }\nconfigs:\n  c: { content: "hello" }\n',
      { workingDir: dir },
    );
    const s = project.services.s;
    expect(s.restart).toEqual({ kind: 'on-failure', maxRetries: 3 });
    expect(s.extraHosts).toEqual([
      { hostname: 'db.local', ip: '10.0.0.5' },
      { hostname: 'v6', ip: '::1' },
    ]);
    expect(s.user).toBe('1000:1000');
    expect(s.secrets).toEqual([
      { source: 'k', target: '/run/secrets/k', uid: undefined, gid: undefined, mode: undefined },
    ]);
    expect(s.configs[0].target).toBe('/c');
    expect(project.secrets.k.content?.toString()).toBe('key');
    expect(project.configs.c.content?.toString()).toBe('hello');
  });

  test('keys the model does not represent are kept for translation to report', () => {
    expect(Object.keys(service('logging: { driver: syslog }\nulimits: { nofile: 1024 }').unmodeled)).toEqual([
      'logging',
      'ulimits',
    ]);
  });
});

describe('units', () => {
  test.each([
    ['1m30s', 90_000],
    ['10s', 10_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['2us', 0.002],
    ['15', 15_000],
  ])('duration %s -> %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each([
    ['512M', 512 * 2 ** 20],
    ['512m', 512 * 2 ** 20],
    ['1g', 2 ** 30],
    ['1gb', 2 ** 30],
    ['100k', 102_400],
    ['1024', 1024],
  ])('size %s -> %d bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  test('invalid values are undefined', () => {
    expect(parseDuration('10x')).toBeUndefined();
    expect(parseByteSize('lots')).toBeUndefined();
  });
});
