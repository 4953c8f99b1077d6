/** deploy.update_config and rollback_config: one update setting in, the workload's update strategy out. */
import { accountProblems } from '../support/account';
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

const updated = (update: string) =>
  synthProject(`services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 4\n      update_config:\n${update}`);

describe('update_config on a Deployment', () => {
  test('parallelism N, stop-first (the default order): N pods down at a time, none added', () => {
    const s = updated('        parallelism: 2\n');
    expect(s.find('Deployment', 'web').spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 2 },
    });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('start-first: N new pods added at a time, none taken down before', () => {
    const s = updated('        parallelism: 2\n        order: start-first\n');
    expect(s.find('Deployment', 'web').spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 2, maxUnavailable: 0 },
    });
  });

  test("order alone: Swarm's one at a time", () => {
    const s = updated('        order: start-first\n');
    expect(s.find('Deployment', 'web').spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('parallelism 0 (all at once): Recreate when stopping first, a 100% surge when starting first', () => {
    expect(updated('        parallelism: 0\n').find('Deployment', 'web').spec.strategy).toEqual({ type: 'Recreate' });
    expect(
      updated('        parallelism: 0\n        order: start-first\n').find('Deployment', 'web').spec.strategy,
    ).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 } });
  });

  test('delay: minReadySeconds, so batches start that long apart', () => {
    const s = updated('        parallelism: 1\n        delay: 1m30s\n');
    expect(s.find('Deployment', 'web').spec.minReadySeconds).toBe(90);
    expect(s.warnings()).toEqual([]);
    const row = s.chart.service('web').explanations.find((r) => r.key === 'deploy.update_config.delay');
    expect(row).toMatchObject({ status: 'translated', fields: ['spec.minReadySeconds'] });
  });

  test('monitor, failure_action and max_failure_ratio: reported, unless they ask for what Kubernetes does', () => {
    const s = updated(
      '        parallelism: 1\n        monitor: 30s\n        failure_action: rollback\n        max_failure_ratio: 0.3\n',
    );
    expect(s.warnings()).toEqual([
      'services.web.deploy.update_config.monitor: not translated: Kubernetes counts no failures after an update: a new pod that does not become ready holds the rollout, whenever it fails',
      'services.web.deploy.update_config.failure_action: not translated: a Deployment never rolls back or goes on by itself: a rollout stops at new pods that do not become ready (kubectl rollout undo rolls back)',
      'services.web.deploy.update_config.max_failure_ratio: not translated: Kubernetes tolerates no failed pod in a rollout: it stops at new pods that do not become ready',
    ]);
    expect(updated('        failure_action: pause\n        max_failure_ratio: 0\n').warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a Deployment that mounts a claim stays Recreate: update_config is reported as overridden', () => {
    const synth = synthProject(
      'services:\n  web:\n    image: nginx\n    volumes: [data:/data]\n    deploy:\n      update_config: { parallelism: 1, order: start-first, delay: 5s }\nvolumes:\n  data: {}\n',
    );
    expect(synth.find('Deployment', 'web').spec).toMatchObject({ strategy: { type: 'Recreate' } });
    expect(synth.find('Deployment', 'web').spec.minReadySeconds).toBeUndefined();
    const reason =
      'not translated: overridden: the Deployment mounts a claim (ReadWriteOnce: one node at a time), so its pods are replaced all at once (strategy Recreate); a rolling update would wait forever for the claim the old pod holds';
    expect(synth.warnings()).toEqual([
      `services.web.deploy.update_config.parallelism: ${reason}`,
      `services.web.deploy.update_config.order: ${reason}`,
      `services.web.deploy.update_config.delay: ${reason}`,
    ]);
    expect(accountProblems(synth.chart)).toEqual([]);
  });

  test('rollback_config: reported, Kubernetes never rolls back by itself', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    deploy:\n      rollback_config: { parallelism: 2, order: start-first }\n',
    );
    expect(s.warnings()).toEqual([
      'services.web.deploy.rollback_config: not translated: Kubernetes never rolls back by itself; kubectl rollout undo rolls back with the update strategy (update_config)',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

describe('a Deployment that must never run two pods at once says why, on the row of the mount', () => {
  const volumesNote = (yaml: string, options: Parameters<typeof synthProject>[1] = {}) => {
    const s = synthProject(yaml, options);
    expect(s.find('Deployment', 'db').spec.strategy).toEqual({ type: 'Recreate' });
    return s.chart.service('db').explanations.find((r) => r.key === 'volumes')?.note;
  };

  test('a claim: ReadWriteOnce, a rolling update would wait for it forever', () => {
    expect(
      volumesNote(
        'services:\n  db:\n    image: postgres\n    volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg: {}\n',
      ),
    ).toContain(
      'volumes[0]: strategy Recreate (an update stops the old pod before it starts the new one): the Deployment mounts a claim (ReadWriteOnce: one node at a time), and a rolling update would wait forever for the claim the old pod holds',
    );
  });

  test('a data directory of the node written in place: two databases on one directory', () => {
    expect(
      volumesNote(
        'services:\n  db:\n    image: postgres\n    volumes: [./conf.yml:/c.yml:ro, ./pgdata:/var/lib/postgresql/data]\n',
        {
          workingDir: tempProject({ 'conf.yml': 'x: 1\n' }),
          target: 'kind',
        },
      ),
    ).toContain(
      'volumes[1]: strategy Recreate (an update stops the old pod before it starts the new one): the Deployment writes a data directory of the node in place (/var/lib/postgresql/data), and a rolling update would run the old and the new pod on the same files at once (two databases on one directory)',
    );
  });
});

describe('update_config on other workloads', () => {
  test("a DaemonSet: its updateStrategy's maxUnavailable or maxSurge", () => {
    const s = synthProject(
      'services:\n  agent:\n    image: agent\n    deploy:\n      mode: global\n      update_config: { parallelism: 3, order: start-first, delay: 10s }\n',
    );
    expect(s.find('DaemonSet', 'agent').spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } },
      minReadySeconds: 10,
    });
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a StatefulSet replaces one pod at a time, stop-first: other settings are reported', () => {
    const sts = (update: string) =>
      synthProject(
        `services:\n  db:\n    image: postgres\n    labels: { kompose.controller.type: statefulset }\n    deploy:\n      update_config: ${update}\n`,
      );
    expect(sts('{ parallelism: 1, order: stop-first }').warnings()).toEqual([]);
    const s = sts('{ parallelism: 2, order: start-first }');
    expect(s.find('StatefulSet', 'db').spec.updateStrategy).toBeUndefined();
    expect(s.warnings()).toEqual([
      'services.db.deploy.update_config.parallelism: not translated: a StatefulSet replaces one pod at a time (its maxUnavailable is alpha in Kubernetes 1.27)',
      'services.db.deploy.update_config.order: not translated: a StatefulSet stops each pod before starting its replacement, which takes over its name and claims',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('a Job has no rollout: reported', () => {
    const s = synthProject(
      'services:\n  seed:\n    image: app\n    restart: "no"\n    deploy:\n      update_config: { parallelism: 2 }\n',
    );
    expect(s.warnings()).toEqual([
      'services.seed.deploy.update_config.parallelism: not translated: a Job runs to completion: it has no rolling update',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});
