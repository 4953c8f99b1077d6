/**
 * The fake cluster must model a real one where it matters for wait commands: kubelet's
 * resolv.conf (search list, ndots:5), CoreDNS answering NXDOMAIN for names that do not exist,
 * busybox's nslookup asking every search domain, libc resolvers (nc, wget) stopping at the first
 * that answers. Each test says why it is skipped when the sandbox cannot run here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CLUSTER_DNS_IP,
  type FakeCluster,
  busyboxPath,
  describeBusybox,
  runInFakeCluster,
  sandboxTest,
} from './cluster-dns';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseNcArgs } = require('./nc-getaddrinfo.js') as { parse: (args: string[]) => object };

const NS = 'shop';
const DB = `db.${NS}.svc.cluster.local`;
const SEARCH = [`db.${NS}.svc.cluster.local`, 'db.svc.cluster.local', 'db.cluster.local'];
const withDb: FakeCluster = {
  namespace: NS,
  records: { [DB]: '127.0.0.2' },
  listeners: [{ ip: '127.0.0.2', port: 5432 }],
};
const aQueries = (r: { dns: { name: string; type: string }[] }) =>
  r.dns.filter((q) => q.type === 'A').map((q) => q.name);

describe(`fake cluster DNS (${describeBusybox() ?? 'no busybox'})`, () => {
  sandboxTest('the pod sees kubelet-style resolv.conf, localhost-only hosts and busybox applets', async () => {
    const r = await runInFakeCluster('cat /etc/resolv.conf /etc/hosts; readlink "${PATH%%:*}/nslookup"', withDb);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`search ${NS}.svc.cluster.local svc.cluster.local cluster.local\n`);
    expect(r.stdout).toContain(`nameserver ${CLUSTER_DNS_IP}\n`);
    expect(r.stdout).toContain('options ndots:5\n');
    expect(r.stdout).not.toMatch(/\bdb\b/);
    expect(r.stdout.endsWith(`\n${busyboxPath()}\n`)).toBe(true);
  });

  sandboxTest('busybox nslookup of a short name fails although it resolves: it asks every search domain', async () => {
    const r = await runInFakeCluster('nslookup db', withDb);
    expect(r.code).toBe(1);
    expect(aQueries(r)).toEqual(SEARCH);
    expect(r.dns.find((q) => q.name === DB && q.type === 'A')).toMatchObject({ rcode: 'NOERROR', answer: '127.0.0.2' });
    expect(r.stdout).toContain('127.0.0.2');
    expect(r.stdout).toContain("server can't find db.svc.cluster.local: NXDOMAIN");
  });

  sandboxTest(
    'busybox nslookup of the fully qualified name (trailing dot) succeeds with a single name asked',
    async () => {
      const r = await runInFakeCluster(`nslookup ${DB}.`, withDb);
      expect(r.code).toBe(0);
      expect(new Set(r.queries)).toEqual(new Set([DB]));
      expect(aQueries(r)).toEqual([DB]);
    },
  );

  sandboxTest(
    'nc -z resolves the short name through the search list and connects',
    async ({ run }) => {
      const r = await run('nc -z -w 2 db 5432', withDb);
      expect(r).toMatchObject({ code: 0, timedOut: false });
      // libc stops at the first search domain that answers
      expect(aQueries(r)).toEqual([DB]);
    },
    ['nc -z'],
  );

  sandboxTest(
    'nc -z fails when the name is unknown: NXDOMAIN for every search domain and the name itself',
    async ({ run }) => {
      const r = await run('nc -z -w 2 db 5432', { namespace: NS, records: {} });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("bad address 'db'");
      expect(aQueries(r)).toEqual([...SEARCH, 'db']);
      expect(r.dns.every((q) => q.rcode === 'NXDOMAIN')).toBe(true);
    },
    ['nc -z'],
  );

  sandboxTest(
    'nc -z fails when the name resolves but nothing listens',
    async ({ run }) => {
      const r = await run('nc -z -w 2 db 5432', { namespace: NS, records: { [DB]: '127.0.0.2' } });
      expect(r.code).not.toBe(0);
      expect(r.timedOut).toBe(false);
      expect(aQueries(r)).toEqual([DB]);
    },
    ['nc -z'],
  );

  sandboxTest('libc resolution in other applets also honours the search list (nc without -z, wget)', async () => {
    const r = await runInFakeCluster('nc -w 2 db 5432 </dev/null && wget -q -O /dev/null http://db:5432/', withDb);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(aQueries(r)).toEqual([DB, DB]);
  });

  sandboxTest(
    'a wait loop ends once the dependency comes up',
    async ({ run }) => {
      const r = await run(
        'until nc -z -w 1 db 5432; do echo waiting; sleep 1; done; echo up',
        {
          namespace: NS,
          records: {},
          later: { afterMs: 1500, records: { [DB]: '127.0.0.2' }, listeners: [{ ip: '127.0.0.2', port: 5432 }] },
        },
        { timeoutMs: 10_000 },
      );
      expect(r).toMatchObject({ code: 0, timedOut: false });
      expect(r.stdout).toMatch(/^(waiting\n)+up\n$/);
      // NXDOMAIN while it was down, then the answer
      const asked = r.dns.filter((q) => q.type === 'A' && q.name === DB);
      expect(asked[0]).toMatchObject({ rcode: 'NXDOMAIN' });
      expect(asked.at(-1)).toMatchObject({ rcode: 'NOERROR', answer: '127.0.0.2' });
    },
    ['nc -z'],
  );

  sandboxTest('a loop that never ends is killed at the timeout, with everything it started', async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-dns-test-')), 'survivor');
    try {
      const r = await runInFakeCluster(
        `(sleep 2; touch ${marker}) & until nslookup db >/dev/null; do sleep 0.2; done`,
        withDb,
        { timeoutMs: 1500 },
      );
      expect(r).toMatchObject({ code: null, timedOut: true });
      expect(r.elapsedMs).toBeLessThan(5000);
      // the loop kept asking: the bug as seen on a cluster
      expect(aQueries(r).filter((n) => n === DB).length).toBeGreaterThan(2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      fs.rmSync(path.dirname(marker), { recursive: true, force: true });
    }
  });
});

/**
 * The stand-in for busybox's `nc -z` (nc-getaddrinfo.js), run here whatever busybox is at hand,
 * so that the tests relying on it where busybox lacks `nc -z` can be trusted: it must be what
 * runs, fail where busybox 1.36's nc fails, and refuse anything beyond the waits' subset.
 */
describe('the nc -z stand-in (getaddrinfo, as busybox 1.36 nc)', () => {
  const standIn = { nc: 'stand-in' } as const;

  test('takes exactly `-z [-w SECS] HOST PORT`', () => {
    expect(parseNcArgs(['-z', '-w', '2', 'db', '5432'])).toEqual({ wait: 2, host: 'db', port: 5432 });
    expect(parseNcArgs(['-z', '-w2', 'db', '5432'])).toEqual({ wait: 2, host: 'db', port: 5432 });
    expect(parseNcArgs(['-z', 'db', '5432'])).toEqual({ wait: undefined, host: 'db', port: 5432 });
    expect(parseNcArgs(['db', '5432'])).toEqual({ unsupported: 'nc without -z' });
    expect(parseNcArgs(['-z', '-l', '-p', '80'])).toEqual({ unsupported: 'option -l' });
    expect(parseNcArgs(['-z', 'db', 'postgres'])).toEqual({ unsupported: 'port postgres' });
    expect(parseNcArgs(['-z', '-w', 'x', 'db', '5432'])).toEqual({ unsupported: '-w needs a number of seconds' });
  });

  sandboxTest(
    "it is the nc that runs: first on PATH, /proc hidden so that a busybox sh preferring its own applets (Debian's) looks there",
    async () => {
      const r = await runInFakeCluster('nc -z -w 2 db 5432 && echo open', withDb, standIn);
      expect(r).toMatchObject({ code: 0, stdout: 'open\n', stderr: '' });
      expect(r.ncCalls).toEqual([
        { args: ['-z', '-w', '2', 'db', '5432'], code: 0, why: 'connected to 127.0.0.2:5432' },
      ]);
      expect(aQueries(r)).toEqual([DB]);
    },
  );

  sandboxTest(
    'a name that resolves only under a domain not searched (another namespace) is a bad address, though its IP listens',
    async () => {
      const r = await runInFakeCluster(
        'nc -z -w 2 127.0.0.2 5432 && echo ip-open; nc -z -w 2 db 5432',
        { namespace: NS, records: { 'db.other.svc.cluster.local': '127.0.0.2' }, listeners: withDb.listeners },
        standIn,
      );
      expect(r).toMatchObject({ code: 1, stdout: 'ip-open\n', stderr: "nc: bad address 'db'\n" });
      expect(r.ncCalls?.map((c) => c.why)).toEqual(['connected to 127.0.0.2:5432', 'bad address']);
      // every search domain, then the name itself: all NXDOMAIN, other.svc.cluster.local never asked
      expect(aQueries(r)).toEqual([...SEARCH, 'db']);
      expect(r.dns.every((q) => q.rcode === 'NXDOMAIN')).toBe(true);
    },
  );

  sandboxTest('it refuses what the waits do not use, loudly', async () => {
    const r = await runInFakeCluster('nc db 5432 </dev/null', withDb, standIn);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the nc stand-in implements only `nc -z [-w SECS] HOST PORT` (got nc without -z)');
    expect(r.queries).toEqual([]);
  });
});
