/**
 * The start-order waits, run for real: the exact command an init container gets (after
 * Kubernetes' `$$` expansion), in busybox's shell, under a cluster DNS that answers NXDOMAIN for
 * the pod's other search domains, as CoreDNS does. A wait must end once the dependency is up, and
 * print what it waits for on each try.
 *
 * The port waits need `nc -z`: busybox's own where it has it (busybox:1.36, a defconfig build),
 * else a stand-in resolving with getaddrinfo as busybox 1.36's nc does; each test's name says
 * which ran. The Job and Endpoints waits (curlimages/curl's commands) run with the host's curl
 * against a fake API server at https://kubernetes.default.svc, with the pod's service account
 * token and CA where kubelet mounts them.
 */
import { runInFakeCluster, sandboxTest, type FakeCluster, type RunResult } from '../support/cluster-dns';
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
  migrate:
    image: x
  dns:
    image: coredns
    expose: ["53/udp"]
  app:
    image: x
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_started }
      migrate: { condition: service_completed_successfully }
      dns: { condition: service_started }
`);
interface Container {
  name: string;
  command: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
}
const initContainer = (name: string): Container => {
  const c = stack.pod('app').initContainers.find((i: Container) => i.name === `wait-for-${name}`);
  if (!c) throw new Error(`no init container wait-for-${name}`);
  return c;
};
const waitFor = (name: string) => kubernetesExpand(initContainer(name).command[2]);
/** The container's environment as kubelet sets it in namespace NS (only the downward API's namespace is used). */
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    (initContainer(name).env ?? []).map((e) => {
      if (e.value !== undefined) return [e.name, e.value];
      if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') return [e.name, NS];
      throw new Error(`env ${e.name} of wait-for-${name}: ${JSON.stringify(e.valueFrom)} is not modelled here`);
    }),
  );

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

describe('the API waits (curl with the service account, against a fake API server)', () => {
  const jobPath = `/apis/batch/v1/namespaces/${NS}/jobs/migrate`;
  const endpointsPath = `/api/v1/namespaces/${NS}/endpoints/dns`;
  const started = '2025-01-01T00:00:00Z';
  const job = (status: object) => ({
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name: 'migrate', namespace: NS, uid: '0b6f3c52-2f7e-4d4b-9a53-6a6d1c1f0e01' },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed' },
    status,
  });
  const endpoints = (subset: object) => ({
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: { name: 'dns', namespace: NS },
    subsets: [{ ...subset, ports: [{ name: '53-udp', port: 53, protocol: 'UDP' }] }],
  });
  const pod = {
    ip: '10.244.0.7',
    nodeName: 'node-1',
    targetRef: { kind: 'Pod', namespace: NS, name: 'dns-7d9f8-abcde' },
  };

  /** Each request asked for `path` with the pod's token, as curl, and got 200. */
  const askedProperly = (r: RunResult, path: string) => {
    expect(r.apiRequests.length).toBeGreaterThan(0);
    for (const q of r.apiRequests) {
      expect(q).toMatchObject({ method: 'GET', path, authorized: true, status: 200 });
      expect(q.userAgent).toMatch(/^curl\//);
    }
    // kubernetes.default.svc went through the search list (ndots:5), as in a pod: the namespace's
    // domain first (NXDOMAIN), then svc.cluster.local, then cluster.local, which answers
    const a = r.dns.filter((q) => q.type === 'A');
    expect(a.slice(0, 3).map((q) => [q.name, q.rcode])).toEqual([
      [`kubernetes.default.svc.${NS}.svc.cluster.local`, 'NXDOMAIN'],
      ['kubernetes.default.svc.svc.cluster.local', 'NXDOMAIN'],
      ['kubernetes.default.svc.cluster.local', 'NOERROR'],
    ]);
  };

  sandboxTest(
    'the Job wait ends once the Job has succeeded, saying so on each try before',
    async ({ run }) => {
      const r = await run(
        waitFor('migrate'),
        {
          namespace: NS,
          records: {},
          api: {
            [jobPath]: job({
              active: 1,
              ready: 1,
              startTime: started,
              uncountedTerminatedPods: {},
            }),
          },
          later: {
            afterMs: 2500,
            api: {
              [jobPath]: job({
                succeeded: 1,
                ready: 0,
                startTime: started,
                completionTime: '2025-01-01T00:00:09Z',
                conditions: [
                  { type: 'SuccessCriteriaMet', status: 'True' },
                  { type: 'Complete', status: 'True' },
                ],
                uncountedTerminatedPods: {},
              }),
            },
          },
        },
        { env: envOf('migrate') },
      );
      expect(r).toMatchObject({ code: 0, timedOut: false, stderr: '' });
      const waiting =
        'waiting for migrate (service_completed_successfully): job migrate has not succeeded yet (kubectl logs job/migrate)\n';
      expect(count(r.stdout, waiting)).toBeGreaterThanOrEqual(1);
      expect(r.stdout).toBe(waiting.repeat(count(r.stdout, waiting)));
      // one line per try that found it not succeeded, then the try that found it succeeded
      expect(r.apiRequests.length).toBe(count(r.stdout, waiting) + 1);
      askedProperly(r, jobPath);
    },
    ['curl'],
  );

  sandboxTest(
    'the Job wait keeps waiting while its succeeded pod is not counted yet (uncountedTerminatedPods.succeeded)',
    async ({ run }) => {
      const r = await run(
        waitFor('migrate'),
        {
          namespace: NS,
          records: {},
          api: {
            [jobPath]: job({
              ready: 0,
              startTime: started,
              uncountedTerminatedPods: { succeeded: ['5d0f1f0e-8f3e-4d8a-b7a4-2b1e6c9d7a10'] },
            }),
          },
        },
        { env: envOf('migrate'), timeoutMs: 5000 },
      );
      expect(r.timedOut).toBe(true);
      expect(count(r.stdout, 'job migrate has not succeeded yet')).toBeGreaterThanOrEqual(2);
      askedProperly(r, jobPath);
    },
    ['curl'],
  );

  sandboxTest(
    'the Endpoints wait (UDP-only Service) ends once the Endpoints list a ready address, saying so on each try before',
    async ({ run }) => {
      const r = await run(
        waitFor('dns'),
        {
          namespace: NS,
          records: {},
          api: { [endpointsPath]: endpoints({ notReadyAddresses: [pod] }) },
          later: {
            afterMs: 2500,
            api: { [endpointsPath]: endpoints({ addresses: [pod] }) },
          },
        },
        { env: envOf('dns') },
      );
      expect(r).toMatchObject({ code: 0, timedOut: false, stderr: '' });
      const waiting = 'waiting for dns (service_started): no ready pod behind dns yet\n';
      expect(count(r.stdout, waiting)).toBeGreaterThanOrEqual(1);
      expect(r.stdout).toBe(waiting.repeat(count(r.stdout, waiting)));
      expect(r.apiRequests.length).toBe(count(r.stdout, waiting) + 1);
      askedProperly(r, endpointsPath);
    },
    ['curl'],
  );
});
