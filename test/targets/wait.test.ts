/**
 * The wait of up.sh, run for real against a stand-in kubectl that answers each `kubectl get` with
 * the next canned table (as `-o custom-columns` prints it): one read per round for every workload,
 * one deadline for all, and a list of what is not ready, with what to run, when it passes.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { StackPlan } from '../../lib/targets/plan';
import { renderUpScript } from '../../lib/targets/scripts';

const plan: StackPlan = {
  name: 'shop',
  project: 'shop',
  objects: [],
  target: 'generic',
  namespace: 'shop',
  images: [],
  published: [],
  hostNetwork: [],
  ingressHosts: [],
  workloads: [
    { kind: 'Deployment', name: 'api' },
    { kind: 'StatefulSet', name: 'db' },
    { kind: 'DaemonSet', name: 'agent' },
    { kind: 'Job', name: 'migrate' },
  ],
  nodeMounts: [],
  sourceMounts: [],
  externalVolumes: [],
  projectDir: '..',
};

/**
 * Logs each call; `get` prints get.<n> (the last one once they run out); `!` first: fails with the
 * rest. The prune's `get -o name` (prune.test.ts) finds nothing to remove.
 */
const KUBECTL = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$STUB_DIR/calls.log"
case " $* " in
  *" -o name "*) ;;
  *" get "*)
    n=$(( $(cat "$STUB_DIR/gets" 2>/dev/null || echo 0) + 1 ))
    echo "$n" >"$STUB_DIR/gets"
    file="$STUB_DIR/get.$n"
    [ -f "$file" ] || file="$(ls "$STUB_DIR"/get.* | sort -t. -k2 -n | tail -1)"
    if [ "$(head -c1 "$file")" = '!' ]; then tail -c +2 "$file" >&2; exit 1; fi
    cat "$file"
    ;;
esac
exit 0
`;

/** A row as `kubectl get -o custom-columns` prints it: the columns of lib/targets/wait.ts, aligned. */
function row(kind: string, name: string, fields: Partial<Record<string, string | number>> = {}): string {
  const columns = ['gen', 'observed', 'desired', 'ready', 'updated', 'available', 'current'];
  const ds = ['dsDesired', 'dsReady', 'dsUpdated', 'dsAvailable'];
  const values = [kind, name, ...[...columns, ...ds, 'complete', 'failed'].map((c) => String(fields[c] ?? '<none>'))];
  return values.map((v) => v.padEnd(12)).join(' ');
}

const ready = {
  api: row('Deployment', 'api', { gen: 1, observed: 1, desired: 1, ready: 1, updated: 1, available: 1, current: 1 }),
  db: row('StatefulSet', 'db', { gen: 1, observed: 1, desired: 1, ready: 1, updated: 1, current: 1 }),
  agent: row('DaemonSet', 'agent', { gen: 1, observed: 1, dsDesired: 2, dsReady: 2, dsUpdated: 2, dsAvailable: 2 }),
  migrate: row('Job', 'migrate', { complete: 'True' }),
};

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: string[];
}

/** Runs up.sh with the canned answers, one table per `kubectl get`; `awk` may be busybox's. */
function runUp(answers: readonly string[][], env: Record<string, string> = {}, awk?: string): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'up-wait-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'kubectl'), KUBECTL, { mode: 0o755 });
  if (awk) fs.symlinkSync(awk, path.join(bin, 'awk'));
  answers.forEach((rows, i) => fs.writeFileSync(path.join(dir, `get.${i + 1}`), rows.join('\n') + '\n'));
  fs.writeFileSync(path.join(dir, 'up.sh'), renderUpScript(plan), { mode: 0o755 });
  const result = spawnSync('bash', [path.join(dir, 'up.sh')], {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, STUB_DIR: dir, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const log = path.join(dir, 'calls.log');
  const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const gets = (r: Run) => r.calls.filter((c) => c.includes(' get ') && !c.endsWith(' -o name'));

describe.each([
  ['the system awk', undefined],
  ['busybox awk', fs.existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : undefined],
])('with %s', (_name, awk) => {
  test('one kubectl get per round reads every workload; done when all are ready', () => {
    const starting = [
      row('Deployment', 'api', { gen: 1, observed: 1, desired: 1, current: 1, updated: 1 }),
      row('StatefulSet', 'db', { gen: 1, observed: 1, desired: 1, ready: 1, updated: 1, current: 1 }),
      ready.agent,
      row('Job', 'migrate'),
    ];
    const r = runUp([starting, Object.values(ready)], {}, awk);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('waiting for 2 of 4 workloads (600 s left): deployment/api job/migrate');
    expect(r.stdout).toContain('shop is up');
    expect(gets(r)).toHaveLength(2);
    expect(gets(r)[0]).toMatch(/^-n shop get deployment\/api statefulset\/db daemonset\/agent job\/migrate /);
    expect(r.calls.filter((c) => c.split(' ').some((w) => w === 'rollout' || w === 'wait'))).toEqual([]);
  });
});

test('when the time is up: what is not ready, ready/desired, and the commands that say why', () => {
  const stuck = [
    row('Deployment', 'api', { gen: 2, observed: 2, desired: 2, ready: 1, updated: 2, available: 1, current: 2 }),
    ready.agent,
    row('Job', 'migrate'),
  ];
  const r = runUp([stuck], { UP_WAIT_TIMEOUT: '1' });
  expect(r.status).toBe(1);
  expect(r.stdout).not.toContain('shop is up');
  expect(r.stderr.split('\n')).toEqual([
    'up.sh: not ready after 1 s (UP_WAIT_TIMEOUT=<seconds> waits longer):',
    '  deployment/api: 1/2 ready',
    '    see why: kubectl -n shop describe deployment/api; kubectl -n shop logs deployment/api --all-containers',
    '  job/migrate: not complete',
    '    see why: kubectl -n shop describe job/migrate; kubectl -n shop logs job/migrate --all-containers',
    '  statefulset/db: not found',
    '',
  ]);
});

test('a failed Job stops the wait at once', () => {
  const r = runUp([[ready.api, ready.db, ready.agent, row('Job', 'migrate', { failed: 'True' })]]);
  expect(r.status).toBe(1);
  expect(gets(r)).toHaveLength(1);
  expect(r.stderr).toContain('up.sh: a Job failed:\n  job/migrate: failed\n');
});

test('a rollout is done only when the controller saw the new spec and the old replicas are gone', () => {
  const rollout = [
    // Applied a second time: generation 2 not yet observed, the old replica set's pods still counted.
    [row('Deployment', 'api', { gen: 2, observed: 1, desired: 1, ready: 1, updated: 1, available: 1, current: 1 })],
    [row('Deployment', 'api', { gen: 2, observed: 2, desired: 1, ready: 1, updated: 1, available: 1, current: 2 })],
    [ready.api],
  ].map((rows) => [...rows, ready.db, ready.agent, ready.migrate]);
  const r = runUp(rollout);
  expect(r.status).toBe(0);
  expect(gets(r)).toHaveLength(3);
});

test('a failed read of the API is waited out, then reported', () => {
  const r = runUp([['!error: the server is currently unable to handle the request']], { UP_WAIT_TIMEOUT: '1' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('  kubectl get: error: the server is currently unable to handle the request');
  expect(r.stderr).not.toContain('see why');
});

test('no workload to wait for (only CronJobs): no wait', () => {
  expect(renderUpScript({ ...plan, workloads: [] })).not.toContain('wait_for_workloads');
});

/**
 * The same wait against the real kubectl, talking to a stand-in API server that holds the
 * workloads as JSON: the custom columns (filters on conditions included), several kinds in one
 * `get`, and `--ignore-not-found` are read as kubectl really prints them.
 */
const kubectlPath = spawnSync('bash', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();

const RESOURCES: Record<string, { group: string; kind: string }> = {
  deployments: { group: 'apps/v1', kind: 'Deployment' },
  statefulsets: { group: 'apps/v1', kind: 'StatefulSet' },
  daemonsets: { group: 'apps/v1', kind: 'DaemonSet' },
  jobs: { group: 'batch/v1', kind: 'Job' },
};

function apiServer(objects: Map<string, unknown>): Promise<{ url: string; close: () => void }> {
  const discovery = (groupVersion: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: Object.entries(RESOURCES)
      .filter(([, r]) => r.group === groupVersion)
      .map(([name, r]) => ({ name, singularName: '', namespaced: true, kind: r.kind, verbs: ['get', 'list'] })),
  });
  const group = (name: string) => ({
    name,
    versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
    preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
  });
  const routes: Record<string, unknown> = {
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [group('apps'), group('batch')] },
    '/api/v1': { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: [] },
    '/apis/apps/v1': discovery('apps/v1'),
    '/apis/batch/v1': discovery('batch/v1'),
  };
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0];
    const m = /^\/apis\/(?:apps|batch)\/v1\/namespaces\/shop\/(\w+)\/([\w-]+)$/.exec(url);
    const body = m ? objects.get(`${m[1]}/${m[2]}`) : routes[url];
    res.setHeader('Content-Type', 'application/json');
    if (body === undefined) {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
      return;
    }
    res.end(JSON.stringify(body));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => server.close() });
    }),
  );
}

function workload(resource: string, name: string, spec: object, status: object, generation = 1): [string, object] {
  const { group, kind } = RESOURCES[resource];
  return [
    `${resource}/${name}`,
    { apiVersion: group, kind, metadata: { name, namespace: 'shop', generation }, spec, status },
  ];
}

(kubectlPath ? describe : describe.skip)('with the real kubectl', () => {
  async function upWithKubectl(objects: Map<string, unknown>, env: Record<string, string> = {}) {
    const server = await apiServer(objects);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'up-kubectl-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // Everything but the apply goes to kubectl itself; the rerun of Jobs and the prune, which
    // this API server cannot answer (prune.test.ts runs them), find nothing to do.
    fs.writeFileSync(
      path.join(bin, 'kubectl'),
      `#!/usr/bin/env bash\n[ "$1" = apply ] && exit 0\ncase " $* " in *" delete "* | *" -o name "*) exit 0 ;; esac\nexec ${kubectlPath} "$@"\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(dir, 'kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server.url}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`,
    );
    fs.writeFileSync(path.join(dir, 'up.sh'), renderUpScript(plan), { mode: 0o755 });
    const child = spawn('bash', [path.join(dir, 'up.sh')], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, KUBECONFIG: path.join(dir, 'kubeconfig'), HOME: dir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    server.close();
    return { status, stdout, stderr };
  }

  const selector = { matchLabels: { app: 'x' } };
  const readyObjects = () =>
    new Map<string, unknown>([
      workload(
        'deployments',
        'api',
        { replicas: 1, selector },
        { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
      ),
      workload(
        'statefulsets',
        'db',
        { replicas: 1, selector },
        { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1 },
      ),
      workload(
        'daemonsets',
        'agent',
        { selector },
        {
          observedGeneration: 1,
          desiredNumberScheduled: 1,
          numberReady: 1,
          updatedNumberScheduled: 1,
          numberAvailable: 1,
        },
      ),
      workload('jobs', 'migrate', {}, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }),
    ]);

  test('every workload ready: up.sh finishes', async () => {
    const r = await upWithKubectl(readyObjects());
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toContain('shop is up');
  }, 30_000);

  test('a failed Job stops the wait; what is not ready or missing is listed with it', async () => {
    const objects = readyObjects();
    objects.set(
      ...workload(
        'deployments',
        'api',
        { replicas: 2, selector },
        { observedGeneration: 1, replicas: 2, readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
      ),
    );
    objects.set(...workload('jobs', 'migrate', {}, { failed: 1, conditions: [{ type: 'Failed', status: 'True' }] }));
    objects.delete('statefulsets/db');
    const r = await upWithKubectl(objects, { UP_WAIT_TIMEOUT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('up.sh: a Job failed:\n');
    expect(r.stderr).toContain('  deployment/api: 1/2 ready\n');
    expect(r.stderr).toContain('  job/migrate: failed\n');
    expect(r.stderr).toContain('  statefulset/db: not found\n');
  }, 30_000);
});
