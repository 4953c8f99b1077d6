/**
 * The checks of examples/networks on a cluster: a start-order wait must end even when the
 * NetworkPolicies forbid the connection a port check would make (the dependency is on another
 * Compose network: through the API, or by name for a headless Service), and a pod only on an internal network must still hear from the API server
 * about the Job it waits for. One check shows the policies are enforced here, or the other two
 * would prove nothing.
 */
import * as path from 'path';
import { check, oneLine, type CheckResult } from './check-kit';
import { condition, failure, Kubectl, REPO_ROOT, type KubeObject } from './cluster';

export const NETWORKS_EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'networks');
export const NETWORKS_COMPOSE_FILE = path.join(NETWORKS_EXAMPLE_DIR, 'compose.yaml');

const podOf = (kubectl: Kubectl, service: string): KubeObject | undefined =>
  kubectl.items('pods', `app.kubernetes.io/name=${service}`)[0];

/** The wait init container of `service` for `dependency`: its image and how it ended. */
function waitOf(kubectl: Kubectl, service: string, dependency: string) {
  const pod = podOf(kubectl, service);
  const name = `wait-for-${dependency}`;
  const spec = (pod?.spec?.initContainers ?? []).find((c) => c.name === name);
  const status = pod?.status?.initContainerStatuses?.find((c) => c.name === name);
  return { pod, name, image: spec?.image, exit: status?.state?.terminated?.exitCode };
}

export async function runNetworkChecks(kubectl: Kubectl): Promise<CheckResult[]> {
  return [
    // Many clusters ignore NetworkPolicies (no enforcing CNI): then the API waits below still run
    // and end, but nothing here shows that a port check would have hung.
    await check('vault (internal network only) cannot connect to cache: the policies are enforced', () => {
      const pod = podOf(kubectl, 'vault');
      if (!pod) return { ok: false, detail: 'no vault pod' };
      const r = kubectl.run(['exec', pod.metadata.name, '--', 'nc', '-z', '-w', '3', 'cache', '6379']);
      return r.status === 0
        ? {
            ok: true,
            skipped: true,
            detail: 'nc -z cache 6379 connected: this cluster does not enforce NetworkPolicies',
          }
        : { ok: true, detail: `nc -z cache 6379 refused (${oneLine(failure(r), 80) || `exit ${String(r.status)}`})` };
    }),
    await check('web waited for cache (another network, endpoint_mode: dnsrr) by name, and started', () => {
      const wait = waitOf(kubectl, 'web', 'cache');
      const ready = wait.pod ? condition(wait.pod, 'Ready') : undefined;
      return {
        ok: wait.exit === 0 && (wait.image ?? '').startsWith('busybox') && ready === 'True',
        detail: `${wait.name} (${String(wait.image)}) exited ${String(wait.exit)}, web Ready=${String(ready)}`,
      };
    }),
    await check('web waited for store (another network, a ClusterIP) through the API, and started', () => {
      const wait = waitOf(kubectl, 'web', 'store');
      const ready = wait.pod ? condition(wait.pod, 'Ready') : undefined;
      return {
        ok: wait.exit === 0 && (wait.image ?? '').startsWith('curlimages/curl') && ready === 'True',
        detail: `${wait.name} (${String(wait.image)}) exited ${String(wait.exit)}, web Ready=${String(ready)}`,
      };
    }),
    await check('vault (internal network only) waited for job setup through the API, and started', () => {
      const wait = waitOf(kubectl, 'vault', 'setup');
      const job = kubectl.json<KubeObject>(['get', 'job/setup']);
      const ready = wait.pod ? condition(wait.pod, 'Ready') : undefined;
      return {
        ok: wait.exit === 0 && condition(job, 'Complete') === 'True' && ready === 'True',
        detail: `${wait.name} exited ${String(wait.exit)}, job setup Complete=${String(condition(job, 'Complete'))}, vault Ready=${String(ready)}`,
      };
    }),
  ];
}
