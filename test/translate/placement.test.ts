/** deploy.placement and platform: one constraint, preference or platform in, the pod's scheduling fields out. */
import { accountProblems } from '../support/account';
import { synthProject } from '../support/synth';

const placed = (placement: string, extra = '') =>
  synthProject(`services:\n  web:\n    image: nginx\n${extra}    deploy:\n      placement:\n${placement}`);

const constraints = (...items: string[]) =>
  placed(`        constraints:\n${items.map((c) => `          - ${c}\n`).join('')}`);

const required = (pod: { affinity?: { nodeAffinity?: Record<string, unknown> } }) =>
  (
    pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as
      { nodeSelectorTerms: { matchExpressions: unknown[] }[] } | undefined
  )?.nodeSelectorTerms[0].matchExpressions;

/** The workload's own selector: what spread and anti-affinity count. */
const selectorOf = (s: ReturnType<typeof synthProject>) => s.find('Deployment', 'web').spec.selector;

describe('placement constraints', () => {
  test('== on a node label: nodeSelector', () => {
    const s = constraints('node.labels.zone == eu-1');
    expect(s.pod('web').nodeSelector).toEqual({ zone: 'eu-1' });
    expect(s.pod('web').affinity).toBeUndefined();
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('!= on a node label: a required NotIn, every excluded value of a label in one expression', () => {
    const s = constraints('node.labels.disk != hdd', 'node.labels.disk!=tape');
    expect(required(s.pod('web'))).toEqual([{ key: 'disk', operator: 'NotIn', values: ['hdd', 'tape'] }]);
    expect(s.pod('web').nodeSelector).toBeUndefined();
  });

  test('== and != together: the nodeSelector and the affinity, both required', () => {
    const s = constraints('node.labels.zone == eu-1', 'node.labels.disk != hdd');
    expect(s.pod('web').nodeSelector).toEqual({ zone: 'eu-1' });
    expect(required(s.pod('web'))).toEqual([{ key: 'disk', operator: 'NotIn', values: ['hdd'] }]);
  });

  test("node.hostname, node.platform.os and node.platform.arch: the kubelet's labels, Docker's arch names mapped", () => {
    const s = constraints('node.hostname == Worker-1', 'node.platform.os == linux', 'node.platform.arch == x86_64');
    expect(s.pod('web').nodeSelector).toEqual({
      'kubernetes.io/hostname': 'worker-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    });
  });

  test.each([
    ['aarch64', 'arm64'],
    ['armv7l', 'arm'],
    ['armhf', 'arm'],
    ['i686', '386'],
    ['i386', '386'],
    ['ppc64le', 'ppc64le'],
    ['s390x', 's390x'],
  ])('node.platform.arch == %s: kubernetes.io/arch %s', (docker, kube) => {
    expect(constraints(`node.platform.arch == ${docker}`).pod('web').nodeSelector).toEqual({
      'kubernetes.io/arch': kube,
    });
  });

  test('node.role == manager: on control-plane nodes, tolerating their taint (Swarm managers run tasks)', () => {
    const pod = constraints('node.role == manager').pod('web');
    expect(required(pod)).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }]);
    expect(pod.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  test('node.role == worker (and != manager): off control-plane nodes', () => {
    for (const c of ['node.role == worker', 'node.role != manager']) {
      const pod = constraints(c).pod('web');
      expect(required(pod)).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }]);
      expect(pod.tolerations).toBeUndefined();
    }
  });

  test('node.id, engine labels and what is no constraint: reported per item, at its line; the others kept', () => {
    const s = constraints(
      'node.labels.zone == eu-1',
      'node.id == 2ivku8v2gvtg4',
      'engine.labels.operatingsystem == ubuntu',
      'baz != qux',
      'node.labels.os == ubuntu 14.04',
      'whatever',
    );
    expect(s.pod('web').nodeSelector).toEqual({ zone: 'eu-1' });
    expect(s.warnings()).toEqual([
      'services.web.deploy.placement.constraints[1]: not translated: Swarm node IDs do not exist on Kubernetes: constrain on node.hostname or a node label instead',
      'services.web.deploy.placement.constraints[2]: not translated: Docker engine labels do not exist on Kubernetes nodes: label the nodes (kubectl label node <node> operatingsystem=ubuntu) and constrain on node.labels.operatingsystem',
      'services.web.deploy.placement.constraints[3]: not translated: baz is no node attribute (node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<label>)',
      'services.web.deploy.placement.constraints[4]: not translated: "ubuntu 14.04" is not a valid Kubernetes label value (at most 63 letters, digits, "-", "_" and ".")',
      'services.web.deploy.placement.constraints[5]: not translated: "whatever" has no == or !=: a constraint is <attribute> == <value> or != <value>',
    ]);
    const lines = s.chart.diagnostics.filter((d) => d.path?.includes('constraints[')).map((d) => d.location?.line);
    expect(lines).toEqual([8, 9, 10, 11, 12]);
    const row = s.chart.service('web').explanations.find((r) => r.key === 'deploy.placement.constraints');
    expect(row?.status).toBe('partial');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('nothing placeable: the key is dropped, not shown as translated', () => {
    const s = constraints('node.id == abc');
    expect(s.pod('web').nodeSelector).toBeUndefined();
    const row = s.chart.service('web').explanations.find((r) => r.key === 'deploy.placement.constraints');
    expect(row?.status).toBe('dropped');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('contradicting constraints are kept (Swarm leaves the task pending too) and warned about', () => {
    const s = constraints('node.labels.zone == a', 'node.labels.zone == b');
    expect(s.pod('web').nodeSelector).toEqual({ zone: 'a' });
    expect(required(s.pod('web'))).toEqual([{ key: 'zone', operator: 'In', values: ['b'] }]);
    expect(s.warnings()).toEqual([
      'services.web.deploy.placement.constraints[1]: no node can be both zone=a (deploy.placement.constraints[0]) and zone=b: the pod stays Pending, as the Swarm task would',
    ]);
  });

  test('on a DaemonSet the constraints choose the nodes it runs on', () => {
    const s = synthProject(
      'services:\n  agent:\n    image: agent\n    deploy:\n      mode: global\n      placement:\n        constraints: [node.labels.gpu == nvidia]\n',
    );
    expect(s.pod('agent').nodeSelector).toEqual({ gpu: 'nvidia' });
  });
});

describe('placement preferences', () => {
  test('spread over a node label: a ScheduleAnyway topology spread over it, per label once', () => {
    const s = placed(
      '        preferences:\n          - spread: node.labels.zone\n          - spread: node.labels.zone\n          - spread: node.labels.topology.kubernetes.io/rack\n',
    );
    expect(s.pod('web').topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selectorOf(s) },
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/rack',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: selectorOf(s),
      },
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('spread over anything else: reported at its spread', () => {
    const s = placed('        preferences:\n          - spread: node.labels.zone\n          - spread: foo\n');
    expect(s.pod('web').topologySpreadConstraints).toHaveLength(1);
    expect(s.warnings()).toEqual([
      'services.web.deploy.placement.preferences[1].spread: not translated: Swarm spreads over node.labels.<label>, not foo',
    ]);
  });
});

describe('max_replicas_per_node', () => {
  test('1: a required pod anti-affinity on the hostname, rolled stop-first so no surge pod waits for a node', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 3\n      placement:\n        max_replicas_per_node: 1\n',
    );
    expect(s.pod('web').affinity).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: selectorOf(s), topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    });
    expect(s.pod('web').topologySpreadConstraints).toBeUndefined();
    expect(s.find('Deployment', 'web').spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('N > 1: a DoNotSchedule spread with maxSkew N and minDomains = replicas, reported as partial', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 5\n      placement:\n        max_replicas_per_node: 2\n',
    );
    expect(s.pod('web').topologySpreadConstraints).toEqual([
      {
        maxSkew: 2,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        minDomains: 5,
        labelSelector: selectorOf(s),
      },
    ]);
    expect(s.warnings()).toEqual([
      "services.web.deploy.placement.max_replicas_per_node: Kubernetes has no per-node pod limit: wrote a topologySpreadConstraint on kubernetes.io/hostname (maxSkew 2, DoNotSchedule, minDomains 5), which keeps at most 2 of the service's 5 pod(s) on a node; pods beyond those (a rollout's surge, kubectl scale) may exceed it",
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('0 is no limit, and a DaemonSet runs one pod per node anyway: nothing written', () => {
    const none = placed('        max_replicas_per_node: 0\n');
    expect(none.pod('web').affinity).toBeUndefined();
    const daemon = synthProject(
      'services:\n  agent:\n    image: agent\n    deploy:\n      mode: global\n      placement: { max_replicas_per_node: 1 }\n',
    );
    expect(daemon.pod('agent').affinity).toBeUndefined();
    expect([...none.warnings(), ...daemon.warnings()]).toEqual([]);
    expect([...accountProblems(none.chart), ...accountProblems(daemon.chart)]).toEqual([]);
  });
});

describe('platform', () => {
  test('linux/arm64: the nodes of that platform', () => {
    const s = synthProject('services:\n  web:\n    image: nginx\n    platform: linux/arm64\n');
    expect(s.pod('web').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a variant has no node label: reported; arm64/v8 is the only arm64 variant', () => {
    const v7 = synthProject('services:\n  web:\n    image: nginx\n    platform: linux/arm/v7\n');
    expect(v7.pod('web').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm' });
    expect(v7.warnings()).toEqual([
      'services.web.platform: the variant v7 has no node label: any linux/arm node is chosen',
    ]);
    expect(synthProject('services:\n  web:\n    image: nginx\n    platform: linux/arm64/v8\n').warnings()).toEqual([]);
  });

  test('WebAssembly and operating systems pods do not run on: reported, nothing written', () => {
    const wasm = synthProject('services:\n  etl:\n    image: etl\n    platform: wasi/wasm\n');
    expect(wasm.pod('etl').nodeSelector).toBeUndefined();
    expect(wasm.warnings()).toEqual([
      'services.etl.platform: not translated: wasi/wasm: a WebAssembly image runs on Linux nodes through a RuntimeClass (spec.runtimeClassName), not on nodes of its own',
    ]);
    expect(accountProblems(wasm.chart)).toEqual([]);
  });

  test('with constraints: one selection; a contradiction is warned about', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    platform: linux/amd64\n    deploy:\n      placement:\n        constraints: [node.labels.zone == a, node.platform.arch == aarch64]\n',
    );
    expect(s.pod('web').nodeSelector).toEqual({
      zone: 'a',
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/os': 'linux',
    });
    expect(required(s.pod('web'))).toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]);
    expect(s.warnings()).toEqual([
      'services.web.platform: no node can be both kubernetes.io/arch=arm64 (deploy.placement.constraints[1]) and kubernetes.io/arch=amd64: the pod stays Pending, as the Swarm task would',
    ]);
  });
});
