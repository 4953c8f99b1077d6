/** kompose labels that choose or add workload objects: controller type, CronJob, HPA, init container. */
import { synthProject } from '../support/synth';

const db = (labels: string, extra = '') =>
  `services:\n  db:\n    image: postgres\n    ports: ["5432"]\n    volumes: [pgdata:/var/lib/postgresql/data]\n${extra}    labels:\n${labels}volumes:\n  pgdata: {}\n`;

describe('kompose.controller.type', () => {
  test('statefulset: a StatefulSet governed by the headless Service, one claim per pod from volumeClaimTemplates', () => {
    const s = synthProject(
      db(
        '      kompose.controller.type: statefulset\n      kompose.volume.size: 5Gi\n',
        '    deploy: { replicas: 2 }\n',
      ),
    );
    const sts = s.find('StatefulSet', 'db');
    expect(sts.spec).toMatchObject({ serviceName: 'db', replicas: 2 });
    expect(sts.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'pgdata' }),
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      }),
    ]);
    // The pod mounts the template by name; no shared claim is declared or created.
    expect(s.pod('db').volumes).toBeUndefined();
    expect(s.container('db').volumeMounts).toEqual([{ name: 'pgdata', mountPath: '/var/lib/postgresql/data' }]);
    expect(s.all('PersistentVolumeClaim')).toEqual([]);
    expect(s.find('Service', 'db').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: 5432 }] });
  });

  test('statefulset: a volume another service also mounts keeps its claim for that service, with a warning', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    volumes: [data:/data]\n    labels: { kompose.controller.type: statefulset }\n  backup:\n    image: busybox\n    volumes: [data:/backup]\nvolumes:\n  data: {}\n',
    );
    expect(s.find('PersistentVolumeClaim', 'data')).toBeDefined();
    expect(s.pod('backup').volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]);
    expect(s.warnings().join('\n')).toContain('volume data is also mounted by backup');
  });

  test('daemonset: a DaemonSet, without the replicas it cannot have', () => {
    const s = synthProject(
      'services:\n  agent:\n    image: agent\n    deploy: { replicas: 3 }\n    labels: { kompose.controller.type: daemonset }\n',
    );
    expect(s.find('DaemonSet', 'agent').spec.replicas).toBeUndefined();
    expect(s.warnings()).toContain(
      'services.agent.deploy.replicas: not translated: a DaemonSet runs one pod per node: replicas do not apply',
    );
  });

  test('deployment: the label wins over deploy.mode global', () => {
    const s = synthProject(
      'services:\n  agent:\n    image: agent\n    deploy: { mode: global }\n    labels: { kompose.controller.type: deployment }\n',
    );
    expect(s.find('Deployment', 'agent')).toBeDefined();
  });
});

describe('kompose.cronjob.*', () => {
  const cron =
    'services:\n  report:\n    image: busybox\n    restart: "no"\n    labels:\n      kompose.cronjob.schedule: "*/5 * * * *"\n      kompose.cronjob.concurrency_policy: Forbid\n      kompose.cronjob.backoff_limit: "2"\n';

  test('a CronJob with the schedule, concurrency policy and backoff limit; restart "no" never restarts the pod', () => {
    const s = synthProject(cron);
    expect(s.find('CronJob', 'report').spec).toMatchObject({
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Forbid',
      jobTemplate: { spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never' } } } },
    });
    expect(s.all('Service')).toEqual([]);
  });

  test('a CronJob has no Service: its ports are reported, and services that wait on it do not', () => {
    const s = synthProject(
      cron.replace('    restart: "no"\n', '    restart: "no"\n    ports: ["9000:9000"]\n') +
        '  web:\n    image: nginx\n    depends_on: [report]\n',
    );
    expect(s.all('Service')).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'web' }) })]);
    expect(s.pod('web').initContainers).toBeUndefined();
    expect(s.warnings()).toEqual(
      expect.arrayContaining([
        'services.report.ports: a CronJob gets no Service: its pods come and go on the schedule',
        'services.web.depends_on.report: not translated: "report" is a CronJob that runs on its schedule: nothing waits for it',
      ]),
    );
    expect(s.chart.exposure.published).toEqual([]);
  });
});

describe('kompose.hpa.*', () => {
  const api = (
    labels: string,
    deploy = '    deploy: { resources: { reservations: { cpus: "0.25", memory: 64M } } }\n',
  ) =>
    `services:\n  api:\n    image: api\n    deploy: { replicas: 2 }\n${deploy}    labels:\n${labels}`.replace(
      '    deploy: { replicas: 2 }\n    deploy: { resources',
      '    deploy: { replicas: 2, resources',
    );

  test('an autoscaling/v2 HPA on the Deployment with both utilization targets; the HPA owns the replicas', () => {
    const s = synthProject(
      api('      kompose.hpa.cpu: "80"\n      kompose.hpa.replicas.min: "2"\n      kompose.hpa.replicas.max: "10"\n'),
    );
    const hpa = s.find('HorizontalPodAutoscaler', 'api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        // kompose always adds memory, at its default 70% when the label is absent.
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    });
    expect(s.find('Deployment', 'api').spec.replicas).toBeUndefined();
    expect(s.warnings()).toEqual([]);
  });

  test('without requests the HPA cannot measure utilization: a warning per metric', () => {
    const s = synthProject(api('      kompose.hpa.cpu: "80"\n', ''));
    expect(s.warnings()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\.api\.labels\.kompose\.hpa\.cpu: the container has no cpu request/),
        expect.stringMatching(/^services\.api\.labels\.kompose\.hpa\.cpu: the container has no memory request/),
      ]),
    );
  });

  test("a value kompose cannot use falls back to kompose's default, with a warning (its docs' 512Mi is not a percentage)", () => {
    const s = synthProject(api('      kompose.hpa.memory: 512Mi\n      kompose.hpa.replicas.max: "0"\n'));
    expect(s.find('HorizontalPodAutoscaler', 'api').spec).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
    expect(s.find('HorizontalPodAutoscaler', 'api').spec.metrics[1].resource.target.averageUtilization).toBe(70);
    expect(s.warnings().join('\n')).toContain('"512Mi" is not a utilization percentage (1-100)');
  });

  test('a DaemonSet has no replicas to scale: no HPA, a warning', () => {
    const s = synthProject(
      'services:\n  agent:\n    image: a\n    labels:\n      kompose.controller.type: daemonset\n      kompose.hpa.cpu: "50"\n',
    );
    expect(s.all('HorizontalPodAutoscaler')).toEqual([]);
    expect(s.warnings()).toContain(
      'services.agent.labels.kompose.hpa.cpu: a DaemonSet has no replicas to scale: no HorizontalPodAutoscaler',
    );
  });
});

describe('kompose.init.containers.*', () => {
  test('an init container after the start-order waits', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    ports: ["5432"]\n  app:\n    image: app\n    depends_on: [db]\n    labels:\n      kompose.init.containers.name: setup\n      kompose.init.containers.image: busybox\n      kompose.init.containers.command: "[sh, -c, echo ready]"\n',
    );
    const init = s.pod('app').initContainers;
    expect(init.map((c: { name: string }) => c.name)).toEqual(['wait-for-db', 'setup']);
    expect(init[1]).toEqual({ name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo ready'] });
  });

  test("kompose's default name when only the image is given", () => {
    const s = synthProject(
      'services:\n  app:\n    image: app\n    labels: { kompose.init.containers.image: busybox }\n',
    );
    expect(s.pod('app').initContainers).toEqual([{ name: 'init-service', image: 'busybox' }]);
  });
});
