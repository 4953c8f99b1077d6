/**
 * Day two on a real cluster, on a copy of examples/shop converted for `--target generic` (its
 * up.sh needs only kubectl, so the run goes through the generated scripts themselves; with
 * E2E_FORMAT=helm through `helm install/upgrade/uninstall`), as a user lives with a stack after
 * the first `up`:
 *   (e) a one-shot service with `restart: on-failure:2` fails once, succeeds on its retry, and the
 *       service depending on its completion starts after it;
 *   (a) the proxy's config file and an env_file value edited, converted and applied again: only
 *       the workloads using them roll, and the new config and value are served;
 *   (b) a service removed: its objects go, the others keep their pods, its claim stays;
 *   (c) the database pod deleted: it comes back with its rows, and the API answers again;
 *   (d) the API's main process killed: it is restarted and serves again;
 *   (f) down.sh (`helm uninstall`) leaves the claims only, down.sh -v nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { parseDocument } from 'yaml';
import { check, oneLine, type CheckResult } from './check-kit';
import { CheckerPod } from './checker-pod';
import { networkLabels } from './checks';
import { condition, convertWithCli, failure, freshNamespace, Kubectl, waitForStack, type KubeObject } from './cluster';
import { SHOP_EXAMPLE_DIR, readShopFacts } from './shop-facts';
import { STACK_KINDS } from '../../lib/targets/prune';

const PROJECT = 'e2e-shop';
const RELEASE = 'shop';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface DayTwoSettings {
  readonly format: 'yaml' | 'helm';
  readonly helm?: string;
  readonly timeout: number;
  readonly keep: boolean;
  readonly log: (line: string) => void;
}

/** The shop plus a one-shot service that fails its first try (its emptyDir outlives the restart) and one awaiting it. */
function addFlakyJob(composeFile: string): void {
  const doc = parseDocument(fs.readFileSync(composeFile, 'utf8'));
  doc.setIn(['services', 'flaky'], {
    image: 'busybox:1.36',
    restart: 'on-failure:2',
    command: [
      'sh',
      '-c',
      'if [ -f /state/tried ]; then echo retry: ok; else touch /state/tried; echo first try: failing; exit 1; fi',
    ],
    volumes: ['/state'],
  });
  doc.setIn(['services', 'after-flaky'], {
    image: 'busybox:1.36',
    command: ['sleep', '86400'],
    depends_on: { flaky: { condition: 'service_completed_successfully' } },
  });
  fs.writeFileSync(composeFile, doc.toString());
}

class DayTwo {
  readonly results: CheckResult[] = [];
  readonly kubectl: Kubectl;
  readonly project: string;
  private readonly outDir: string;
  private readonly namespace = freshNamespace('e2e-d2');

  constructor(
    root: Kubectl,
    private readonly settings: DayTwoSettings,
    work: string,
  ) {
    this.kubectl = root.inNamespace(this.namespace);
    this.project = path.join(work, 'project');
    this.outDir = path.join(work, 'out');
    fs.cpSync(SHOP_EXAMPLE_DIR, this.project, { recursive: true });
    addFlakyJob(this.composeFile);
  }

  get composeFile(): string {
    return path.join(this.project, 'compose.yaml');
  }

  helm(args: readonly string[]) {
    const r = spawnSync(this.settings.helm as string, [...args, '--namespace', this.namespace], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  }

  script(name: string, args: readonly string[] = []) {
    const r = spawnSync('bash', [path.join(this.outDir, name), ...args], {
      encoding: 'utf8',
      timeout: (this.settings.timeout + 120) * 1000,
      env: { ...process.env, UP_WAIT_TIMEOUT: String(this.settings.timeout) },
    });
    return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  }

  /** Converts the project as it is now and brings it up: up.sh, or helm install / upgrade. */
  async up(step: string, first: boolean): Promise<boolean> {
    const converted = convertWithCli({
      composeFile: this.composeFile,
      target: 'generic',
      namespace: this.namespace,
      outDir: this.outDir,
      format: this.settings.format,
    });
    if (converted.status !== 0) {
      this.results.push({ name: `${step}: convert`, ok: false, detail: failure(converted) });
      return false;
    }
    const helm = this.settings.format === 'helm';
    const applied = helm
      ? this.helm([first ? 'install' : 'upgrade', RELEASE, this.outDir, ...(first ? ['--create-namespace'] : [])])
      : this.script('up.sh');
    const state = applied.status === 0 ? await waitForStack(this.kubectl, this.settings.timeout, () => {}) : undefined;
    const ok = applied.status === 0 && state?.up === true;
    this.results.push({
      name: `${step}: ${helm ? `helm ${first ? 'install' : 'upgrade'}` : 'up.sh'}`,
      ok,
      detail: ok
        ? `${state?.workloads ?? 0} workloads ready`
        : applied.status !== 0
          ? oneLine(failure(applied), 300)
          : `not up: ${state?.pending.join(', ') ?? ''}`,
    });
    if (!ok) this.settings.log(applied.stdout + applied.stderr);
    return ok;
  }

  /** Each Deployment's generation and the UIDs of its pods. */
  deployments(): Map<string, { generation: number; pods: string[] }> {
    const out = new Map<string, { generation: number; pods: string[] }>();
    for (const d of this.kubectl.items('deployments')) {
      const pods = this.kubectl
        .items('pods', `app.kubernetes.io/name=${d.metadata.name}`)
        .map((p) => (p.metadata as { uid?: string }).uid ?? p.metadata.name)
        .sort();
      out.set(d.metadata.name, { generation: d.metadata.generation ?? 0, pods });
    }
    return out;
  }

  /** What is left of the stack, by its label, as `kubectl get -o name` names it. */
  leftOver(): string[] {
    const r = this.kubectl.run([
      'get',
      STACK_KINDS.join(','),
      '-l',
      `app.kubernetes.io/part-of=${PROJECT}`,
      '-o',
      'name',
    ]);
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  checker(suffix: string): CheckerPod {
    return CheckerPod.start(this.kubectl, {
      name: `e2e-d2-${suffix}-${Math.random().toString(16).slice(2, 7)}`,
      image: 'busybox:1.36',
      labels: networkLabels(this.kubectl),
    });
  }

  get name(): string {
    return this.namespace;
  }
}

function edit(file: string, change: (text: string) => string): void {
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

/** GET from a checker pod until `ok` holds or the time is up (a rollout may still settle). */
async function getUntil(pod: CheckerPod, url: string, ok: (body: string) => boolean, seconds = 60) {
  let last = { status: 1, body: '', error: '' };
  for (let i = 0; i < seconds / 2; i++) {
    const r = pod.sh('wget -q -O- -T 5 "$1"', [url], 20_000);
    last = { status: r.status ?? 1, body: r.stdout, error: failure(r) };
    if (r.status === 0 && ok(r.stdout)) return { ok: true, ...last };
    await sleep(2000);
  }
  return { ok: false, ...last };
}

const changed = (
  before: Map<string, { generation: number; pods: string[] }>,
  after: Map<string, { generation: number; pods: string[] }>,
) => [...after.keys()].filter((n) => before.get(n)?.generation !== after.get(n)?.generation).sort();

const untouched = (
  before: Map<string, { generation: number; pods: string[] }>,
  after: Map<string, { generation: number; pods: string[] }>,
  names: readonly string[],
) => names.every((n) => JSON.stringify(before.get(n)?.pods) === JSON.stringify(after.get(n)?.pods));

export async function runDayTwo(root: Kubectl, settings: DayTwoSettings): Promise<CheckResult[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-e2e-day-two-'));
  const d = new DayTwo(root, settings, work);
  const facts = readShopFacts(d.project);
  settings.log(`e2e: day two in namespace ${d.name} (${settings.format}, --target generic)`);
  try {
    if (!(await d.up('first up', true))) return d.results;
    const k = d.kubectl;

    d.results.push(
      await check('(e) flaky (on-failure:2) failed once, succeeded on retry; after-flaky started after it', () => {
        const job = k.json<KubeObject>(['get', 'job/flaky']);
        const pod = k.items('pods', 'job-name=flaky')[0];
        const restarts = pod?.status?.containerStatuses?.[0]?.restartCount ?? 0;
        const after = k.items('pods', 'app.kubernetes.io/name=after-flaky')[0];
        const waited = after?.status?.initContainerStatuses?.find((c) => c.name === 'wait-for-flaky');
        const finished = waited?.state?.terminated?.finishedAt ?? '';
        const completed = job.status?.completionTime ?? '';
        return {
          ok: condition(job, 'Complete') === 'True' && restarts >= 1 && finished !== '' && finished >= completed,
          detail: `job Complete=${String(condition(job, 'Complete'))} after ${restarts} restart(s) at ${completed}; after-flaky's wait ended ${finished || '-'}`,
        };
      }),
    );

    // (a) Edit the proxy's config file and an env_file value.
    const before = d.deployments();
    edit(path.join(d.project, 'proxy', 'default.conf'), (t) =>
      t.replace(/\}\s*$/, '    location = /day-two {\n        return 200 "day two\\n";\n    }\n}\n'),
    );
    const greeting = 'Hello again from the shop API';
    edit(path.join(d.project, 'api', 'api.env'), (t) => t.replace(/^GREETING=.*$/m, `GREETING=${greeting}`));
    if (!(await d.up('(a) config edited', false))) return d.results;
    const afterEdit = d.deployments();
    d.results.push(
      await check('(a) only the workloads using the edited files rolled', () => {
        const rolled = changed(before, afterEdit);
        return {
          ok:
            JSON.stringify(rolled) === JSON.stringify(['api', 'proxy']) &&
            untouched(before, afterEdit, ['db', 'cache', 'after-flaky']),
          detail: `rolled: ${rolled.join(', ') || 'none'}; db, cache, after-flaky kept their pods: ${String(untouched(before, afterEdit, ['db', 'cache', 'after-flaky']))}`,
        };
      }),
    );
    const probe = d.checker('a');
    try {
      const served = await getUntil(probe, 'http://proxy:80/day-two', (b) => b.includes('day two'));
      d.results.push({
        name: '(a) the proxy serves the edited config',
        ok: served.ok,
        detail: served.ok
          ? 'GET proxy/day-two: day two'
          : `GET proxy/day-two: ${oneLine(served.error || served.body, 120)}`,
      });
      const status = await getUntil(probe, 'http://proxy:80/api/cgi-bin/status', (b) => b.includes(greeting));
      d.results.push({
        name: '(a) the api has the edited env_file value, through the proxy',
        ok: status.ok,
        detail: oneLine(status.body || status.error, 160),
      });
    } finally {
      probe.delete();
    }

    // (b) Remove the cache service.
    const cacheClaims =
      k
        .json<{ spec: { template: { spec: { volumes?: { persistentVolumeClaim?: { claimName: string } }[] } } } }>([
          'get',
          'deployment/cache',
        ])
        .spec.template.spec.volumes?.flatMap((v) =>
          v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
        ) ?? [];
    const doc = parseDocument(fs.readFileSync(d.composeFile, 'utf8'));
    doc.deleteIn(['services', 'cache']);
    doc.deleteIn(['services', 'api', 'depends_on', 'cache']);
    fs.writeFileSync(d.composeFile, doc.toString());
    const beforeRemoval = d.deployments();
    if (!(await d.up('(b) cache removed', false))) return d.results;
    d.results.push(
      await check('(b) the removed service is gone, its claim kept, the others untouched', async () => {
        let left = d.leftOver().filter((o) => /\/cache(-|$)/.test(o));
        for (let i = 0; i < 30 && left.some((o) => !o.startsWith('persistentvolumeclaim/')); i++) {
          await sleep(2000);
          left = d.leftOver().filter((o) => /\/cache(-|$)/.test(o));
        }
        const claims = cacheClaims.map((c) => `persistentvolumeclaim/${c}`);
        const kept = claims.every((c) => d.leftOver().includes(c));
        const others = untouched(beforeRemoval, d.deployments(), ['db', 'proxy', 'after-flaky']);
        return {
          ok: left.every((o) => claims.includes(o)) && kept && claims.length > 0 && others,
          detail: `left of cache: ${left.join(', ') || 'nothing'}; claim ${claims.join(', ')} kept: ${String(kept)}; db, proxy, after-flaky untouched: ${String(others)}`,
        };
      }),
    );

    // (c) Delete the database pod.
    const psql = (sql: string) => {
      const db = k.items('pods', 'app.kubernetes.io/name=db').find((p) => condition(p, 'Ready') === 'True');
      if (!db) return { status: 1, stdout: '', stderr: 'no ready db pod' };
      return k.run([
        'exec',
        db.metadata.name,
        '-c',
        'db',
        '--',
        'psql',
        '-U',
        facts.dbUser,
        '-d',
        facts.dbName,
        '-tAc',
        sql,
      ]);
    };
    const rowsBefore = psql('SELECT count(*) FROM products').stdout.trim();
    const deleted = k.run(['delete', 'pod', '-l', 'app.kubernetes.io/name=db', '--wait=true'], { timeoutMs: 120_000 });
    d.results.push(
      await check('(c) the deleted db pod comes back with its rows, and the api answers again', async () => {
        if (deleted.status !== 0) return { ok: false, detail: failure(deleted) };
        let rows = psql('SELECT count(*) FROM products');
        for (let i = 0; i < 60 && rows.status !== 0; i++) {
          await sleep(2000);
          rows = psql('SELECT count(*) FROM products');
        }
        const probeC = d.checker('c');
        try {
          const api = await getUntil(probeC, 'http://api:8000/cgi-bin/status', (b) => b.includes('"db":"up"'), 120);
          return {
            ok: rows.stdout.trim() === rowsBefore && rowsBefore !== '' && api.ok,
            detail: `products: ${rowsBefore} row(s) before, ${rows.stdout.trim() || failure(rows)} after; api: ${oneLine(api.body || api.error, 100)}`,
          };
        } finally {
          probeC.delete();
        }
      }),
    );

    // (d) Kill the api's main process, from the node (a container's PID 1 ignores signals sent from inside it).
    d.results.push(
      await check("(d) the api's main process killed: restarted, and serving again", async () => {
        const pod = k.items('pods', 'app.kubernetes.io/name=api').find((p) => condition(p, 'Ready') === 'True');
        if (!pod) return { ok: false, detail: 'no ready api pod' };
        const uid = (pod.metadata as { uid?: string }).uid ?? '';
        const restartsBefore = pod.status?.containerStatuses?.find((c) => c.name === 'api')?.restartCount ?? 0;
        const pids = fs.existsSync('/proc')
          ? fs.readdirSync('/proc').filter((p) => {
              if (!/^\d+$/.test(p)) return false;
              try {
                const cgroup = fs.readFileSync(`/proc/${p}/cgroup`, 'utf8');
                const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
                return (cgroup.includes(uid) || cgroup.includes(uid.replace(/-/g, '_'))) && cmd[0] === 'httpd';
              } catch {
                return false;
              }
            })
          : [];
        if (pids.length === 0)
          return { ok: true, skipped: true, detail: "the api's process is not on this machine: the node is elsewhere" };
        for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
        let restarts = restartsBefore;
        for (let i = 0; i < 60 && restarts <= restartsBefore; i++) {
          await sleep(2000);
          const now = k.json<KubeObject>(['get', 'pod', pod.metadata.name]);
          restarts = now.status?.containerStatuses?.find((c) => c.name === 'api')?.restartCount ?? restarts;
        }
        const probeD = d.checker('d');
        try {
          const api = await getUntil(
            probeD,
            'http://api:8000/cgi-bin/status',
            (b) => b.includes('"service":"api"'),
            120,
          );
          return {
            ok: restarts > restartsBefore && api.ok,
            detail: `killed httpd (pid ${pids.join(', ')}); restarts ${restartsBefore} -> ${restarts}; api: ${api.ok ? 'answers' : oneLine(api.error, 80)}`,
          };
        } finally {
          probeD.delete();
        }
      }),
    );

    // (f) Tear down, keeping the claims, then everything.
    const helm = settings.format === 'helm';
    const down = helm ? d.helm(['uninstall', RELEASE, '--wait']) : d.script('down.sh');
    await sleep(3000);
    const afterDown = d.leftOver();
    d.results.push({
      name: `(f) ${helm ? 'helm uninstall' : 'down.sh'} leaves only the claims`,
      ok: down.status === 0 && afterDown.length > 0 && afterDown.every((o) => o.startsWith('persistentvolumeclaim/')),
      detail:
        down.status === 0 ? `left: ${afterDown.join(', ') || 'nothing'}` : oneLine(`${down.stdout}${down.stderr}`, 200),
    });
    const downV = helm
      ? k.run(['delete', 'pvc', '-l', `app.kubernetes.io/instance=${RELEASE}`, '--wait=true'])
      : d.script('down.sh', ['-v']);
    const afterDownV = d.leftOver();
    d.results.push({
      name: `(f) ${helm ? 'kubectl delete pvc -l app.kubernetes.io/instance' : 'down.sh -v'} leaves nothing`,
      ok: downV.status === 0 && afterDownV.length === 0,
      detail: downV.status === 0 ? `left: ${afterDownV.join(', ') || 'nothing'}` : oneLine(failure(downV), 200),
    });
    return d.results;
  } finally {
    if (settings.keep) settings.log(`e2e: kept namespace ${d.name} and ${work} (E2E_KEEP=1)`);
    else {
      root.run(['delete', 'namespace', d.name, '--ignore-not-found', '--timeout=300s'], { timeoutMs: 320_000 });
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}
