import { accountProblems } from '../support/account';
import { synthProject } from '../support/synth';

describe('images and pull policies', () => {
  test('image kept, no pull policy unless Compose says so', () => {
    const s = synthProject('services:\n  web:\n    image: nginx:1.27\n');
    expect(s.container('web')).toMatchObject({ name: 'web', image: 'nginx:1.27' });
    expect(s.container('web').imagePullPolicy).toBeUndefined();
  });

  test('a build-only service gets the name Compose gives it and is never pulled on kind or minikube', () => {
    const yaml = 'name: shop\nservices:\n  api:\n    build: ./api\n';
    expect(synthProject(yaml).container('api')).toMatchObject({ image: 'shop-api', imagePullPolicy: 'Never' });
    expect(synthProject(yaml, { target: 'minikube' }).container('api').imagePullPolicy).toBe('Never');
    expect(synthProject(yaml, { target: 'generic' }).container('api').imagePullPolicy).toBe('IfNotPresent');
  });

  test('pull_policy maps to imagePullPolicy', () => {
    expect(
      synthProject('services:\n  a:\n    image: x\n    pull_policy: always\n').container('a').imagePullPolicy,
    ).toBe('Always');
    expect(
      synthProject('services:\n  a:\n    image: x\n    pull_policy: missing\n').container('a').imagePullPolicy,
    ).toBe('IfNotPresent');
  });

  test('generic: never and build become IfNotPresent, warned at the key: the nodes pull every image', () => {
    const built = synthProject('name: shop\nservices:\n  api:\n    build: ./api\n    pull_policy: build\n', {
      target: 'generic',
    });
    expect(built.container('api').imagePullPolicy).toBe('IfNotPresent');
    expect(built.warnings()).toEqual([
      'services.api.pull_policy: "build" would never pull the image, and on a generic cluster it reaches the nodes only from the registry NOTES.md pushes it to: imagePullPolicy IfNotPresent',
    ]);
    // At the key's own line (line 5, column 5).
    expect(built.chart.diagnostics.find((d) => d.path === 'services.api.pull_policy')?.location).toMatchObject({
      line: 5,
      column: 5,
    });
    const pulled = synthProject('services:\n  a:\n    image: x\n    pull_policy: never\n', { target: 'generic' });
    expect(pulled.container('a').imagePullPolicy).toBe('IfNotPresent');
    expect(pulled.warnings()[0]).toMatch(/^services\.a\.pull_policy: "never" would never pull the image/);
    const always = synthProject('services:\n  a:\n    build: .\n    pull_policy: always\n', { target: 'generic' });
    expect(always.container('a').imagePullPolicy).toBe('Always');
    expect(always.warnings()).toEqual([]);
  });

  test('kind and minikube: never on an image nothing builds says how to load it onto the node', () => {
    for (const [target, load] of [
      ['kind', 'kind load docker-image'],
      ['minikube', 'minikube image load'],
    ] as const) {
      const s = synthProject('services:\n  a:\n    image: corp/tool:1\n    pull_policy: never\n', { target });
      expect(s.container('a').imagePullPolicy).toBe('Never');
      expect(s.warnings()).toEqual([
        `services.a.pull_policy: "never" never pulls corp/tool:1: it must already be on the ${target} node, where nothing loads it: \`${load} corp/tool:1\` before up.sh, or the pods stay in ErrImageNeverPull`,
      ]);
    }
  });

  test('kind and minikube: a built image is used as loaded; a policy that would pull it is warned about', () => {
    for (const policy of ['never', 'build', 'missing']) {
      const s = synthProject(`services:\n  a:\n    build: .\n    pull_policy: ${policy}\n`);
      expect({ policy, pull: s.container('a').imagePullPolicy, warnings: s.warnings() }).toEqual({
        policy,
        pull: 'Never',
        warnings: [],
      });
    }
    const always = synthProject('services:\n  a:\n    build: .\n    pull_policy: always\n', { target: 'minikube' });
    expect(always.container('a').imagePullPolicy).toBe('Never');
    expect(always.warnings()).toEqual([
      'services.a.pull_policy: "always" pulls the image from a registry; on minikube load-images.sh builds it and loads it into the node, so it is never pulled (imagePullPolicy: Never)',
    ]);
    // Not built: the node pulls as Compose would.
    expect(synthProject('services:\n  a:\n    image: x\n    pull_policy: never\n').container('a').imagePullPolicy).toBe(
      'Never',
    );
  });
});

describe('commands', () => {
  test('entrypoint becomes command, command becomes args, strings split like a shell', () => {
    const c = synthProject(
      'services:\n  a:\n    image: x\n    entrypoint: /entry.sh --verbose\n    command: serve --name "my app"\n',
    ).container('a');
    expect(c.command).toEqual(['/entry.sh', '--verbose']);
    expect(c.args).toEqual(['serve', '--name', 'my app']);
  });

  test('$( is escaped, because Kubernetes would expand it and Compose does not', () => {
    const c = synthProject(
      'services:\n  a:\n    image: x\n    command: ["sh", "-c", "echo $$(date)"]\n    environment:\n      GREETING: "$$(whoami)"\n',
    ).container('a');
    expect(c.args).toEqual(['sh', '-c', 'echo $$(date)']);
    expect(c.env).toEqual([{ name: 'GREETING', value: '$$(whoami)' }]);
  });
});

describe('container and pod fields', () => {
  test('working_dir, user, read_only, capabilities, privileged, tty and stdin_open', () => {
    const c = synthProject(
      'services:\n  a:\n    image: x\n    working_dir: /srv\n    user: "1000:2000"\n    read_only: true\n    cap_add: [NET_ADMIN]\n    cap_drop: [CAP_MKNOD]\n    privileged: true\n    tty: true\n    stdin_open: true\n',
    ).container('a');
    expect(c).toMatchObject({
      workingDir: '/srv',
      tty: true,
      stdin: true,
      securityContext: {
        runAsUser: 1000,
        runAsGroup: 2000,
        readOnlyRootFilesystem: true,
        privileged: true,
        capabilities: { add: ['NET_ADMIN'], drop: ['MKNOD'] },
      },
    });
  });

  test('nothing is added that Compose did not ask for', () => {
    const c = synthProject('services:\n  a:\n    image: x\n').container('a');
    expect(Object.keys(c).sort()).toEqual(['image', 'name']);
  });

  test('root is uid and gid 0 in every image', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    user: root\n  b:\n    image: x\n    user: "root:root"\n',
    );
    expect(s.container('a').securityContext).toEqual({ runAsUser: 0 });
    expect(s.container('b').securityContext).toEqual({ runAsUser: 0, runAsGroup: 0 });
  });

  test('a non-root user may listen below 1024, as Docker allows in every container', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    user: "101"\n    ports: ["80:80"]\n  api:\n    image: x\n    user: "1000"\n    expose: ["8000"]\n  root:\n    image: nginx\n    ports: ["81:80"]\n',
    );
    expect(s.pod('web').securityContext).toEqual({
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
    });
    expect(s.pod('api').securityContext).toBeUndefined();
    expect(s.pod('root').securityContext).toBeUndefined();
  });

  test('a user name cannot be translated and is reported', () => {
    const s = synthProject('services:\n  a:\n    image: x\n    user: postgres\n');
    expect(s.container('a').securityContext).toBeUndefined();
    expect(s.warnings()).toContain(
      'services.a.user: not translated: "postgres" is a name; Kubernetes needs numeric IDs (user: "1000:1000")',
    );
  });

  test('stop_grace_period, extra_hosts, hostname, dns and safe sysctls', () => {
    const pod = synthProject(
      'services:\n  a:\n    image: x\n    stop_grace_period: 1m30s\n    extra_hosts: ["db.local:10.0.0.5", "cache.local:10.0.0.5", "api.local:10.0.0.6"]\n    hostname: worker1\n    dns: [1.1.1.1]\n    dns_search: [corp.local]\n    sysctls: { net.ipv4.tcp_syncookies: "1", net.core.somaxconn: "1024" }\n',
    );
    expect(pod.pod('a')).toMatchObject({
      terminationGracePeriodSeconds: 90,
      hostname: 'worker1',
      hostAliases: [
        { ip: '10.0.0.5', hostnames: ['db.local', 'cache.local'] },
        { ip: '10.0.0.6', hostnames: ['api.local'] },
      ],
      dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.local'] },
      securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] },
    });
    expect(pod.pod('a').dnsPolicy).toBeUndefined();
    expect(pod.warnings()).toContain(
      'services.a.sysctls.net.core.somaxconn: not translated: unsafe sysctl: the kubelet must allow it (--allowed-unsafe-sysctls) before a pod may set it',
    );
  });

  test('shm_size is a memory-backed emptyDir at /dev/shm', () => {
    const s = synthProject('services:\n  a:\n    image: x\n    shm_size: 256m\n');
    expect(s.pod('a').volumes).toEqual([{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } }]);
    expect(s.container('a').volumeMounts).toEqual([{ name: 'dshm', mountPath: '/dev/shm' }]);
  });

  test('resources: limits and reservations, only as set', () => {
    const c = synthProject(
      'services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits: { cpus: "0.5", memory: 512M }\n        reservations: { memory: 128M }\n',
    ).container('a');
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { memory: '128Mi' } });
  });

  test('labels become pod annotations (their values are free text)', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    labels: { "com.example.description": "Accounting web app" }\n',
    );
    expect(s.find('Deployment', 'a').spec.template.metadata.annotations).toEqual({
      'com.example.description': 'Accounting web app',
    });
  });

  test('a label or annotation whose key the API server refuses is reported at its line, the others kept', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    labels: ["(", "my label=x", "Example.com/Note=kept"]\n    annotations: { "a/b/c": x }\n',
    );
    expect(s.find('Deployment', 'a').spec.template.metadata.annotations).toEqual({ 'Example.com/Note': 'kept' });
    const dropped = s.chart.diagnostics.filter((d) => d.message.includes('not a valid Kubernetes annotation key'));
    expect(dropped.map((d) => [d.path, d.location?.line])).toEqual([
      ['services.a.labels.(', 4],
      ['services.a.labels.my label', 4],
      ['services.a.annotations.a/b/c', 5],
    ]);
  });

  test('keys with no Kubernetes equivalent are reported with the reason, never silently dropped', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    logging: { driver: syslog }\n    devices: ["/dev/ttyUSB0"]\n',
    );
    expect(s.warnings()).toEqual([
      "services.a.logging: not translated: Kubernetes keeps container logs itself (kubectl logs); ship them with the cluster's log collector",
      'services.a.devices: not translated: host devices need a device plugin on Kubernetes',
    ]);
    const d = s.chart.diagnostics.find((x) => x.path === 'services.a.logging');
    expect(d?.location).toEqual({ file: 'compose.yaml', line: 4, column: 5 });
  });
});

describe('group_add', () => {
  test('group IDs become the pod’s supplementalGroups, with its other security settings', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    group_add: ["1234", 5678, root, "0"]\n    sysctls: { net.ipv4.tcp_syncookies: "1" }\n    labels: { kompose.security-context.fsgroup: "2000" }\n',
    );
    expect(s.pod('a').securityContext).toEqual({
      supplementalGroups: [1234, 5678, 0],
      sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }],
      fsGroup: 2000,
    });
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a group name is reported: Kubernetes needs its number, which only the image’s /etc/group knows', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    group_add: [audio, "29"]\n  b:\n    image: x\n    group_add: [audio]\n',
    );
    expect(s.pod('a').securityContext).toEqual({ supplementalGroups: [29] });
    expect(s.pod('b').securityContext).toBeUndefined();
    expect(s.warnings()).toEqual([
      `services.a.group_add[0]: not translated: "audio" is a group name; Kubernetes needs its number, from the image's /etc/group (getent group audio), written in group_add instead`,
      `services.b.group_add[0]: not translated: "audio" is a group name; Kubernetes needs its number, from the image's /etc/group (getent group audio), written in group_add instead`,
    ]);
    const row = (service: string) => s.chart.service(service).explanations.find((e) => e.key === 'group_add')?.status;
    expect([row('a'), row('b')]).toEqual(['partial', 'dropped']);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});
