/**
 * The checks of the end-to-end runs: does the converted examples/shop stack behave on Kubernetes
 * as it does under `docker compose up`? Shared by `npm run e2e` (test/e2e/run.ts, any cluster)
 * and test/e2e/up-kind.test.ts (kind, brought up by the generated up.sh).
 *
 * Every check returns { name, ok, detail } and never throws: a failed check says what was seen.
 * In-cluster checks run from short-lived checker pods in the stack's namespace that carry the
 * stack's Compose network labels (the generated NetworkPolicies admit only those), so they see
 * the stack as another container on its Compose network would.
 */
import { CheckerPod } from './checker-pod';
import { condition, failure, Kubectl, KubeObject, podState } from './cluster';
import { check, httpFromHere, oneLine, type CheckResult } from './check-kit';
import { readShopFacts, type ShopFacts } from './shop-facts';

export { formatResults, type CheckResult } from './check-kit';

export interface CheckOptions {
  /** The stack's namespace. */
  kubectl: Kubectl;
  facts?: ShopFacts;
  /** More URLs on this machine where the published port should answer (kind maps host ports). */
  extraPublishedUrls?: string[];
  log?: (line: string) => void;
}

/** The Compose network labels of the stack's pod templates (`compose-cdk8s.io/network-<name>: "true"`). */
export function networkLabels(kubectl: Kubectl): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const w of kubectl.items('deployments,jobs,daemonsets,statefulsets')) {
    for (const [k, v] of Object.entries(w.spec?.template?.metadata?.labels ?? {})) {
      if (k.startsWith('compose-cdk8s.io/network-')) labels[k] = v;
    }
  }
  return labels;
}

const BUSYBOX = 'busybox:1.36';
const POSTGRES = 'postgres:15-alpine';

interface HttpAnswer {
  /** e.g. 200; undefined when no HTTP answer came. */
  status?: number;
  statusLine?: string;
  body: string;
  /** wget's error when there was no 2xx answer (bad address, connection refused, HTTP 404...). */
  error?: string;
}

/** GET from the busybox checker pod (wget -S prints the response headers on stderr). */
function httpGet(pod: CheckerPod, url: string): HttpAnswer {
  const r = pod.sh('wget -S -O- -T 10 "$1"', [url], 40_000);
  const line = /HTTP\/\d(?:\.\d)? (\d{3})[^\r\n]*/.exec(r.stderr);
  const wgetError = /^wget: .*$/m.exec(r.stderr)?.[0];
  const error = r.status === 0 ? undefined : (wgetError ?? failure(r).replace(/\s*\|\s*/g, ' '));
  return { status: line ? Number(line[1]) : undefined, statusLine: line?.[0].trim(), body: r.stdout, error };
}

interface ApiStatus {
  service?: string;
  greeting?: string;
  db_host?: string;
  db?: string;
  cache?: string;
  secret_readable?: boolean;
}

/** The pods of a workload, found with its own selector (no assumption on the labels). */
function podsOf(kubectl: Kubectl, kind: 'deployment' | 'job', name: string): KubeObject[] {
  const w = kubectl.json(['get', kind, name]);
  const selector = Object.entries(w.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = kubectl.items('pods', selector);
  return kind === 'job' ? pods : pods.filter((p) => !p.metadata.ownerReferences?.some((o) => o.kind === 'Job'));
}

function runningPod(kubectl: Kubectl, deployment: string): KubeObject | undefined {
  return podsOf(kubectl, 'deployment', deployment).find((p) => p.status?.phase === 'Running');
}

interface EndpointsObject {
  subsets?: {
    addresses?: { targetRef?: { name: string } }[];
    notReadyAddresses?: { targetRef?: { name: string } }[];
  }[];
}

/**
 * Why a Service does not answer, as far as Kubernetes knows: no such Service, no pod behind it,
 * or pods that are not ready (with their latest failed readiness probe or waiting reason). A
 * Service routes only to ready pods, and readiness is the Compose healthcheck.
 */
export function whyUnreachable(kubectl: Kubectl, service: string): string {
  try {
    return endpointsReport(kubectl, service);
  } catch (e) {
    return `(cannot tell why: ${oneLine((e as Error).message, 120)})`;
  }
}

function endpointsReport(kubectl: Kubectl, service: string): string {
  const ep = kubectl.run(['get', 'endpoints', service, '-o', 'json']);
  if (ep.status !== 0) return /NotFound/.test(ep.stderr) ? `no Service ${service}` : failure(ep);
  const subsets = (JSON.parse(ep.stdout) as EndpointsObject).subsets ?? [];
  const ready = subsets.flatMap((s) => s.addresses ?? []);
  const notReady = subsets.flatMap((s) => s.notReadyAddresses ?? []).map((a) => a.targetRef?.name ?? '?');
  if (ready.length > 0) return `${service} has ${ready.length} ready endpoint(s)`;
  if (notReady.length === 0) {
    const selector = kubectl.json(['get', 'service', service]).spec?.selector;
    const pods = selector
      ? kubectl.items(
          'pods',
          Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        )
      : [];
    const states = pods.map((p) => `${p.metadata.name} ${podState(p)}`);
    return `no pod behind ${service}${states.length ? `: ${states.join(', ')}` : ''}`;
  }
  const reasons = notReady.map((pod) => {
    const state = podState(kubectl.json(['get', 'pod', pod]));
    if (state !== 'Running') return `${pod} ${state}`;
    const events = kubectl.json<{ items: { message?: string; lastTimestamp?: string }[] }>([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${pod},reason=Unhealthy`,
    ]).items;
    events.sort((a, b) => (a.lastTimestamp ?? '').localeCompare(b.lastTimestamp ?? ''));
    const last = events.at(-1)?.message;
    return `${pod} running, not ready${last ? ` (${oneLine(last, 120)})` : ''}`;
  });
  return `${service} has no ready endpoint: ${reasons.join(', ')}`;
}

/** Runs `body`; a thrown error becomes a failed check. */

/**
 * All checks of the shop example, in the order of the report. Starts the checker pods it needs
 * and deletes them again.
 */
export async function runShopChecks(options: CheckOptions): Promise<CheckResult[]> {
  const { kubectl } = options;
  const facts = options.facts ?? readShopFacts();
  const log = options.log ?? (() => undefined);
  const results: CheckResult[] = [];
  const pods: CheckerPod[] = [];
  const suffix = Math.random().toString(16).slice(2, 7);

  try {
    // The checker pods join the stack's Compose networks, as a container of the project would.
    let labels: Record<string, string> = {};
    results.push(
      await check('checker pods join the Compose network', () => {
        labels = networkLabels(kubectl);
        const list = Object.keys(labels);
        return {
          ok: list.length > 0,
          detail:
            list.length > 0 ? `labels ${list.join(', ')}` : 'no compose-cdk8s.io/network-* label on any pod template',
        };
      }),
    );

    log('  starting checker pod (busybox)');
    let probe: CheckerPod | undefined;
    let probeError = '';
    try {
      probe = CheckerPod.start(kubectl, { name: `e2e-probe-${suffix}`, image: BUSYBOX, labels });
      pods.push(probe);
    } catch (e) {
      probeError = `no checker pod: ${(e as Error).message}`;
    }
    const inCluster = (name: string, body: (pod: CheckerPod) => Omit<CheckResult, 'name'>) =>
      check(name, () => (probe ? body(probe) : { ok: false, detail: probeError }));
    const tcpOpen = (pod: CheckerPod, host: string, port: number) => {
      const r = pod.sh('nc -z -w 3 "$1" "$2"', [host, String(port)]);
      if (r.status === 0) return { ok: true, detail: 'open' };
      return { ok: false, detail: `${failure(r)}; ${whyUnreachable(kubectl, host)}` };
    };

    // 1. Every service answers by its Compose name and port.
    results.push(
      await inCluster(`proxy:${facts.published.containerPort} answers HTTP`, (pod) => {
        const a = httpGet(pod, `http://proxy:${facts.published.containerPort}/`);
        if (a.status !== undefined) return { ok: true, detail: a.statusLine ?? '' };
        return { ok: false, detail: `${a.error ?? 'no answer'}; ${whyUnreachable(kubectl, 'proxy')}` };
      }),
    );

    let status: ApiStatus | undefined;
    let statusProblem = '';
    results.push(
      await inCluster('api:8000 answers its status JSON', (pod) => {
        const a = httpGet(pod, 'http://api:8000/cgi-bin/status');
        if (a.status !== 200) {
          statusProblem = `GET http://api:8000/cgi-bin/status: ${a.statusLine ?? a.error ?? 'no answer'}`;
          const why = a.status === undefined ? `; ${whyUnreachable(kubectl, 'api')}` : '';
          return { ok: false, detail: statusProblem + why };
        }
        try {
          status = JSON.parse(a.body) as ApiStatus;
        } catch {
          statusProblem = `not JSON: ${oneLine(a.body, 80)}`;
          return { ok: false, detail: statusProblem };
        }
        return { ok: status.service === 'api', detail: oneLine(a.body) };
      }),
    );

    results.push(await inCluster('db:5432 accepts TCP', (pod) => tcpOpen(pod, 'db', 5432)));

    results.push(
      await inCluster('cache:6379 answers redis PING', (pod) => {
        const r = pod.sh(`printf 'PING\\r\\n' | nc -w 2 "$1" "$2"`, ['cache', '6379']);
        if (r.stdout.includes('PONG')) return { ok: true, detail: oneLine(r.stdout) };
        const seen = oneLine(r.stdout) || failure(r);
        return { ok: false, detail: `${seen}; ${whyUnreachable(kubectl, 'cache')}` };
      }),
    );

    results.push(
      await inCluster(`${facts.dbContainerName}:5432 accepts TCP (container_name)`, (pod) =>
        tcpOpen(pod, facts.dbContainerName, 5432),
      ),
    );

    // 2. The named volume was filled with the image's files, as Docker fills a new named volume.
    results.push(
      await inCluster("volume html holds the image's index.html", (pod) => {
        const a = httpGet(pod, `http://proxy:${facts.published.containerPort}/`);
        const seen = a.statusLine ?? a.error ?? 'no answer';
        if (a.status === 200 && /Welcome to nginx/i.test(a.body))
          return { ok: true, detail: `${seen}: nginx's welcome page` };
        // Unreachable or an error page: look at the volume in the proxy container itself.
        const proxy = runningPod(kubectl, 'proxy');
        if (!proxy) return { ok: false, detail: `GET http://proxy/: ${seen}; no running proxy pod` };
        const r = kubectl.run(
          ['exec', proxy.metadata.name, '-c', proxy.spec?.containers?.[0].name ?? 'proxy', '--', 'sh', '-c'].concat(
            'ls -A /usr/share/nginx/html | tr "\\n" " "; grep -qi "welcome to nginx" /usr/share/nginx/html/index.html',
          ),
        );
        const listing = r.stdout.trim() ? `holds: ${oneLine(r.stdout, 80)}` : 'is empty';
        return {
          ok: r.status === 0,
          detail: `GET http://proxy/: ${seen}; in the proxy container /usr/share/nginx/html ${listing}`,
        };
      }),
    );

    results.push(
      await inCluster('proxy /api/ reaches api by its Compose name', (pod) => {
        const a = httpGet(pod, `http://proxy:${facts.published.containerPort}/api/cgi-bin/status`);
        const ok = a.status === 200 && a.body.includes('"service":"api"');
        const why = a.status === undefined ? `; ${whyUnreachable(kubectl, 'proxy')}` : '';
        return { ok, detail: (a.statusLine ?? a.error ?? 'no answer') + why };
      }),
    );

    // 3. env_file and secrets reach the api. From its status JSON; when that is unavailable, from
    // the api container itself, so this check does not fail for the same reason as the one above.
    const apiExec = (script: string) => {
      const pod = runningPod(kubectl, 'api');
      if (!pod) throw new Error(`no running api pod (${statusProblem})`);
      return kubectl.run([
        'exec',
        pod.metadata.name,
        '-c',
        pod.spec?.containers?.[0].name ?? 'api',
        '--',
        'sh',
        '-c',
        script,
      ]);
    };
    results.push(
      await check('env_file value reaches api (GREETING)', () => {
        if (status) {
          const ok = status.greeting === facts.greeting;
          return { ok, detail: `status JSON greeting ${JSON.stringify(status.greeting)}` };
        }
        const r = apiExec('printf %s "$GREETING"');
        const ok = r.status === 0 && r.stdout === facts.greeting;
        return { ok, detail: `in the api container (status JSON unavailable): GREETING=${JSON.stringify(r.stdout)}` };
      }),
    );
    results.push(
      await check('secret db_password readable by api', () => {
        if (status) {
          const leaked = JSON.stringify(status).includes(facts.dbPassword);
          return {
            ok: status.secret_readable === true && !leaked,
            detail: leaked
              ? 'the status JSON prints the secret!'
              : `status JSON secret_readable=${status.secret_readable}`,
          };
        }
        const r = apiExec('test -r /run/secrets/db_password && test -s /run/secrets/db_password');
        return {
          ok: r.status === 0,
          detail: `in the api container (status JSON unavailable): ${r.status === 0 ? 'readable' : failure(r)}`,
        };
      }),
    );
    results.push(
      await check(`api reaches cache and ${facts.dbHost} (its status)`, () => {
        if (!status) return { ok: false, detail: statusProblem || 'no status JSON' };
        const s = status;
        return {
          ok: s.cache === 'up' && s.db === 'up' && s.db_host === facts.dbHost,
          detail: `cache ${s.cache}, db ${s.db} (DB_HOST=${s.db_host})`,
        };
      }),
    );

    // 4. Start order: the migration Job completed before the api container started.
    results.push(
      await check('migrate completed before api started', () => {
        const job = kubectl.json(['get', 'job', 'migrate']);
        const completed = job.status?.completionTime;
        if (!completed) {
          const c = condition(job, 'Failed') === 'True' ? 'failed' : 'not complete';
          return { ok: false, detail: `job/migrate ${c} (succeeded=${job.status?.succeeded ?? 0})` };
        }
        const pod = runningPod(kubectl, 'api');
        const main = pod?.spec?.containers?.[0].name;
        const cs = pod?.status?.containerStatuses?.find((c) => c.name === main);
        const started = cs?.state?.running?.startedAt;
        if (!pod || !started) return { ok: false, detail: `migrate completed ${completed}; no running api container` };
        const earlier = cs?.lastState?.terminated?.startedAt;
        const first = earlier && earlier < started ? earlier : started;
        const restarts = cs.restartCount ? ` (restarts: ${cs.restartCount})` : '';
        if (Date.parse(completed) <= Date.parse(first)) {
          return { ok: true, detail: `migrate completed ${completed}, api started ${first}${restarts}` };
        }
        // The Job controller may record completionTime a moment after the pod succeeded (and
        // after status.succeeded, which the start-order wait reads): then the moment the
        // migration container finished decides.
        const finished = podsOf(kubectl, 'job', 'migrate')
          .flatMap((p) => p.status?.containerStatuses ?? [])
          .map((c) => (c.state?.terminated?.exitCode === 0 ? c.state.terminated.finishedAt : undefined))
          .filter((t): t is string => !!t)
          .sort()[0];
        const ok = finished !== undefined && Date.parse(finished) <= Date.parse(first);
        return {
          ok,
          detail: `migrate container finished ${finished ?? '(unknown)'}, job completionTime ${completed}, api started ${first}${restarts}`,
        };
      }),
    );

    results.push(
      await check('migration created table products', () => {
        log('  starting checker pod (postgres)');
        const pg = CheckerPod.start(kubectl, {
          name: `e2e-psql-${suffix}`,
          image: POSTGRES,
          labels,
          env: { PGPASSWORD: facts.dbPassword, PGCONNECT_TIMEOUT: '5' },
        });
        pods.push(pg);
        const sql = 'SELECT count(*) FROM products';
        const r = pg.sh('psql -h db -U "$1" -d "$2" -tAc "$3"', [facts.dbUser, facts.dbName, sql]);
        const rows = Number(r.stdout.trim());
        const ok = r.status === 0 && rows >= 1;
        return { ok, detail: r.status === 0 ? `${rows} row(s) in products` : failure(r) };
      }),
    );

    // 5. The published port answers on the node, from this machine.
    results.push(
      await check(`published port ${facts.published.hostPort} answers on the node`, async () => {
        const svc = kubectl.json(['get', 'service', `${facts.published.service}-published`]);
        const port = svc.spec?.ports?.find((p) => p.port === facts.published.hostPort) ?? svc.spec?.ports?.[0];
        const urls: string[] = [...(options.extraPublishedUrls ?? [])];
        if (port?.nodePort) {
          const nodes = kubectl.json<{ items: KubeObject[] }>(['get', 'nodes']).items;
          const ip = nodes[0]?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
          if (ip) urls.push(`http://${ip}:${port.nodePort}/`);
          urls.push(`http://127.0.0.1:${port.nodePort}/`);
        }
        if (urls.length === 0) return { ok: false, detail: `service ${svc.metadata.name} has no nodePort` };
        const tried: string[] = [];
        for (const url of urls) {
          const a = await httpFromHere(url);
          if (a.status !== undefined) return { ok: true, detail: `HTTP ${a.status} from ${url}` };
          tried.push(`${url}: ${a.error}`);
        }
        return { ok: false, detail: `${tried.join('; ')}; ${whyUnreachable(kubectl, facts.published.service)}` };
      }),
    );
  } finally {
    for (const pod of pods) pod.delete();
  }
  return results;
}
