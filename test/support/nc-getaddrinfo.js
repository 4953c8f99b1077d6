/**
 * A stand-in for busybox's `nc -z`, for machines whose busybox lacks it (Debian's busybox-static
 * is built without NC_110_COMPAT). It implements exactly what the start-order waits use,
 *
 *   nc -z [-w SECS] HOST PORT
 *
 * the way busybox 1.36's nc (nc_bloaty.c) does it: HOST goes through getaddrinfo (Node's
 * `dns.lookup`, which is libc's getaddrinfo: /etc/nsswitch.conf, /etc/hosts, then resolv.conf's
 * search list and ndots), an IPv4 answer is preferred (FEATURE_PREFER_IPV4_ADDRESS), and a TCP
 * connect is tried, limited to SECS when -w is given. Exit 0 once connected (the connection is
 * closed at once), 1 otherwise; `nc: bad address 'HOST'` on stderr when HOST does not resolve,
 * as busybox prints. Anything else (other options, -l, a port name) exits 2 saying it is not
 * implemented, so that a wait command outgrowing the stand-in fails loudly.
 *
 * cluster-dns-sandbox.js runs it through a generated `nc` that calls `main(args, logFile)`; each
 * call appends one JSON line (args, exit code, why) to logFile so tests can tell it ran.
 */
'use strict';

const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');
const { setTimeout, clearTimeout } = require('node:timers');

const USAGE = 'the nc stand-in implements only `nc -z [-w SECS] HOST PORT`';

/** { wait, host, port } or { unsupported: why }. */
function parse(args) {
  let zero = false;
  let wait;
  const operands = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-z') zero = true;
    else if (a === '-w' || /^-w\d+$/.test(a)) {
      const value = a === '-w' ? args[++i] : a.slice(2);
      if (value === undefined || !/^\d+$/.test(value)) return { unsupported: `-w needs a number of seconds` };
      wait = Number(value);
    } else if (a.startsWith('-') && a !== '-') return { unsupported: `option ${a}` };
    else operands.push(a);
  }
  if (!zero) return { unsupported: 'nc without -z' };
  if (operands.length !== 2) return { unsupported: `${operands.length} operands` };
  const [host, port] = operands;
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return { unsupported: `port ${port}` };
  return { wait, host, port: Number(port) };
}

/** Resolves like busybox's str2sockaddr: getaddrinfo(AF_UNSPEC, SOCK_STREAM), first IPv4 answer preferred. */
function resolve(host) {
  return new Promise((done) => {
    dns.lookup(host, { all: true, family: 0, hints: 0, verbatim: true }, (err, addresses) => {
      if (err || !addresses.length) return done(undefined);
      done((addresses.find((a) => a.family === 4) ?? addresses[0]).address);
    });
  });
}

function connect(address, port, waitSecs) {
  return new Promise((done) => {
    const socket = net.connect({ host: address, port });
    let timer;
    const end = (ok, why) => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      done({ ok, why });
    };
    // -w 0 means no timeout, as in nc_bloaty (alarm(0)).
    if (waitSecs) timer = setTimeout(() => end(false, `connect timed out after ${waitSecs}s`), waitSecs * 1000);
    socket.once('connect', () => end(true, `connected to ${address}:${port}`));
    socket.once('error', (e) => end(false, `${e.code || e.message} from ${address}:${port}`));
  });
}

async function run(args) {
  const parsed = parse(args);
  if (parsed.unsupported) {
    process.stderr.write(`nc: ${USAGE} (got ${parsed.unsupported})\n`);
    return { code: 2, why: `unsupported: ${parsed.unsupported}` };
  }
  const address = await resolve(parsed.host);
  if (!address) {
    process.stderr.write(`nc: bad address '${parsed.host}'\n`);
    return { code: 1, why: 'bad address' };
  }
  const { ok, why } = await connect(address, parsed.port, parsed.wait);
  return { code: ok ? 0 : 1, why };
}

function main(args, logFile) {
  run(args).then(
    ({ code, why }) => {
      if (logFile) fs.appendFileSync(logFile, `${JSON.stringify({ args, code, why })}\n`);
      process.exit(code);
    },
    (e) => {
      process.stderr.write(`nc stand-in failed: ${e.stack || e}\n`);
      process.exit(3);
    },
  );
}

module.exports = { main, parse };
