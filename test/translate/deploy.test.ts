/** deploy.endpoint_mode, deploy.labels, replicas and restart limits per workload kind. */
import { accountProblems } from '../support/account';
import { synthProject } from '../support/synth';

describe('endpoint_mode', () => {
  test('dnsrr: the Service named after the service is headless, its ports kept', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    expose: ["80"]\n    deploy: { endpoint_mode: dnsrr, replicas: 2 }\n',
    );
    expect(s.find('Service', 'web').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: 80 }] });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('vip: a cluster IP, the default', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    expose: ["80"]\n    deploy: { endpoint_mode: vip }\n',
    );
    expect(s.find('Service', 'web').spec.clusterIP).toBeUndefined();
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('dnsrr on a service without a Service of its own (a CronJob): reported', () => {
    const s = synthProject(
      'services:\n  nightly:\n    image: app\n    labels: { kompose.cronjob.schedule: "@daily" }\n    deploy: { endpoint_mode: dnsrr }\n',
    );
    expect(s.warnings()).toContain(
      'services.nightly.deploy.endpoint_mode: not translated: the service gets no Service, so no name resolves to its pods',
    );
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

describe('deploy.labels', () => {
  test("valid labels: the workload object's labels, never its pods' nor over the stack's own", () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    deploy:\n      labels:\n        team: shop\n        com.example/tier: front\n        app.kubernetes.io/name: other\n',
    );
    const deployment = s.find('Deployment', 'web');
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'web',
      team: 'shop',
      'com.example/tier': 'front',
    });
    expect(deployment.metadata.annotations).toEqual({ 'app.kubernetes.io/name': 'other' });
    expect(deployment.spec.template.metadata.labels.team).toBeUndefined();
    expect(s.warnings()).toEqual([
      'services.web.deploy.labels."app.kubernetes.io/name": an annotation: the stack\'s own label app.kubernetes.io/name=web is kept',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a value no label can hold: an annotation, with a note; a key no annotation can have: reported', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    deploy:\n      labels:\n        description: "the shop front"\n        "not a key": x\n',
    );
    expect(s.find('Deployment', 'web').metadata.annotations).toEqual({ description: 'the shop front' });
    expect(s.warnings()).toEqual([
      'services.web.deploy.labels."not a key": not translated: "not a key" is not a valid Kubernetes label or annotation key',
    ]);
    const row = s.chart.service('web').explanations.find((r) => r.key === 'deploy.labels');
    expect(row?.note).toContain(
      'deploy.labels.description: an annotation: "the shop front" is not a valid label value',
    );
  });

  test("kompose.ephemeral-storage labels keep kompose's meaning: resources, not labels", () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    deploy:\n      labels:\n        kompose.ephemeral-storage.limit: 2Gi\n',
    );
    expect(s.find('Deployment', 'web').metadata.labels).not.toHaveProperty(['kompose.ephemeral-storage.limit']);
    expect(s.container('web').resources).toEqual({ limits: { 'ephemeral-storage': '2Gi' } });
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

describe('replicas per workload kind', () => {
  test('a Job runs N pods to completion, N at a time, as Compose runs N containers', () => {
    const s = synthProject('services:\n  seed:\n    image: app\n    restart: "no"\n    scale: 3\n');
    expect(s.find('Job', 'seed').spec).toMatchObject({ parallelism: 3, completions: 3 });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a replicated job: the same', () => {
    const s = synthProject('services:\n  batch:\n    image: app\n    deploy: { mode: replicated-job, replicas: 4 }\n');
    expect(s.find('Job', 'batch').spec).toMatchObject({ parallelism: 4, completions: 4 });
  });

  test('a CronJob: in its job template', () => {
    const s = synthProject(
      'services:\n  nightly:\n    image: app\n    labels: { kompose.cronjob.schedule: "@daily" }\n    deploy: { replicas: 2 }\n',
    );
    expect(s.find('CronJob', 'nightly').spec.jobTemplate.spec).toMatchObject({ parallelism: 2, completions: 2 });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a global job: replicas reported as not applicable, none written', () => {
    const s = synthProject('services:\n  once:\n    image: app\n    deploy: { mode: global-job, replicas: 3 }\n');
    expect(s.find('Job', 'once').spec.parallelism).toBeUndefined();
    expect(s.warnings()).toEqual([
      'services.once.deploy.replicas: not translated: a global job runs once per node: replicas do not apply',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a DaemonSet (global mode): replicas reported as not applicable', () => {
    const s = synthProject('services:\n  agent:\n    image: agent\n    scale: 2\n    deploy: { mode: global }\n');
    expect(s.find('DaemonSet', 'agent').spec.replicas).toBeUndefined();
    expect(s.warnings()).toEqual([
      'services.agent.scale: not translated: a DaemonSet runs one pod per node: replicas do not apply',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

describe('restart_policy.max_attempts', () => {
  test('on a Deployment, which restarts forever: reported', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    deploy:\n      restart_policy: { condition: on-failure, max_attempts: 3 }\n',
    );
    expect(s.warnings()).toContain(
      'services.web.deploy.restart_policy.max_attempts: not translated: a Deployment restarts its container for as long as it runs: Kubernetes has no restart limit for a long-running pod',
    );
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test("on a CronJob: its jobs' backoffLimit", () => {
    const s = synthProject(
      'services:\n  nightly:\n    image: app\n    labels: { kompose.cronjob.schedule: "@daily" }\n    deploy:\n      restart_policy: { max_attempts: 2 }\n',
    );
    expect(s.find('CronJob', 'nightly').spec.jobTemplate.spec.backoffLimit).toBe(2);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});
