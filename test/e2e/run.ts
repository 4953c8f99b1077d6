/**
 * `npm run e2e`: for each example stack (examples/shop: behaves as under `docker compose up`,
 * test/e2e/checks.ts; examples/kompose-labels: kompose's labels do at run time what kompose users
 * expect, test/e2e/kompose-checks.ts; examples/networks: start-order waits across NetworkPolicies,
 * test/e2e/network-checks.ts; examples/real-world: undeclared ports, a database on a host
 * directory rolled out, a claim holding lost+found, Traefik's labels, test/e2e/real-world-checks.ts),
 * converts it with the CLI, applies it to the cluster of the
 * current KUBECONFIG in a fresh namespace, waits for it, runs its checks, prints a table and
 * deletes the namespace.
 *
 * Environment: E2E_TARGET (kind|minikube|generic, default minikube: NodePort Services for the
 * published ports), E2E_TIMEOUT (seconds to wait for the stack, default 300), E2E_KEEP=1 (keep
 * the namespace and the output directory to look around), E2E_FROM_BUILD=1 (convert with the
 * compiled CLI in build/ instead of the TypeScript sources), E2E_FORMAT=helm (convert to a Helm
 * chart and `helm install` it, with the helm binary the tests use, instead of kubectl apply -k),
 * E2E_SECRETS=external (convert with --secrets external and create the Secrets as up.sh does,
 * from the project's files, before applying), E2E_STACKS (comma-separated, default
 * shop,kompose-labels,networks,real-world,day-two; day-two: the shop changed, re-applied, hurt and
 * torn down, test/e2e/day-two.ts).
 * Exit codes: 0 all checks passed, or skipped (no kubectl, no cluster); 1 a check failed (or a
 * harness error); 2 an invalid E2E_* variable.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { findHelm } from '../support/helm';
import { runDayTwo } from './day-two';
import { formatResults, runShopChecks, CheckResult } from './checks';
import { readKomposeFacts, runKomposeChecks } from './kompose-checks';
import { NETWORKS_COMPOSE_FILE, runNetworkChecks } from './network-checks';
import {
  prepareRealWorld,
  REAL_WORLD_COMPOSE_FILE,
  runRealWorldChecks,
  type RealWorldSetup,
} from './real-world-checks';
import { readShopFacts } from './shop-facts';
import {
  cliFromBuild,
  clusterUnavailable,
  convertWithCli,
  createExternalSecrets,
  diagnose,
  failure,
  freshNamespace,
  Kubectl,
  requestedNodePorts,
  stuckPods,
  waitForNodePorts,
  waitForStack,
} from './cluster';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Not a stack of its own: the shop, changed and re-applied as users do after the first up (day-two.ts). */
const DAY_TWO = 'day-two';

/** An example stack: its Compose file and the checks of its converted form on the cluster. */
interface Stack {
  readonly name: string;
  readonly composeFile: string;
  readonly check: (kubectl: Kubectl) => Promise<CheckResult[]>;
  /** What the user does on their node before applying; returns how to undo it. */
  readonly prepare?: (kubectl: Kubectl, namespace: string) => () => void;
}

const STACKS: Readonly<Record<string, () => Stack>> = {
  shop: () => {
    const facts = readShopFacts();
    return {
      name: 'shop',
      composeFile: facts.composeFile,
      check: (kubectl) => runShopChecks({ kubectl, facts, log }),
    };
  },
  'kompose-labels': () => {
    const facts = readKomposeFacts();
    return {
      name: 'kompose-labels',
      composeFile: facts.composeFile,
      check: (kubectl) => runKomposeChecks(kubectl, facts),
    };
  },
  networks: () => ({
    name: 'networks',
    composeFile: NETWORKS_COMPOSE_FILE,
    check: (kubectl) => runNetworkChecks(kubectl),
  }),
  'real-world': () => {
    let setup: RealWorldSetup = { problem: 'the node was not prepared', cleanup: () => {} };
    return {
      name: 'real-world',
      composeFile: REAL_WORLD_COMPOSE_FILE,
      prepare: (kubectl, namespace) => {
        setup = prepareRealWorld(kubectl, namespace, log);
        return setup.cleanup;
      },
      check: (kubectl) => runRealWorldChecks(kubectl, setup),
    };
  },
};

interface Settings {
  readonly target: string;
  readonly timeout: number;
  readonly keep: boolean;
  readonly format: 'yaml' | 'helm';
  readonly helm?: string;
  readonly secrets: 'inline' | 'external';
}

async function main(): Promise<number> {
  const kubectl = new Kubectl();
  const reason = clusterUnavailable(kubectl);
  if (reason) {
    log(`e2e: skipped: ${reason}`);
    return 0;
  }

  const target = process.env.E2E_TARGET || 'minikube';
  const timeout = Number(process.env.E2E_TIMEOUT || 300);
  if (!(timeout > 0)) {
    log(`e2e: E2E_TIMEOUT must be a number of seconds, not ${JSON.stringify(process.env.E2E_TIMEOUT)}`);
    return 2;
  }
  const keep = process.env.E2E_KEEP === '1';
  const format = process.env.E2E_FORMAT || 'yaml';
  if (format !== 'yaml' && format !== 'helm') {
    log(`e2e: E2E_FORMAT must be yaml or helm, not ${JSON.stringify(format)}`);
    return 2;
  }
  const secrets = process.env.E2E_SECRETS || 'inline';
  if ((secrets !== 'inline' && secrets !== 'external') || (secrets === 'external' && format === 'helm')) {
    log(`e2e: E2E_SECRETS must be inline or external (external with E2E_FORMAT=yaml), not ${JSON.stringify(secrets)}`);
    return 2;
  }
  const helm = format === 'helm' ? findHelm() : undefined;
  if (helm && helm.helm === undefined) {
    log(`e2e: skipped: E2E_FORMAT=helm but no helm binary: ${helm.reason}`);
    return 0;
  }
  const names = (process.env.E2E_STACKS || 'shop,kompose-labels,networks,real-world,day-two')
    .split(',')
    .map((n) => n.trim());
  const unknown = names.filter((n) => !(n in STACKS) && n !== DAY_TWO);
  if (unknown.length > 0) {
    log(`e2e: E2E_STACKS names no stack ${unknown.join(', ')} (stacks: ${Object.keys(STACKS).join(', ')})`);
    return 2;
  }
  const settings: Settings = { target, timeout, keep, format, helm: helm?.helm, secrets };
  const all: CheckResult[] = [];
  for (const name of names) {
    if (name === DAY_TWO) {
      log(`e2e: === ${DAY_TWO} ===`);
      const results = await runDayTwo(kubectl, { format, helm: helm?.helm, timeout, keep, log });
      all.push(...results.map((r) => ({ ...r, name: `${DAY_TWO}: ${r.name}` })));
      continue;
    }
    const stack = STACKS[name]();
    log(`e2e: === ${stack.name} ===`);
    const results = await runStack(kubectl, stack, settings);
    all.push(...results.map((r) => ({ ...r, name: `${stack.name}: ${r.name}` })));
  }
  return report(all);
}

async function runStack(kubectl: Kubectl, stack: Stack, settings: Settings): Promise<CheckResult[]> {
  const { target, timeout, keep, format } = settings;
  const namespace = freshNamespace();
  const ns = kubectl.inNamespace(namespace);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-e2e-'));
  const outDir = path.join(work, stack.name);
  const results: CheckResult[] = [];

  let cleaned = false;
  let unprepare = () => {};
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    if (keep) {
      log(
        `e2e: kept namespace ${namespace} and ${outDir} (E2E_KEEP=1); delete with: kubectl delete namespace ${namespace}`,
      );
      return;
    }
    // Waits for the deletion: the next run asks for the same nodePorts.
    log(`e2e: deleting namespace ${namespace}`);
    const deleted = kubectl.run(['delete', 'namespace', namespace, '--ignore-not-found', '--timeout=300s'], {
      timeoutMs: 320_000,
    });
    if (deleted.status !== 0) log(`e2e: warning: namespace ${namespace} not deleted yet: ${failure(deleted)}`);
    unprepare();
    fs.rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }

  try {
    const from = cliFromBuild() ? 'build/' : 'the sources';
    log(`e2e: converting ${path.relative(process.cwd(), path.dirname(stack.composeFile))} with the CLI from ${from}`);
    log(`     (target ${target}, namespace ${namespace}, format ${format}, secrets ${settings.secrets})`);
    const converted = convertWithCli({
      composeFile: stack.composeFile,
      target,
      namespace,
      outDir,
      format,
      secrets: settings.secrets,
    });
    results.push({
      name: 'convert with the CLI',
      ok: converted.status === 0,
      detail: converted.status === 0 ? `${outDir}` : failure(converted),
    });
    if (converted.status !== 0) {
      log(converted.stdout + converted.stderr);
      return results;
    }

    const helmBinary = settings.helm;
    const helmRun = (args: readonly string[]) => {
      const r = spawnSync(helmBinary as string, [...args], { encoding: 'utf8', timeout: 180_000 });
      return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
    };
    const rendered = helmBinary
      ? helmRun(['template', stack.name, outDir, '--namespace', namespace]).stdout
      : undefined;
    const held = await waitForNodePorts(kubectl, requestedNodePorts(outDir, rendered), 180, log);
    if (held.length > 0) log(`e2e: warning: nodePorts already taken by ${held.join(', ')}: apply will fail`);

    if (settings.secrets === 'external') {
      const manifests = fs.readFileSync(path.join(outDir, 'manifests.yaml'), 'utf8');
      log('e2e: creating the Secrets as up.sh does (compose-cdk8s convert --secrets only --stdout | kubectl apply)');
      const created = createExternalSecrets(outDir, kubectl);
      results.push({
        name: 'no Secret in the stack directory; up.sh creates them',
        ok: created.status === 0 && !/^kind: Secret$/m.test(manifests),
        detail:
          created.status === 0
            ? `${created.stdout.trim().split('\n').filter(Boolean).length} Secrets created from the project's files`
            : failure(created),
      });
    }
    if (stack.prepare) {
      log('e2e: preparing the node as a user would');
      unprepare = stack.prepare(ns, namespace);
    }
    const applyCommand = helmBinary
      ? ['install', stack.name, outDir, '--namespace', namespace, '--create-namespace']
      : ['apply', '-k', outDir];
    log(`e2e: ${helmBinary ? 'helm' : 'kubectl'} ${applyCommand.join(' ')}`);
    const applied = helmBinary ? helmRun(applyCommand) : kubectl.run(applyCommand, { timeoutMs: 120_000 });
    results.push({
      name: helmBinary ? 'helm install' : 'kubectl apply -k',
      ok: applied.status === 0,
      detail:
        applied.status === 0
          ? helmBinary
            ? `release ${stack.name} deployed`
            : `${applied.stdout.trim().split('\n').length} objects`
          : failure(applied),
    });
    // Objects that did apply still get waited for (briefly: something is missing), checked and cleaned up.
    if (applied.status !== 0) log(applied.stdout + applied.stderr);
    const wait = applied.status === 0 ? timeout : Math.min(timeout, 60);

    log(`e2e: waiting up to ${wait}s for every Deployment Available and every Job Complete`);
    const state = await waitForStack(ns, wait, log);
    results.push({
      name: 'stack comes up',
      ok: state.up,
      detail: state.up
        ? `${state.workloads} workloads ready in ${state.seconds}s`
        : `${state.failed ? 'a Job failed' : `timeout after ${state.seconds}s`}: ${state.pending.join(', ')}`,
    });
    if (!state.up) {
      let stuck: string[] = [];
      try {
        stuck = stuckPods(ns);
      } catch {
        // the diagnosis below says more
      }
      if (stuck.length > 0) results[results.length - 1].detail += `; pods: ${stuck.join(', ')}`;
      log('e2e: the stack did not come up; what the cluster says:');
      log(diagnose(ns));
    }

    log('e2e: checking');
    results.push(...(await stack.check(ns)));
    return results;
  } finally {
    cleanup();
  }
}

function report(results: readonly CheckResult[]): number {
  log('');
  log(formatResults(results));
  log('');
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`e2e: harness error: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
