/**
 * The start-order waits, run for real: the exact command an init container gets (after
 * Kubernetes' `$$` expansion), in busybox's shell, under a cluster DNS that answers NXDOMAIN for
 * the pod's other search domains, as CoreDNS does. A wait must end once the dependency is up, and
 * print what it waits for on each try.
 */
import { runInFakeCluster, sandboxTest, type FakeCluster } from '../support/cluster-dns';
import { kubernetesExpand } from '../support/kubernetes-expand';
import { synthProject } from '../support/synth';

const NS = 'shop';
const stack = synthProject(`services:
  db:
    image: postgres
    expose: ["5432"]
    healthcheck: { test: pg_isready }
  cache:
    image: redis
  app:
    image: x
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_started }
`);
const waitFor = (name: string) => {
  const c = stack.pod('app').initContainers.find((i: { name: string }) => i.name === `wait-for-${name}`);
  return kubernetesExpand(c.command[2]);
};

const later = (records: Record<string, string>, listeners: FakeCluster['listeners'] = []): FakeCluster => ({
  namespace: NS,
  records: {},
  later: { afterMs: 2500, records, listeners },
});

describe('waits under cluster DNS with search domains', () => {
  sandboxTest(
    'the name-only wait ends once the headless Service resolves, though other domains say NXDOMAIN',
    async () => {
      const r = await runInFakeCluster(waitFor('cache'), later({ [`cache.${NS}.svc.cluster.local`]: '127.0.0.3' }));
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('waiting for cache (service_started): no ready pod behind cache yet');
      // Asked fully qualified, namespace domain first: the other domains were not needed once it answered.
      expect(r.dns.filter((q) => q.type === 'A').slice(-1)[0]).toMatchObject({
        name: `cache.${NS}.svc.cluster.local`,
        rcode: 'NOERROR',
      });
    },
  );

  sandboxTest('the old `until nslookup cache` never ends under the same DNS: the bug this replaces', async () => {
    const r = await runInFakeCluster(
      'until nslookup cache >/dev/null 2>&1; do sleep 1; done',
      { namespace: NS, records: { [`cache.${NS}.svc.cluster.local`]: '127.0.0.3' } },
      { timeoutMs: 4000 },
    );
    expect(r.timedOut).toBe(true);
  });

  sandboxTest('a name that never resolves keeps the pod waiting, saying so on each try', async () => {
    const r = await runInFakeCluster(waitFor('cache'), { namespace: NS, records: {} }, { timeoutMs: 5000 });
    expect(r.timedOut).toBe(true);
    expect(r.stdout.match(/waiting for cache/g)?.length).toBeGreaterThanOrEqual(2);
  });

  sandboxTest(
    'the port wait ends once the Service accepts connections',
    async () => {
      const r = await runInFakeCluster(
        waitFor('db'),
        later({ [`db.${NS}.svc.cluster.local`]: '127.0.0.2' }, [{ ip: '127.0.0.2', port: 5432 }]),
      );
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('waiting for db (service_healthy): db:5432 does not accept connections yet');
    },
    ['nc -z'],
  );

  sandboxTest(
    'the port wait keeps waiting while the name resolves but nothing is ready behind it',
    async () => {
      const r = await runInFakeCluster(
        waitFor('db'),
        { namespace: NS, records: { [`db.${NS}.svc.cluster.local`]: '127.0.0.2' } },
        { timeoutMs: 5000 },
      );
      expect(r.timedOut).toBe(true);
      expect(r.stdout).toContain('db:5432 does not accept connections yet');
    },
    ['nc -z'],
  );
});
