/**
 * The start-order waits, run for real: the exact command an init container gets (after
 * Kubernetes' `$$` expansion), in busybox's shell, under a cluster DNS that answers NXDOMAIN for
 * the pod's other search domains, as CoreDNS does. A wait must end once the dependency is up, and
 * print what it waits for on each try.
 *
 * The port waits need `nc -z`: busybox's own where it has it (busybox:1.36, a defconfig build),
 * else a stand-in resolving with getaddrinfo as busybox 1.36's nc does; each test's name says
 * which ran.
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
interface Container {
  name: string;
  command: string[];
}
const initContainer = (name: string): Container => {
  const c = stack.pod('app').initContainers.find((i: Container) => i.name === `wait-for-${name}`);
  if (!c) throw new Error(`no init container wait-for-${name}`);
  return c;
};
const waitFor = (name: string) => kubernetesExpand(initContainer(name).command[2]);

const later = (records: Record<string, string>, listeners: FakeCluster['listeners'] = []): FakeCluster => ({
  namespace: NS,
  records: {},
  later: { afterMs: 2500, records, listeners },
});
const count = (text: string, what: string) => text.split(what).length - 1;
const SEARCH = (name: string) => [
  `${name}.${NS}.svc.cluster.local`,
  `${name}.svc.cluster.local`,
  `${name}.cluster.local`,
];

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
});

describe('the port wait (nc -z)', () => {
  const WAITING = 'waiting for db (service_healthy): db:5432 does not accept connections yet\n';

  sandboxTest(
    'ends once the Service accepts connections, saying what it waits for on each try before',
    async ({ run, nc }) => {
      const r = await run(
        waitFor('db'),
        later({ [`db.${NS}.svc.cluster.local`]: '127.0.0.2' }, [{ ip: '127.0.0.2', port: 5432 }]),
      );
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(0);
      expect(count(r.stdout, WAITING)).toBeGreaterThanOrEqual(1);
      expect(r.stdout).toBe(WAITING.repeat(count(r.stdout, WAITING)));
      if (nc === 'stand-in') {
        // one line per failed try, then the try that connected
        expect(r.ncCalls?.map((c) => c.why)).toEqual([
          ...Array(count(r.stdout, WAITING)).fill('bad address'),
          'connected to 127.0.0.2:5432',
        ]);
      }
    },
    ['nc -z'],
  );

  sandboxTest(
    'keeps waiting while the name resolves but nothing is ready behind it',
    async ({ run, nc }) => {
      const r = await run(
        waitFor('db'),
        { namespace: NS, records: { [`db.${NS}.svc.cluster.local`]: '127.0.0.2' } },
        { timeoutMs: 5000 },
      );
      expect(r.timedOut).toBe(true);
      expect(count(r.stdout, WAITING)).toBeGreaterThanOrEqual(2);
      if (nc === 'stand-in') expect(r.ncCalls?.every((c) => c.why === 'ECONNREFUSED from 127.0.0.2:5432')).toBe(true);
    },
    ['nc -z'],
  );

  sandboxTest(
    'keeps waiting when db exists only in another namespace (every search domain says NXDOMAIN), though its IP listens',
    async ({ run, nc }) => {
      const r = await run(
        waitFor('db'),
        {
          namespace: NS,
          records: { 'db.other.svc.cluster.local': '127.0.0.2' },
          listeners: [{ ip: '127.0.0.2', port: 5432 }],
        },
        { timeoutMs: 5000 },
      );
      expect(r.timedOut).toBe(true);
      const tries = count(r.stderr, "nc: bad address 'db'\n");
      expect(tries).toBeGreaterThanOrEqual(2);
      // a line after every failed try (the last try may have been cut short by the timeout)
      expect(count(r.stdout, WAITING)).toBeGreaterThanOrEqual(tries - 1);
      expect(count(r.stdout, WAITING)).toBeLessThanOrEqual(tries);
      const a = r.dns.filter((q) => q.type === 'A');
      expect(new Set(a.map((q) => q.name))).toEqual(new Set([...SEARCH('db'), 'db']));
      expect(a.every((q) => q.rcode === 'NXDOMAIN')).toBe(true);
      if (nc === 'stand-in') expect(r.ncCalls?.every((c) => c.why === 'bad address')).toBe(true);
    },
    ['nc -z'],
  );
});
