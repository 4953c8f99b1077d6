/**
 * The checks of examples/real-world on a cluster: what real self-hosted stacks need beyond the
 * shop. A port the image listens on without Compose declaring it answers by the service's name; a
 * database on a host directory is rolled out twice without two copies ever running on it, and
 * keeps its rows; a postgres whose new claim sits on a filesystem root holding lost+found starts
 * (its initdb refuses a directory that is not empty); the route of Traefik's labels is an Ingress
 * whose backend answers from inside the cluster, as an ingress controller reaches it.
 *
 * The preparation does on the node what a user does on theirs: the project directory mounted
 * where the manifests expect it (`minikube mount`, kind's extraMounts: here the node is this
 * machine, so a symbolic link to a scratch copy), and, for the claim, a PersistentVolume bound in
 * advance whose root holds lost+found as a new ext4 filesystem's does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { check, oneLine, type CheckResult } from './check-kit';
import { CheckerPod } from './checker-pod';
import { condition, failure, Kubectl, REPO_ROOT, type KubeObject } from './cluster';

export const REAL_WORLD_DIR = path.join(REPO_ROOT, 'examples', 'real-world');
export const REAL_WORLD_COMPOSE_FILE = path.join(REAL_WORLD_DIR, 'compose.yaml');

/** Where the node finds the project (lib/translate/bind-mounts.ts NODE_ROOT). */
const NODE_PROJECT = '/compose-cdk8s/project';
const CLAIM = 'claimdata';
const BUSYBOX = 'busybox:1.36';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the preparation did, for the checks and the cleanup. */
export interface RealWorldSetup {
  /** Why the node could not be prepared (the checks needing it fail with this reason). */
  readonly problem?: string;
  readonly volumeName?: string;
  readonly volumeDir?: string;
  readonly cleanup: () => void;
}

/** The node is this machine when one of its addresses is the node's: then its paths are ours. */
function nodeIsThisMachine(kubectl: Kubectl): boolean {
  const local = new Set(
    Object.values(os.networkInterfaces())
      .flat()
      .map((a) => a?.address),
  );
  return kubectl
    .items('nodes')
    .some((n) => (n.status?.addresses ?? []).some((a) => a.type === 'InternalIP' && local.has(a.address)));
}

function defaultStorageClass(kubectl: Kubectl): string | undefined {
  const classes = kubectl.json<{
    items: { metadata: { name: string; annotations?: Record<string, string> } }[];
  }>(['get', 'storageclass']).items;
  return classes.find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')
    ?.metadata.name;
}

export function prepareRealWorld(kubectl: Kubectl, namespace: string, log: (line: string) => void): RealWorldSetup {
  if (!nodeIsThisMachine(kubectl))
    return { problem: 'the node is not this machine: its paths cannot be prepared from here', cleanup: () => {} };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-e2e-project-'));
  fs.cpSync(REAL_WORLD_DIR, scratch, { recursive: true });
  fs.mkdirSync(path.dirname(NODE_PROJECT), { recursive: true });
  const previous = fs.lstatSync(NODE_PROJECT, { throwIfNoEntry: false });
  const aside = `${NODE_PROJECT}.before-e2e-${Date.now()}`;
  if (previous && !previous.isSymbolicLink()) fs.renameSync(NODE_PROJECT, aside);
  else if (previous) fs.unlinkSync(NODE_PROJECT);
  fs.symlinkSync(scratch, NODE_PROJECT);
  log(`  ${NODE_PROJECT} -> ${scratch} (as minikube mount would)`);

  // A new ext4 filesystem: an empty lost+found, root's only, at the root of the volume.
  const volumeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-e2e-pv-'));
  fs.mkdirSync(path.join(volumeDir, 'lost+found'), { mode: 0o700 });
  const volumeName = `${namespace}-${CLAIM}`;
  const storageClassName = defaultStorageClass(kubectl) ?? '';
  const pv = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeName, labels: { 'compose-cdk8s.io/e2e': namespace } },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName,
      hostPath: { path: volumeDir, type: 'Directory' },
      claimRef: { namespace, name: CLAIM },
    },
  };
  const created = kubectl.run(['apply', '-f', '-'], { input: JSON.stringify(pv) });
  const problem = created.status === 0 ? undefined : `PersistentVolume ${volumeName} not created: ${failure(created)}`;
  log(`  PersistentVolume ${volumeName} (${volumeDir}, holding lost+found) bound in advance to claim ${CLAIM}`);
  return {
    problem,
    volumeName,
    volumeDir,
    cleanup: () => {
      kubectl.run(['delete', 'persistentvolume', volumeName, '--ignore-not-found', '--wait=false']);
      if (fs.lstatSync(NODE_PROJECT, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(NODE_PROJECT);
      if (fs.existsSync(aside)) fs.renameSync(aside, NODE_PROJECT);
      // The databases wrote as their own users: removing needs the rights we have (root here).
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.rmSync(volumeDir, { recursive: true, force: true });
    },
  };
}

const podsOf = (kubectl: Kubectl, service: string): KubeObject[] =>
  kubectl.items('pods', `app.kubernetes.io/name=${service}`);

function execIn(kubectl: Kubectl, service: string, command: readonly string[], timeoutMs = 30_000) {
  const pod = podsOf(kubectl, service).find((p) => condition(p, 'Ready') === 'True');
  if (!pod) return { status: 1, stdout: '', stderr: `no ready ${service} pod` };
  return kubectl.run(['exec', pod.metadata.name, '-c', service, '--', ...command], { timeoutMs });
}

const psql = (kubectl: Kubectl, service: string, sql: string) =>
  execIn(kubectl, service, ['psql', '-U', 'postgres', '-tAc', sql]);

/**
 * Restarts the Deployment and watches its pods until the rollout is done: the most pods that
 * existed at once (a Recreate rollout deletes the old pod before it creates the new one).
 */
async function rolloutWatching(
  kubectl: Kubectl,
  deployment: string,
): Promise<{ ok: boolean; most: number; detail: string }> {
  const restarted = kubectl.run(['rollout', 'restart', `deployment/${deployment}`]);
  if (restarted.status !== 0) return { ok: false, most: 0, detail: failure(restarted) };
  let most = 0;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    most = Math.max(most, podsOf(kubectl, deployment).length);
    const d = kubectl.json<KubeObject>(['get', `deployment/${deployment}`]);
    const s = d.status ?? {};
    const done =
      (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      s.updatedReplicas === (d.spec?.replicas ?? 1) &&
      s.availableReplicas === (d.spec?.replicas ?? 1) &&
      (s.replicas ?? 0) === (d.spec?.replicas ?? 1);
    if (done && podsOf(kubectl, deployment).length === 1) return { ok: true, most, detail: '' };
    await sleep(300);
  }
  return { ok: false, most, detail: 'rollout not done within 180s' };
}

export async function runRealWorldChecks(kubectl: Kubectl, setup: RealWorldSetup): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  results.push(
    await check('worker reaches broker:5679, a port broker does not declare', () => {
      const forwarded = (kubectl.json<KubeObject>(['get', 'service/broker']).spec?.ports ?? []).map((p) => p.port);
      const r = execIn(kubectl, 'worker', ['sh', '-c', 'wget -q -O /dev/null -T 5 "$BROKER_URI"']);
      return {
        ok: r.status === 0,
        detail: `Service broker forwards ${forwarded.join(', ')}; wget $BROKER_URI (http://broker:5679) ${r.status === 0 ? 'answered' : `failed: ${oneLine(failure(r), 120)}`}`,
      };
    }),
  );

  results.push(
    await check('hostdb (host directory) rolled out twice: never two copies, rows kept', async () => {
      if (setup.problem) return { ok: false, detail: setup.problem };
      const strategy = (
        kubectl.json<KubeObject & { spec: { strategy?: { type?: string } } }>(['get', 'deployment/hostdb']).spec
          .strategy ?? {}
      ).type;
      const written = psql(kubectl, 'hostdb', 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (42);');
      if (written.status !== 0) return { ok: false, detail: `cannot write a row: ${failure(written)}` };
      const rollouts = [await rolloutWatching(kubectl, 'hostdb'), await rolloutWatching(kubectl, 'hostdb')];
      let read = psql(kubectl, 'hostdb', 'SELECT x FROM kept');
      for (let i = 0; i < 20 && read.status !== 0; i++) {
        await sleep(2000);
        read = psql(kubectl, 'hostdb', 'SELECT x FROM kept');
      }
      const most = Math.max(...rollouts.map((r) => r.most));
      const failed = rollouts.find((r) => !r.ok);
      return {
        ok: strategy === 'Recreate' && !failed && most === 1 && read.stdout.trim() === '42',
        detail: `strategy ${String(strategy)}; at most ${most} pod(s) at once over 2 rollouts${failed ? ` (${failed.detail})` : ''}; row after: ${oneLine(read.stdout || failure(read), 60)}`,
      };
    }),
  );

  results.push(
    await check('claimdb starts on a new claim whose filesystem root held lost+found', () => {
      if (setup.problem) return { ok: false, detail: setup.problem };
      const claim = kubectl.json<KubeObject & { spec: { volumeName?: string } }>(['get', `pvc/${CLAIM}`]);
      const ready = podsOf(kubectl, 'claimdb').some((p) => condition(p, 'Ready') === 'True');
      const listed = execIn(kubectl, 'claimdb', ['ls', '-A', '/var/lib/postgresql/data']);
      const entries = listed.stdout.split('\n').filter(Boolean);
      const answer = psql(kubectl, 'claimdb', 'SELECT 1');
      return {
        ok:
          claim.spec.volumeName === setup.volumeName &&
          ready &&
          answer.stdout.trim() === '1' &&
          entries.includes('PG_VERSION'),
        detail: `claim bound to ${String(claim.spec.volumeName)}; claimdb Ready=${String(ready)}; data dir: ${oneLine(entries.join(' '), 80)}; SELECT 1 -> ${oneLine(answer.stdout || failure(answer), 40)}`,
      };
    }),
  );

  results.push(
    await check("Traefik's route is an Ingress whose backend answers from inside the cluster", () => {
      const ingress = kubectl.json<{
        spec: {
          rules?: {
            host?: string;
            http?: { paths: { path?: string; backend: { service?: { name: string; port: { number?: number } } } }[] };
          }[];
        };
      }>(['get', 'ingress/whoami']);
      const rule = ingress.spec.rules?.[0];
      const route = rule?.http?.paths[0];
      const backend = route?.backend.service;
      if (!rule || !route || !backend) return { ok: false, detail: 'the Ingress has no rule' };
      // An ingress controller is no member of the stack's networks: the checker is not either.
      const probe = CheckerPod.start(kubectl, { name: 'e2e-ingress-probe', image: BUSYBOX, labels: {} });
      try {
        const url = `http://${backend.name}:${String(backend.port.number)}${route.path ?? '/'}`;
        const r = probe.sh('wget -q -O /dev/null -T 5 "$1"', [url]);
        return {
          ok: rule.host === 'who.localhost' && r.status === 0,
          detail: `host ${String(rule.host)} path ${String(route.path)} -> ${url} ${r.status === 0 ? 'answered' : `failed: ${oneLine(failure(r), 100)}`}`,
        };
      } finally {
        probe.delete();
      }
    }),
  );
  return results;
}
