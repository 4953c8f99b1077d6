/**
 * The parts of `npm run server-check` that need no cluster: reading kubectl's output, finding the
 * fields an API server dropped, and the pod and claims a StatefulSet's controller creates.
 */
import { derivedObjects } from './derived';
import { acceptedKeys, droppedFields, nameKey } from './dry-run';

test('kubectl -o name lines count per kind/name, group included', () => {
  expect(nameKey({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })).toBe('deployment.apps/web');
  expect(nameKey({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } })).toBe('service/web');
  expect([...acceptedKeys('service/web\ndeployment.apps/web\nservice/web\n')]).toEqual([
    ['service/web', 2],
    ['deployment.apps/web', 1],
  ]);
});

test('a field sent but not kept is one the server did not know; empty and server-owned fields are not', () => {
  const sent = {
    kind: 'Deployment',
    spec: { template: { spec: { containers: [{ name: 'web', imagePulPolicy: 'Always', stdin: false, args: [] }] } } },
    status: { replicas: 1 },
  };
  const kept = { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'web' }] } } } };
  expect(droppedFields(sent, kept)).toEqual(['spec.template.spec.containers[0].imagePulPolicy']);
});

test("a StatefulSet's first pod mounts its claims, which carry the selector's labels", () => {
  const [pod, claim] = derivedObjects({
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { containers: [{ name: 'db', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    },
  });
  expect(pod.role).toBe('its pod');
  expect(pod.object).toMatchObject({
    kind: 'Pod',
    metadata: { name: 'db-0', labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' } },
    spec: {
      hostname: 'db-0',
      subdomain: 'db',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }],
    },
  });
  expect(claim.object).toMatchObject({
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-db-0', labels: { app: 'db' } },
  });
});
