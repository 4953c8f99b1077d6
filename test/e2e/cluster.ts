/**
 * kubectl helpers for the end-to-end runs (`npm run e2e`, test/e2e/up-kind.test.ts): run kubectl
 * against the current KUBECONFIG (or a given context), convert an example with the CLI, wait for a
 * stack to come up, explain why it did not, and run commands in short-lived checker pods.
 * Everything goes through the kubectl binary, as a user would: no client library.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface RunResult {
  /** Exit code; null when the process could not start or was killed (see `error`). */
  status: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const r = spawnSync(command, args, {
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
    env: options.env ?? process.env,
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const error = r.error
    ? r.error.message
    : r.signal
      ? `killed by ${r.signal} (timeout ${options.timeoutMs ?? 60_000} ms?)`
      : undefined;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(error ? { error } : {}) };
}

/**
 * One line saying why a command failed: its error, or the first lines of its stderr (where tools
 * put the cause), without kubectl exec's own "command terminated with exit code N".
 */
export function failure(r: RunResult): string {
  if (r.error) return r.error;
  const lines = (r.stderr.trim() ? r.stderr : r.stdout)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^command terminated with exit code \d+$/.test(l));
  const err = lines.slice(0, 3).join(' | ');
  return `exit ${r.status}${err ? `: ${err}` : ''}`;
}

export const hasCommand = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

export interface KubectlOptions {
  namespace?: string;
  /** kubeconfig context; default: the current one. */
  context?: string;
}

export class Kubectl {
  constructor(readonly options: KubectlOptions = {}) {}

  inNamespace(namespace: string): Kubectl {
    return new Kubectl({ ...this.options, namespace });
  }

  get namespace(): string {
    if (!this.options.namespace) throw new Error('Kubectl has no namespace');
    return this.options.namespace;
  }

  run(args: readonly string[], options: RunOptions = {}): RunResult {
    const global: string[] = [];
    if (this.options.context) global.push('--context', this.options.context);
    if (this.options.namespace) global.push('-n', this.options.namespace);
    return run('kubectl', [...global, ...args], options);
  }

  /** Runs and parses `-o json` output; throws with kubectl's error. */
  json<T = KubeObject>(args: readonly string[], options: RunOptions = {}): T {
    const r = this.run([...args, '-o', 'json'], options);
    if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${failure(r)}`);
    return JSON.parse(r.stdout) as T;
  }

  items(kinds: string, selector?: string): KubeObject[] {
    const args = ['get', kinds, ...(selector ? ['-l', selector] : [])];
    return this.json<{ items: KubeObject[] }>(args).items;
  }
}

/** The parts of Kubernetes objects the e2e code reads. */
export interface KubeObject {
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    generation?: number;
    ownerReferences?: { kind: string; name: string }[];
  };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } };
    ports?: { name?: string; port: number; nodePort?: number }[];
    type?: string;
    initContainers?: { name: string; image?: string }[];
    containers?: { name: string }[];
  };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    completionTime?: string;
    succeeded?: number;
    failed?: number;
    phase?: string;
    addresses?: { type: string; address: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: {
    running?: { startedAt: string };
    waiting?: { reason?: string; message?: string };
    terminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string };
  };
  lastState?: { terminated?: { exitCode: number; startedAt?: string; finishedAt?: string } };
}

export const condition = (o: KubeObject, type: string): string | undefined =>
  o.status?.conditions?.find((c) => c.type === type)?.status;

/**
 * Why the current kubectl configuration cannot run the e2e test, or undefined when a cluster
 * answers: kubectl must be on the PATH, the API server must answer `kubectl version` and report
 * itself ready on /readyz.
 */
export function clusterUnavailable(kubectl: Kubectl): string | undefined {
  if (!hasCommand('kubectl')) return 'kubectl is not on the PATH';
  const version = kubectl.run(['version', '-o', 'json', '--request-timeout=10s'], { timeoutMs: 20_000 });
  let server: { gitVersion?: string } | undefined;
  try {
    server = (JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion;
  } catch {
    server = undefined;
  }
  const kubeconfig = process.env.KUBECONFIG ? ` (KUBECONFIG=${process.env.KUBECONFIG})` : '';
  if (!server) return `no cluster answers 'kubectl version'${kubeconfig}: ${failure(version)}`;
  const ready = kubectl.run(['get', '--raw', '/readyz', '--request-timeout=10s'], { timeoutMs: 20_000 });
  if (ready.status !== 0 || ready.stdout.trim() !== 'ok') {
    return `the API server ${server.gitVersion ?? ''} is not ready (/readyz): ${failure(ready)}`;
  }
  return undefined;
}

export interface ConvertOptions {
  composeFile: string;
  target: string;
  namespace: string;
  outDir: string;
  /** `helm`: a chart (convert --format helm) instead of plain manifests. */
  format?: 'yaml' | 'helm';
  /** `external`: convert --secrets external, the Secrets then created as up.sh creates them. */
  secrets?: 'inline' | 'external';
}

/**
 * Whether the CLI runs from build/ (E2E_FROM_BUILD=1) rather than from the TypeScript sources.
 * The default is the sources: bin/compose-cdk8s.js prefers build/ when it exists, and a build/
 * older than the working tree would make the e2e run test stale code.
 */
export const cliFromBuild = (): boolean => process.env.E2E_FROM_BUILD === '1';

/** Converts a Compose project with the CLI, as a user would (bin/compose-cdk8s.js). */
export function convertWithCli(options: ConvertOptions): RunResult {
  const cli = path.join(REPO_ROOT, 'bin', 'compose-cdk8s.js');
  const args = [cli, 'convert', '-f', options.composeFile, '--target', options.target];
  args.push('-n', options.namespace, '-o', options.outDir, '--no-color');
  if (options.format === 'helm') args.push('--format', 'helm');
  if (options.secrets === 'external') args.push('--secrets', 'external');
  const env = { ...process.env };
  if (cliFromBuild()) delete env.COMPOSE_CDK8S_FROM_SOURCE;
  else env.COMPOSE_CDK8S_FROM_SOURCE = '1';
  return run(process.execPath, args, { timeoutMs: 120_000, cwd: REPO_ROOT, env });
}

/**
 * What up.sh does before applying a `--secrets external` stack: its namespace, then the Secrets
 * printed by the compose-cdk8s command it names (run with this checkout's CLI), into the cluster.
 */
export function createExternalSecrets(outDir: string, kubectl: { run: Kubectl['run'] }): RunResult {
  const up = fs.readFileSync(path.join(outDir, 'up.sh'), 'utf8').split('\n');
  const line = up.find((l) => l.includes('--secrets only'));
  // A stack without Secrets has no such step.
  if (!line) return { status: 0, stdout: '', stderr: '' };
  const namespace = up.find((l) => l.startsWith('kubectl create namespace '));
  if (namespace) kubectl.run(['create', 'namespace', namespace.split(' ')[3]], { timeoutMs: 60_000 });
  const args = line.split(' | ')[0].split('} ')[1].split(' ');
  const env = { ...process.env };
  if (cliFromBuild()) delete env.COMPOSE_CDK8S_FROM_SOURCE;
  else env.COMPOSE_CDK8S_FROM_SOURCE = '1';
  const printed = run(process.execPath, [path.join(REPO_ROOT, 'bin', 'compose-cdk8s.js'), ...args], {
    timeoutMs: 120_000,
    cwd: outDir,
    env,
  });
  if (printed.status !== 0) return printed;
  const secrets = path.join(os.tmpdir(), `e2e-secrets-${process.pid}.yaml`);
  fs.writeFileSync(secrets, printed.stdout, { mode: 0o600 });
  try {
    return kubectl.run(['apply', '-f', secrets], { timeoutMs: 60_000 });
  } finally {
    fs.rmSync(secrets, { force: true });
  }
}

/** A fresh namespace name: e2e-<6 hex>. */
export function freshNamespace(prefix = 'e2e'): string {
  return `${prefix}-${Math.random().toString(16).slice(2, 8).padEnd(6, '0')}`;
}

/** The nodePorts a generated stack directory asks for (its manifests.yaml, or a chart's rendering). */
export function requestedNodePorts(outDir: string, rendered?: string): number[] {
  const ports: number[] = [];
  const text = rendered ?? fs.readFileSync(path.join(outDir, 'manifests.yaml'), 'utf8');
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as KubeObject | null;
    if (o?.kind !== 'Service') continue;
    for (const p of o.spec?.ports ?? []) if (p.nodePort) ports.push(p.nodePort);
  }
  return ports;
}

/**
 * Waits until no Service of a Terminating namespace (a previous run being deleted) holds one of
 * `ports`; returns the Services of live namespaces that still hold one (apply will fail on them).
 */
export async function waitForNodePorts(
  kubectl: Kubectl,
  ports: readonly number[],
  timeoutSeconds: number,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const start = Date.now();
  let logged = false;
  for (;;) {
    const terminating = new Set(
      kubectl
        .items('namespaces')
        .filter((n) => n.status?.phase === 'Terminating')
        .map((n) => n.metadata.name),
    );
    const holders = kubectl
      .json<{ items: KubeObject[] }>(['get', 'services', '--all-namespaces'])
      .items.filter((svc) => svc.spec?.ports?.some((p) => p.nodePort !== undefined && ports.includes(p.nodePort)));
    const dying = holders.filter((svc) => terminating.has(svc.metadata.namespace ?? ''));
    const live = holders.filter((svc) => !terminating.has(svc.metadata.namespace ?? ''));
    const name = (svc: KubeObject) => `${svc.metadata.namespace}/${svc.metadata.name}`;
    if (dying.length === 0 || Date.now() - start > timeoutSeconds * 1000) return live.map(name);
    if (!logged) log(`  waiting for namespace(s) being deleted to free nodePorts: ${dying.map(name).join(', ')}`);
    logged = true;
    await sleep(3000);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StackState {
  /** Every Deployment Available, StatefulSet and DaemonSet ready, and every Job Complete. */
  up: boolean;
  /** A Job failed (backoffLimit reached): waiting longer cannot help. */
  failed: boolean;
  /** What is still missing, e.g. `deployment/api 0/1 available`. */
  pending: string[];
  workloads: number;
}

export function stackState(kubectl: Kubectl): StackState {
  const pending: string[] = [];
  let failed = false;
  const deployments = kubectl.items('deployments');
  for (const d of deployments) {
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    const done =
      (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      (s.updatedReplicas ?? 0) === want &&
      (s.availableReplicas ?? 0) === want &&
      condition(d, 'Available') === 'True';
    if (!done) pending.push(`deployment/${d.metadata.name} ${s.availableReplicas ?? 0}/${want} available`);
  }
  const statefulSets = kubectl.items('statefulsets');
  for (const st of statefulSets) {
    const want = st.spec?.replicas ?? 1;
    const ready = st.status?.readyReplicas ?? 0;
    if (ready !== want) pending.push(`statefulset/${st.metadata.name} ${ready}/${want} ready`);
  }
  const daemonSets = kubectl.items('daemonsets');
  for (const ds of daemonSets) {
    const want = ds.status?.desiredNumberScheduled ?? 0;
    const ready = ds.status?.numberReady ?? 0;
    if (want === 0 || ready !== want) pending.push(`daemonset/${ds.metadata.name} ${ready}/${want} ready`);
  }
  const jobs = kubectl.items('jobs');
  for (const j of jobs) {
    if (condition(j, 'Complete') === 'True') continue;
    if (condition(j, 'Failed') === 'True') {
      failed = true;
      pending.push(`job/${j.metadata.name} failed`);
    } else {
      pending.push(`job/${j.metadata.name} not complete`);
    }
  }
  const workloads = deployments.length + statefulSets.length + daemonSets.length + jobs.length;
  return { up: pending.length === 0 && workloads > 0, failed, pending, workloads };
}

/**
 * Waits until every Deployment is Available and every Job Complete, a Job fails, or the timeout.
 * Polls with `kubectl get` (not `kubectl wait`) so one call covers all workloads and a failed Job
 * ends the wait at once.
 */
export async function waitForStack(
  kubectl: Kubectl,
  timeoutSeconds: number,
  log: (line: string) => void = () => undefined,
): Promise<StackState & { seconds: number }> {
  const start = Date.now();
  let last = '';
  let state: StackState = { up: false, failed: false, pending: ['nothing read yet'], workloads: 0 };
  for (;;) {
    try {
      state = stackState(kubectl);
    } catch (e) {
      state = { up: false, failed: false, pending: [(e as Error).message], workloads: 0 };
    }
    const seconds = Math.round((Date.now() - start) / 1000);
    if (state.up || state.failed || seconds >= timeoutSeconds) return { ...state, seconds };
    const now = state.pending.join(', ');
    if (now !== last) log(`  [${seconds}s] waiting: ${now}`);
    last = now;
    await sleep(3000);
  }
}

/** `Running`, `Init:wait-for-db running`, `CrashLoopBackOff`... like the STATUS of kubectl get pods. */
export function podState(pod: KubeObject): string {
  const init = pod.status?.initContainerStatuses?.find(
    (c) => !c.state?.terminated || c.state.terminated.exitCode !== 0,
  );
  if (init && pod.status?.phase === 'Pending') {
    return `Init:${init.name} ${init.state?.waiting?.reason ?? (init.state?.running ? 'running' : 'failed')}`;
  }
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
  return waiting ?? pod.status?.phase ?? 'unknown';
}

/** The pods that are neither ready nor done, with their state: `api-7d9 Init:wait-for-cache running`. */
export function stuckPods(kubectl: Kubectl): string[] {
  return kubectl
    .items('pods')
    .filter((p) => p.status?.phase !== 'Succeeded' && condition(p, 'Ready') !== 'True')
    .map((p) => `${p.metadata.name} ${podState(p)}`);
}

/**
 * Why the stack is not up: pods, a describe of each pod that is not ready (or not Succeeded),
 * and the logs of their init containers and containers, for the report of a failed run.
 */
export function diagnose(kubectl: Kubectl): string {
  const out: string[] = [];
  const section = (title: string, r: RunResult) => {
    out.push(`----- ${title}`, (r.stdout + (r.status === 0 ? '' : r.stderr)).trimEnd());
  };
  section('kubectl get pods -o wide', kubectl.run(['get', 'pods', '-o', 'wide']));
  let pods: KubeObject[] = [];
  try {
    pods = kubectl.items('pods');
  } catch (e) {
    out.push(`cannot list pods: ${(e as Error).message}`);
  }
  for (const pod of pods) {
    const phase = pod.status?.phase;
    const ready = condition(pod, 'Ready') === 'True';
    if (phase === 'Succeeded' || ready) continue;
    const name = pod.metadata.name;
    section(`kubectl describe pod ${name}`, kubectl.run(['describe', 'pod', name]));
    for (const c of pod.spec?.initContainers ?? []) {
      const status = pod.status?.initContainerStatuses?.find((s) => s.name === c.name);
      if (!status || status.state?.waiting) continue; // not started yet: no logs
      section(`logs ${name} -c ${c.name} (init)`, kubectl.run(['logs', name, '-c', c.name, '--tail=15']));
    }
    for (const c of pod.spec?.containers ?? []) {
      const status = pod.status?.containerStatuses?.find((s) => s.name === c.name);
      if (!status || status.state?.waiting?.reason === 'PodInitializing') continue;
      section(`logs ${name} -c ${c.name}`, kubectl.run(['logs', name, '-c', c.name, '--tail=40']));
      if (status.restartCount > 0) {
        section(
          `logs ${name} -c ${c.name} --previous`,
          kubectl.run(['logs', name, '-c', c.name, '--previous', '--tail=40']),
        );
      }
    }
  }
  const events = kubectl.run(['get', 'events', '--sort-by=.lastTimestamp']);
  const lines = events.stdout.trimEnd().split('\n');
  section('kubectl get events (warnings and the last 20)', {
    ...events,
    stdout: [lines[0], ...lines.slice(1).filter((l, i) => / Warning /.test(l) || i >= lines.length - 21)].join('\n'),
  });
  return out.join('\n');
}
