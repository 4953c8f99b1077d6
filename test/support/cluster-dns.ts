/**
 * Runs a shell command the way it runs in a pod of a Kubernetes cluster, under the cluster's DNS,
 * so that tests can RUN the wait commands of init containers instead of comparing strings.
 *
 * Each run gets fresh user, mount, network and PID namespaces (`unshare`, no privileges needed
 * where unprivileged user namespaces are allowed) in which cluster-dns-sandbox.js
 * - writes /etc/resolv.conf as kubelet does for a ClusterFirst pod of `namespace`
 *   (`search <ns>.svc.cluster.local svc.cluster.local cluster.local`, `options ndots:5`), with
 *   /etc/hosts holding localhost only and /etc/nsswitch.conf `hosts: files dns`;
 * - serves DNS at CLUSTER_DNS_IP:53 like CoreDNS: the A records given, NXDOMAIN for every other
 *   name (there is no upstream: names outside cluster.local are NXDOMAIN too), NOERROR without
 *   answers for AAAA and other types of known names;
 * - listens on the TCP ports given (a Service with ready endpoints);
 * - with `api`, serves the Kubernetes API at https://kubernetes.default.svc (the objects given,
 *   by path) and mounts the pod's service account (token, ca.crt) where kubelet does;
 * - runs the script with busybox's `sh -c`, PATH being a directory of busybox applets, like the
 *   `busybox` image, then the host tools asked for (e.g. curl, for curlimages/curl's commands).
 *
 * Busybox is `$BUSYBOX` if set, else `busybox` on PATH. Which one matters: Debian's busybox-static
 * 1.35 is built without NC_110_COMPAT, so its `nc` has no `-z`; a defconfig build (as in the
 * busybox:1.36 image) has it. Where it lacks `nc -z`, `{ nc: 'stand-in' }` puts first on PATH a
 * stand-in (nc-getaddrinfo.js) for exactly `nc -z [-w SECS] HOST PORT`, resolving HOST with
 * getaddrinfo as busybox 1.36's nc does (libc's search list). `sandboxTest(name, fn, ['nc -z'])`
 * picks busybox's nc when it has -z, the stand-in otherwise, and says which in the test's name.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Listener {
  /** An address in 127.0.0.0/8 (the only network inside the sandbox), e.g. '127.0.0.2'. */
  ip: string;
  port: number;
}

export interface FakeCluster {
  /** The pod's namespace, e.g. 'shop': search list `shop.svc.cluster.local svc.cluster.local cluster.local`. */
  namespace: string;
  /** FQDN (no trailing dot needed) -> IPv4. Use 127.0.0.x (not CLUSTER_DNS_IP) so that listeners can bind them. */
  records: Record<string, string>;
  /** TCP ports that accept connections, like a Service with ready endpoints. */
  listeners?: Listener[];
  /**
   * Objects the API server at https://kubernetes.default.svc serves, by path (e.g.
   * `/apis/batch/v1/namespaces/shop/jobs/migrate`). Given (even `{}`), the pod gets a service
   * account token and CA at /var/run/secrets/kubernetes.io/serviceaccount, and
   * kubernetes.default.svc.cluster.local resolves to API_SERVER_IP. Requests without the token get
   * 401, other paths 404 (a Status object each, as kube-apiserver answers).
   */
  api?: Record<string, object>;
  /** Records, listeners and API objects that appear (or change) only `afterMs` after the script started. */
  later?: {
    afterMs: number;
    records?: Record<string, string>;
    listeners?: Listener[];
    api?: Record<string, object>;
  };
}

/** One call of the nc stand-in. */
export interface NcCall {
  args: string[];
  code: number;
  /** 'bad address', 'connected to 127.0.0.2:5432', 'ECONNREFUSED from ...', 'unsupported: ...' */
  why: string;
}

/** One request to the fake API server. */
export interface ApiRequest {
  method: string;
  path: string;
  userAgent: string;
  /** It carried `Authorization: Bearer <the pod's token>`. */
  authorized: boolean;
  status: number;
  atMs: number;
}

/** One question the DNS server was asked, and what it answered. */
export interface DnsQuery {
  /** As asked, without the trailing dot. */
  name: string;
  /** 'A', 'AAAA', 'PTR', ... */
  type: string;
  /** 'NOERROR', 'NXDOMAIN', ... */
  rcode: string;
  /** The A record returned, if any. */
  answer?: string;
  /** Milliseconds since the script started. */
  atMs: number;
}

export interface RunResult {
  /** Exit code of the script; null when it was killed (by a signal or the timeout). */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Names the DNS server was asked, in order, all types (busybox nslookup asks A then AAAA). */
  queries: string[];
  /** The same questions with type, answer and time. */
  dns: DnsQuery[];
  /** With `nc: 'stand-in'`: each call of the stand-in, in order. */
  ncCalls?: NcCall[];
  /** Requests to the fake API server (empty without `api`). */
  apiRequests: ApiRequest[];
  elapsedMs: number;
}

export interface RunOptions {
  /** Kill the script (and all it started) after this long; default 20 000. */
  timeoutMs?: number;
  /** Extra environment. PATH, if given, is appended after the busybox applets (and tools). */
  env?: Record<string, string>;
  /** Which `nc` the script gets: busybox's applet (default) or the getaddrinfo stand-in, first on PATH. */
  nc?: NcKind;
  /** Host programs (names on PATH) to put on the sandbox's PATH after the busybox applets, e.g. ['curl']. */
  tools?: string[];
}

export type NcKind = 'busybox' | 'stand-in';

/** What a test needs beyond the sandbox: `nc -z` (busybox's or the stand-in), curl and an API server. */
export type Need = 'nc -z' | 'curl';

/** The DNS server's address inside the sandbox (kube-dns is 10.96.0.10 on a real cluster). */
export const CLUSTER_DNS_IP = '127.0.0.10';
/** Where kubernetes.default.svc points inside the sandbox (10.96.0.1 on a real cluster), port 443. */
export const API_SERVER_IP = '127.0.0.11';
const API_SERVER_NAME = 'kubernetes.default.svc.cluster.local';

const SANDBOX = path.join(__dirname, 'cluster-dns-sandbox.js');
const UNSHARE_FLAGS = ['--user', '--map-root-user', '--mount', '--net', '--pid', '--fork', '--kill-child'];
const DEFAULT_TIMEOUT_MS = 20_000;

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The busybox binary runs use: `$BUSYBOX` if set, else `busybox` on PATH. */
export function busyboxPath(): string | undefined {
  const fromEnv = process.env.BUSYBOX;
  if (fromEnv) return executable(fromEnv) ? path.resolve(fromEnv) : undefined;
  return onPath('busybox');
}

/** E.g. 'BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) at /bin/busybox'. */
export function describeBusybox(): string | undefined {
  const bb = busyboxPath();
  if (!bb) return undefined;
  const banner = spawnSync(bb, [], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? '';
  return `${banner.replace(/ multi-call binary\.?$/, '') || 'busybox'} at ${bb}`;
}

const cache = new Map<string, string | undefined>();
function cached(key: string, compute: () => string | undefined): string | undefined {
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key);
}

/** Why this busybox's nc has no `-z` (Debian's is built without NC_110_COMPAT), or undefined when it has. */
export function busyboxLacksNcZ(): string | undefined {
  return cached(`nc -z|${process.env.BUSYBOX ?? ''}`, () => {
    const bb = busyboxPath();
    if (!bb) return 'no busybox';
    const help = spawnSync(bb, ['nc', '--help'], { encoding: 'utf8' });
    const text = `${help.stdout ?? ''}${help.stderr ?? ''}`;
    return /^\s*-z\s/m.test(text) ? undefined : `${describeBusybox()}: nc has no -z (built without NC_110_COMPAT)`;
  });
}

/** The `nc` that `nc -z` waits run with here: busybox's own when it has -z, else the stand-in. */
export function ncForWaits(): { nc: NcKind; label: string } {
  return busyboxLacksNcZ()
    ? { nc: 'stand-in', label: 'nc: getaddrinfo stand-in, this busybox lacks nc -z' }
    : { nc: 'busybox', label: "nc: busybox's own nc -z" };
}

/** Why the fake API server cannot run here (no curl to run the waits, no openssl for its certificate). */
export function fakeApiUnavailable(): string | undefined {
  return cached('curl', () => {
    if (!onPath('curl')) return 'no curl on PATH (the Job and Endpoints waits run curl, as in curlimages/curl)';
    if (!onPath('openssl')) return "no openssl on PATH (to make the fake API server's certificate)";
    return undefined;
  });
}

/**
 * Why runs cannot happen here (for `test.skip` names), or undefined when they can: not Linux,
 * no busybox, no `unshare`, or user namespaces refused.
 */
export function clusterDnsUnavailable(): string | undefined {
  return cached(`sandbox|${process.env.BUSYBOX ?? ''}`, probe);
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return `cluster DNS sandbox needs Linux namespaces (this is ${process.platform})`;
  const bb = busyboxPath();
  if (!bb)
    return process.env.BUSYBOX
      ? `BUSYBOX=${process.env.BUSYBOX} is not an executable file`
      : 'no busybox on PATH (install busybox-static or set BUSYBOX)';
  if (!onPath('unshare')) return 'no unshare on PATH (util-linux)';
  const tried = spawnSync('unshare', [...UNSHARE_FLAGS, bb, 'sh', '-c', 'ip link set lo up && echo ok'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (tried.error || tried.status !== 0 || tried.stdout.trim() !== 'ok') {
    const why = (tried.error?.message ?? tried.stderr ?? '').trim().split('\n')[0];
    return `unshare ${UNSHARE_FLAGS.join(' ')} does not work here (user namespaces refused?): ${why || `exit ${tried.status}`}`;
  }
  return undefined;
}

interface ApiCredentials {
  ca: string;
  cert: string;
  key: string;
  token: string;
}
let credentials: ApiCredentials | undefined;

/**
 * A CA and a certificate for kube-apiserver's names (kubernetes, kubernetes.default,
 * kubernetes.default.svc, kubernetes.default.svc.cluster.local, API_SERVER_IP), made once per
 * test file with openssl, and a token.
 */
function apiCredentials(): ApiCredentials {
  if (credentials) return credentials;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-api-'));
  try {
    const openssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=fake-cluster-ca');
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
    const names = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', API_SERVER_NAME];
    fs.writeFileSync(
      path.join(dir, 'san.ext'),
      `subjectAltName=${[...names.map((n) => `DNS:${n}`), `IP:${API_SERVER_IP}`].join(',')}\n`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
    const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
    credentials = {
      ca: read('ca.crt'),
      cert: read('server.crt'),
      key: read('server.key'),
      token: randomBytes(24).toString('hex'),
    };
    return credentials;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function checkCluster(cluster: FakeCluster): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster.namespace))
    throw new Error(`namespace ${JSON.stringify(cluster.namespace)} is not a DNS label`);
  const records = { ...cluster.records, ...cluster.later?.records };
  for (const [name, ip] of Object.entries(records)) {
    if (!IPV4.test(ip)) throw new Error(`record ${name}: ${ip} is not an IPv4 address`);
  }
  for (const l of [...(cluster.listeners ?? []), ...(cluster.later?.listeners ?? [])]) {
    if (!IPV4.test(l.ip) || !l.ip.startsWith('127.'))
      throw new Error(`listener ${l.ip}:${l.port}: only 127.0.0.0/8 exists in the sandbox`);
    if (l.ip === CLUSTER_DNS_IP && l.port === 53) throw new Error(`listener ${l.ip}:53 is the DNS server`);
    if (l.ip === API_SERVER_IP && l.port === 443) throw new Error(`listener ${l.ip}:443 is the API server`);
  }
  if (cluster.later?.api && !cluster.api) throw new Error('later.api without api: there is no API server');
}

/** Runs `sh -c script` (busybox) in a fresh sandbox that looks like a pod of `cluster`. */
export async function runInFakeCluster(
  script: string,
  cluster: FakeCluster,
  opts: RunOptions = {},
): Promise<RunResult> {
  const unavailable = clusterDnsUnavailable() ?? (cluster.api ? fakeApiUnavailable() : undefined);
  if (unavailable) throw new Error(`cannot run in a fake cluster: ${unavailable}`);
  checkCluster(cluster);
  const tools = (opts.tools ?? []).map((name) => {
    const found = onPath(name);
    if (!found) throw new Error(`tool ${name} is not on PATH`);
    return found;
  });
  const api = cluster.api ? { ip: API_SERVER_IP, objects: cluster.api, ...apiCredentials() } : undefined;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-dns-'));
  try {
    const configFile = path.join(dir, 'config.json');
    const resultFile = path.join(dir, 'result.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        dnsIp: CLUSTER_DNS_IP,
        namespace: cluster.namespace,
        records: api ? { ...cluster.records, [API_SERVER_NAME]: API_SERVER_IP } : cluster.records,
        listeners: cluster.listeners ?? [],
        later: cluster.later,
        script,
        env: opts.env ?? {},
        timeoutMs,
        busybox: busyboxPath(),
        dir,
        resultFile,
        ncStandIn: opts.nc === 'stand-in',
        tools,
        api,
      }),
    );
    const sandbox = spawn('unshare', [...UNSHARE_FLAGS, process.execPath, SANDBOX, configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    sandbox.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    sandbox.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    // The sandbox enforces timeoutMs itself; this only guards against the sandbox hanging.
    const guard = setTimeout(() => sandbox.kill('SIGKILL'), timeoutMs + 10_000);
    const status = await new Promise<number | string | null>((resolve) => {
      sandbox.on('error', (e) => resolve(e.message));
      sandbox.on('close', (code, signal) => resolve(code ?? signal));
    });
    clearTimeout(guard);
    if (!fs.existsSync(resultFile)) throw new Error(`cluster DNS sandbox failed (${status}): ${output.trim()}`);
    const raw = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Omit<RunResult, 'queries'> & {
      setupErrors: string[];
    };
    if (raw.setupErrors.length) throw new Error(`cluster DNS sandbox: ${raw.setupErrors.join('; ')}`);
    return {
      code: raw.code,
      signal: raw.signal,
      stdout: raw.stdout,
      stderr: raw.stderr,
      timedOut: raw.timedOut,
      queries: raw.dns.map((q) => q.name),
      dns: raw.dns,
      ...(raw.ncCalls ? { ncCalls: raw.ncCalls } : {}),
      apiRequests: raw.apiRequests,
      elapsedMs: raw.elapsedMs,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What a sandbox test gets: `run` is runInFakeCluster with the `nc` and tools its needs call for. */
export interface Sandbox {
  run: (script: string, cluster: FakeCluster, opts?: RunOptions) => Promise<RunResult>;
  /** With 'nc -z' among the needs: the nc that runs. */
  nc?: NcKind;
}

/**
 * `test`, or `test.skip` with the reason in the name when the sandbox or a need is missing.
 * With 'nc -z', the name says which nc runs: busybox's own when it has -z, else the stand-in.
 */
export function sandboxTest(name: string, fn: (sandbox: Sandbox) => Promise<void>, needs: Need[] = []): void {
  const reason = clusterDnsUnavailable() ?? (needs.includes('curl') ? fakeApiUnavailable() : undefined);
  const nc = needs.includes('nc -z') ? ncForWaits() : undefined;
  const fullName = nc ? `${name} (${nc.label})` : name;
  const extra: RunOptions = {
    ...(nc ? { nc: nc.nc } : {}),
    ...(needs.includes('curl') ? { tools: ['curl'] } : {}),
  };
  const sandbox: Sandbox = {
    run: (script, cluster, opts = {}) => runInFakeCluster(script, cluster, { ...extra, ...opts }),
    ...(nc ? { nc: nc.nc } : {}),
  };
  if (reason) test.skip(`${fullName} [skipped: ${reason}]`, () => fn(sandbox));
  else test(fullName, () => fn(sandbox));
}
