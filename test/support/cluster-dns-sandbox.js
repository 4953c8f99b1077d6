/**
 * Runs inside `unshare --user --map-root-user --mount --net --pid --fork` (see cluster-dns.ts):
 * root of fresh user, mount, network and PID namespaces, PID 1 of the last one. It makes the
 * namespace look like a pod's network view of a cluster, runs one script with busybox, and
 * writes what happened to a JSON file. Usage: node cluster-dns-sandbox.js CONFIG.json
 *
 * - `lo` up; nothing else exists, so only 127.0.0.0/8 is reachable.
 * - /etc/resolv.conf as kubelet writes it for a ClusterFirst pod (search list, ndots:5), naming
 *   a DNS server at DNS_IP; /etc/hosts with localhost only; /etc/nsswitch.conf `hosts: files dns`.
 *   All three are bind mounts private to this mount namespace.
 * - The DNS server answers like CoreDNS's kubernetes plugin for cluster.local: A records from
 *   the config, NOERROR without answers (NODATA) for other types of a known name and for the
 *   namespace/zone names, NXDOMAIN for every other name (also outside cluster.local: there is
 *   no upstream). UDP only: answers are small and never truncated, so resolvers never retry
 *   over TCP. Every question is logged.
 * - TCP listeners accept connections; a client that sends an HTTP request line gets
 *   `200 OK` with an empty body (so `wget --spider` works too), others are closed once they
 *   close or after 2 s of silence.
 * - The script runs as `sh -c SCRIPT` with busybox's sh, in its own process group, with PATH
 *   a directory of busybox applet symlinks (like the busybox image's /bin), then a directory of
 *   the host tools asked for (`tools`, e.g. curl, as in the curlimages/curl image), then
 *   `env.PATH` if given.
 * - With `ncStandIn`, a directory holding only `nc`, the getaddrinfo stand-in of
 *   nc-getaddrinfo.js, comes first on PATH, and /proc is hidden under an empty tmpfs just before
 *   the script starts: a busybox built with FEATURE_SH_STANDALONE (Debian's busybox-static is)
 *   runs its own applets by re-executing /proc/self/exe before it looks at PATH, and falls back
 *   to PATH when that fails. Every call of the stand-in is logged (`ncCalls` in the result).
 * - With `api`, the pod's service account and API server: a tmpfs over /var/run (its real path)
 *   holding secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace}, and an HTTPS server
 *   at api.ip:443 (kubernetes.default.svc.cluster.local resolves there) with the certificate
 *   given. It answers GET for the objects in `api.objects` (path -> object; `later.api` replaces
 *   or adds some after `later.afterMs`), 404 with a Status for other paths and 401 without the
 *   token, in JSON that is indented when the User-Agent is curl's, Wget's or a browser's, as
 *   kube-apiserver does. Every request is logged (`apiRequests` in the result).
 *
 * The config (written by cluster-dns.ts) is
 *   { dnsIp, namespace, records, listeners, later, script, env, timeoutMs, busybox, dir, resultFile,
 *     ncStandIn, tools, api }
 */
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const dgram = require('node:dgram');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const { Buffer } = require('node:buffer');
const { setTimeout, clearTimeout } = require('node:timers');
const { URL } = require('node:url');

const TYPES = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  255: 'ANY',
};
const RCODES = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
const CLUSTER_DOMAIN = 'cluster.local';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
/** When the script started; the query log's `atMs` counts from here. */
let started = Date.now();
const log = [];
const setupErrors = [];

function fqdn(name) {
  return name.toLowerCase().replace(/\.+$/, '');
}

/** name -> IPv4 */
const records = new Map();
function addRecords(map) {
  for (const [name, ip] of Object.entries(map || {})) records.set(fqdn(name), ip);
}
addRecords(config.records);

/** Names that exist without an A record (zone structure): NOERROR/NODATA rather than NXDOMAIN. */
function nameExists(name) {
  if (records.has(name)) return true;
  const structural = [CLUSTER_DOMAIN, `svc.${CLUSTER_DOMAIN}`, `${config.namespace}.svc.${CLUSTER_DOMAIN}`];
  if (structural.includes(name)) return true;
  for (const known of records.keys()) if (known.endsWith(`.${name}`)) return true;
  return false;
}

function run(file, args) {
  execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A host tool if it is on PATH, else the busybox applet of that name. */
function tool(name, args) {
  for (const dir of (process.env.PATH || '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return run(candidate, args);
    } catch (e) {
      if (e.code !== 'ENOENT' && e.code !== 'EACCES') throw e;
    }
  }
  return run(config.busybox, [name, ...args]);
}

function setUpFiles() {
  const etc = path.join(config.dir, 'etc');
  fs.mkdirSync(etc, { recursive: true });
  const ns = config.namespace;
  const files = {
    'resolv.conf':
      `search ${ns}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\n` +
      `nameserver ${config.dnsIp}\n` +
      'options ndots:5\n',
    hosts: '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    'nsswitch.conf': 'hosts: files dns\nnetworks: files\n',
  };
  for (const [name, content] of Object.entries(files)) {
    const source = path.join(etc, name);
    fs.writeFileSync(source, content);
    const target = path.join('/etc', name);
    // A dangling symlink (e.g. resolv.conf -> /run/systemd/...) cannot be a mount point.
    if (!fs.existsSync(target)) throw new Error(`${target} does not exist (or is a dangling symlink)`);
    tool('mount', ['--bind', source, target]);
  }
}

function setUpBusybox() {
  const bin = path.join(config.dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const listed = execFileSync(config.busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of listed) fs.symlinkSync(config.busybox, path.join(bin, applet));
  if (!listed.includes('sh')) throw new Error(`${config.busybox} has no sh applet`);
  return bin;
}

function startDns() {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const reply = answer(msg);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, config.dnsIp, () => resolve(socket));
  });
}

/** Parses one DNS query and builds the reply, logging the question. */
function answer(msg) {
  if (msg.length < 12) return null;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return null; // a response, not a query
  const opcode = (flags >> 11) & 0xf;
  const qdcount = msg.readUInt16BE(4);
  let off = 12;
  const labels = [];
  let malformed = qdcount !== 1;
  while (!malformed) {
    if (off >= msg.length) malformed = true;
    else {
      const len = msg[off++];
      if (len === 0) break;
      if (len & 0xc0 || off + len > msg.length) malformed = true;
      else {
        labels.push(msg.toString('latin1', off, off + len));
        off += len;
      }
    }
  }
  if (!malformed && off + 4 > msg.length) malformed = true;
  const header = (rcode, qd, an) => {
    const h = Buffer.alloc(12);
    msg.copy(h, 0, 0, 2); // id
    h.writeUInt16BE(0x8000 | (opcode << 11) | 0x0400 | (flags & 0x0100) | 0x0080 | rcode, 2);
    h.writeUInt16BE(qd, 4);
    h.writeUInt16BE(an, 6);
    return h;
  };
  if (malformed) return header(1, 0, 0);

  const question = msg.subarray(12, off + 4);
  const qtype = msg.readUInt16BE(off);
  const qclass = msg.readUInt16BE(off + 2);
  const name = fqdn(labels.join('.'));
  let rcode;
  let ip;
  if (opcode !== 0) rcode = 4;
  else if (qclass !== 1) rcode = 5;
  else if (name !== CLUSTER_DOMAIN && !name.endsWith(`.${CLUSTER_DOMAIN}`)) rcode = 3;
  else if (!nameExists(name)) rcode = 3;
  else {
    rcode = 0;
    if (qtype === 1 || qtype === 255) ip = records.get(name);
  }
  log.push({
    name: labels.join('.'),
    type: TYPES[qtype] || String(qtype),
    rcode: RCODES[rcode],
    ...(ip ? { answer: ip } : {}),
    atMs: Date.now() - started,
  });
  const parts = [header(rcode, 1, ip ? 1 : 0), question];
  if (ip) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    rr.writeUInt16BE(1, 2); // A
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(5, 6); // TTL, like CoreDNS's default for services
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
    parts.push(rr);
  }
  return Buffer.concat(parts);
}

const servers = [];
function listen({ ip, port }) {
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.setTimeout(2000, () => sock.destroy());
    sock.once('data', (data) => {
      if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r?\n/.test(data.toString('latin1')))
        sock.end('HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else sock.end();
    });
    sock.on('end', () => sock.end());
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
}

function setUpNcStandIn() {
  const dir = path.join(config.dir, 'nc-stand-in');
  fs.mkdirSync(dir);
  const log = path.join(dir, 'calls.jsonl');
  const standIn = path.join(__dirname, 'nc-getaddrinfo.js');
  fs.writeFileSync(
    path.join(dir, 'nc'),
    `#!${process.execPath}\nrequire(${JSON.stringify(standIn)}).main(process.argv.slice(2), ${JSON.stringify(log)});\n`,
    { mode: 0o755 },
  );
  return { dir, log };
}

/** Makes /proc/self/exe unusable so that a FEATURE_SH_STANDALONE busybox looks for `nc` on PATH. */
function hideProc() {
  tool('mount', ['-t', 'tmpfs', '-o', 'size=4k,mode=555', 'proc-hidden', '/proc']);
}

function readNcCalls(standIn) {
  if (!standIn) return undefined;
  if (!fs.existsSync(standIn.log)) return [];
  return fs
    .readFileSync(standIn.log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function setUpTools() {
  const dir = path.join(config.dir, 'tools');
  fs.mkdirSync(dir);
  for (const file of config.tools || []) fs.symlinkSync(file, path.join(dir, path.basename(file)));
  return dir;
}

/** API path -> object the fake API server serves. */
const apiObjects = new Map(Object.entries((config.api && config.api.objects) || {}));
const apiRequests = [];

/** The projected service account volume, at /var/run/secrets/kubernetes.io/serviceaccount. */
function setUpServiceAccount() {
  const run = fs.realpathSync('/var/run');
  for (const name of ['resolv.conf', 'hosts', 'nsswitch.conf']) {
    const target = fs.realpathSync(path.join('/etc', name));
    if (target.startsWith(`${run}/`)) throw new Error(`/etc/${name} is ${target}: a tmpfs over ${run} would hide it`);
  }
  tool('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=755', 'service-account', run]);
  const sa = path.join(run, 'secrets/kubernetes.io/serviceaccount');
  fs.mkdirSync(sa, { recursive: true });
  fs.writeFileSync(path.join(sa, 'token'), config.api.token);
  fs.writeFileSync(path.join(sa, 'ca.crt'), config.api.ca);
  fs.writeFileSync(path.join(sa, 'namespace'), config.namespace);
}

/** kube-apiserver's Status for an error. */
function status(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

/** `jobs.batch "migrate" not found`, as kube-apiserver words it, from the request path. */
function notFound(pathname) {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/namespaces\/[^/]+\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
  const [, group, kind, name] = m;
  const resource = group ? `${kind}.${group}` : kind;
  return status(404, 'NotFound', `${resource} "${name}" not found`, { name, ...(group ? { group } : {}), kind });
}

function startApi() {
  const server = https.createServer({ key: config.api.key, cert: config.api.cert }, (req, res) => {
    const url = new URL(req.url, 'https://kubernetes.default.svc');
    const userAgent = req.headers['user-agent'] || '';
    const authorized = req.headers.authorization === `Bearer ${config.api.token}`;
    let code = 200;
    let body;
    if (!authorized) {
      code = 401;
      body = status(401, 'Unauthorized', 'Unauthorized');
    } else if (req.method !== 'GET') {
      code = 405;
      body = status(405, 'MethodNotAllowed', `${req.method} is not served by this fake API server`);
    } else if (apiObjects.has(url.pathname)) body = apiObjects.get(url.pathname);
    else {
      code = 404;
      body = notFound(url.pathname);
    }
    apiRequests.push({
      method: req.method,
      path: url.pathname,
      userAgent,
      authorized,
      status: code,
      atMs: Date.now() - started,
    });
    const pretty = url.searchParams.has('pretty')
      ? url.searchParams.get('pretty') === 'true'
      : /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent);
    const text = JSON.stringify(body, null, pretty ? 2 : undefined);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, config.api.ip, () => resolve());
  });
}

function finish(result) {
  fs.writeFileSync(config.resultFile, JSON.stringify({ ...result, dns: log, apiRequests, setupErrors }));
  // PID 1 of the namespace: exiting kills whatever the script left behind.
  process.exit(0);
}

async function main() {
  tool('ip', ['link', 'set', 'lo', 'up']);
  setUpFiles();
  const bin = setUpBusybox();
  const tools = config.tools && config.tools.length ? setUpTools() : undefined;
  const standIn = config.ncStandIn ? setUpNcStandIn() : undefined;
  if (config.api) setUpServiceAccount();
  await startDns();
  await Promise.all((config.listeners || []).map(listen));
  if (config.api) await startApi();
  if (standIn) hideProc();

  const PATH = [standIn && standIn.dir, bin, tools, config.env.PATH].filter(Boolean).join(':');
  const env = { HOME: '/root', ...config.env, PATH };
  started = Date.now();
  const child = spawn(path.join(bin, 'sh'), ['-c', config.script], {
    cwd: '/',
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));

  let later;
  if (config.later) {
    later = setTimeout(() => {
      addRecords(config.later.records);
      for (const [apiPath, object] of Object.entries(config.later.api || {})) apiObjects.set(apiPath, object);
      Promise.all((config.later.listeners || []).map(listen)).catch((e) => setupErrors.push(`later: ${e.message}`));
    }, config.later.afterMs);
  }
  let timedOut = false;
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, config.timeoutMs);

  child.on('error', (e) => {
    stderr += `spawn failed: ${e.message}\n`;
  });
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    if (later) clearTimeout(later);
    killGroup(); // background jobs of the script
    // Output still buffered in the pipes arrives before 'close'; do not wait forever for it.
    const done = () =>
      finish({
        code,
        signal,
        stdout,
        stderr,
        timedOut,
        elapsedMs: Date.now() - started,
        ncCalls: readNcCalls(standIn),
      });
    const grace = setTimeout(done, 500);
    child.on('close', () => {
      clearTimeout(grace);
      done();
    });
  });
}

main().catch((e) => {
  process.stderr.write(`cluster-dns sandbox setup failed: ${e.stack || e}\n`);
  if (e.stderr) process.stderr.write(String(e.stderr));
  process.exit(2);
});
