/**
 * `depends_on` -> init containers that hold a pod back until its dependencies are up, in the
 * order Compose would start them. For `service_started` and `service_healthy` an init container
 * waits until the dependency's Service routes to a ready pod: readiness is the healthcheck, so
 * this is the health gate. `service_completed_successfully` waits for the dependency's Job to
 * succeed, asking the API server with the pod's service account.
 *
 * Compose lets a service depend on one it shares no network with: the engine checks the
 * container's state, not the network. Here the NetworkPolicies would refuse such a wait's
 * connection forever, so it asks the API server for the Service's ready endpoints instead.
 *
 * Every check must hold under real cluster DNS: the pod's resolv.conf lists search domains, and
 * all but one answer NXDOMAIN for a Service name. `nc` resolves through libc, which stops at the
 * first domain that answers; busybox's `nslookup` fails when any domain answers NXDOMAIN, so the
 * name-only wait asks each search domain for the fully qualified name itself, as libc would.
 */
import type { ComposeProject, ComposeService, DependsOnCondition } from '../compose/model';
import { escapeDollar } from './container';
import { dropped, note, partial, type Finding } from './findings';
import { policiesAllowConnection } from './networks';
import {
  emptyIsNothing,
  falseIsDefault,
  loader,
  noEquivalent,
  on,
  part,
  pod,
  translated,
  type KeyRules,
} from './key-rules';

export const WAIT_IMAGE = 'busybox:1.36';
export const JOB_WAIT_IMAGE = 'curlimages/curl:8.10.1';

export interface Dependency {
  readonly service: string;
  readonly kubernetesName: string;
  /** First TCP port of the dependency's Service, if it has one. */
  readonly tcpPort?: number;
  /**
   * The Service is headless: its name resolves only while a pod is ready. A ClusterIP's name
   * resolves whether or not one is, so waiting on it needs the Endpoints from the API.
   */
  readonly headless: boolean;
  /** False under `network_mode: service:` / `container:`: no Service is created, so there is nothing to wait on. */
  readonly hasService: boolean;
  readonly isJob: boolean;
  /** A CronJob (kompose.cronjob.schedule): it runs on its schedule, with no Service to wait for. */
  readonly isCronJob?: boolean;
}

/** What the pod's service account must be allowed to read. */
export interface ApiReads {
  readonly jobs: readonly string[];
  readonly endpoints: readonly string[];
}

export interface StartOrderPlan {
  readonly initContainers: Record<string, unknown>[];
  /** Objects the waits read through the API (needs a ServiceAccount, Role and RoleBinding). */
  readonly reads: ApiReads;
  readonly findings: Finding[];
}

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const POD_NAMESPACE_ENV = [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }];

const containerName = (dep: Dependency) => `wait-for-${dep.kubernetesName}`.slice(0, 63).replace(/-+$/, '');

/** `until <check>; do <say>; sleep 2; done`, after any helper lines. */
function loop(helpers: readonly string[], check: string, say: string): string {
  return [...helpers, `until ${check}; do echo "${say}"; sleep 2; done`].join('\n');
}

/** The wait for a Service with a TCP port: it accepts a connection only once a pod is ready. */
export function tcpWaitScript(dep: Dependency & { tcpPort: number }, condition: DependsOnCondition): string {
  const at = `${dep.kubernetesName}:${dep.tcpPort}`;
  return loop(
    [],
    `nc -z -w 2 ${dep.kubernetesName} ${dep.tcpPort}`,
    `waiting for ${dep.service} (${condition}): ${at} does not accept connections yet`,
  );
}

/**
 * The wait for a headless Service: its name resolves once a pod is ready. Each search
 * domain of resolv.conf is asked for the fully qualified name (trailing dot: no search), first
 * to last, as libc does; the answer must hold an address, not just "no error".
 */
export function dnsWaitScript(dep: Dependency, condition: DependsOnCondition): string {
  return loop(
    [
      'search=',
      'while read -r key rest; do if [ "$key" = search ]; then search=$rest; fi; done </etc/resolv.conf',
      'resolves() {',
      '  for domain in $search; do',
      `    if nslookup "$1.$domain." 2>/dev/null | grep -q '^Name:'; then return 0; fi`,
      '  done',
      `  nslookup "$1." 2>/dev/null | grep -q '^Name:'`,
      '}',
    ],
    `resolves ${dep.kubernetesName}`,
    `waiting for ${dep.service} (${condition}): no ready pod behind ${dep.kubernetesName} yet`,
  );
}

/** Reads one object through the API server with the pod's service account token. */
function apiGet(path: string): string {
  return `curl -sf --cacert ${SA}/ca.crt -H "Authorization: Bearer $(cat ${SA}/token)" "https://kubernetes.default.svc${path}"`;
}

/**
 * The wait through the API server: until the Service's Endpoints list a ready address. For a
 * ClusterIP Service (whose name resolves before any pod is ready) that the waiting pod cannot
 * connect to (UDP-only ports, or NetworkPolicies between them). A ready address is a pod whose
 * readiness probe passed (the healthcheck), or whose container runs when it has none.
 */
export function endpointsWaitScript(dep: Dependency, condition: DependsOnCondition): string {
  return loop(
    [],
    `${apiGet(`/api/v1/namespaces/$POD_NAMESPACE/endpoints/${dep.kubernetesName}`)} | grep -q '"addresses"'`,
    `waiting for ${dep.service} (${condition}): no ready pod behind ${dep.kubernetesName} yet`,
  );
}

export function jobWaitScript(dep: Dependency, condition: DependsOnCondition): string {
  return loop(
    [],
    `${apiGet(`/apis/batch/v1/namespaces/$POD_NAMESPACE/jobs/${dep.kubernetesName}`)} | grep -q '"succeeded": *[1-9]'`,
    `waiting for ${dep.service} (${condition}): job ${dep.kubernetesName} has not succeeded yet (kubectl logs job/${dep.kubernetesName})`,
  );
}

function waitContainer(image: string, script: string, usesApi: boolean, dep: Dependency): Record<string, unknown> {
  return {
    name: containerName(dep),
    image,
    command: ['sh', '-c', escapeDollar(script)],
    ...(usesApi ? { env: POD_NAMESPACE_ENV } : {}),
  };
}

interface Wait {
  readonly container: Record<string, unknown>;
  readonly reads?: { readonly kind: 'jobs' | 'endpoints'; readonly name: string };
}

/**
 * `overNetwork`: the NetworkPolicies let the waiting pod connect to the dependency's pods. Only
 * the TCP wait connects to them: a name resolves through cluster DNS, which every pod may reach.
 */
function waitForService(dep: Dependency, condition: DependsOnCondition, overNetwork: boolean): Wait {
  if (overNetwork && dep.tcpPort !== undefined) {
    return {
      container: waitContainer(WAIT_IMAGE, tcpWaitScript({ ...dep, tcpPort: dep.tcpPort }, condition), false, dep),
    };
  }
  if (dep.headless) return { container: waitContainer(WAIT_IMAGE, dnsWaitScript(dep, condition), false, dep) };
  return {
    container: waitContainer(JOB_WAIT_IMAGE, endpointsWaitScript(dep, condition), true, dep),
    reads: { kind: 'endpoints', name: dep.kubernetesName },
  };
}

/** The wait for a long-running dependency, by name or through the API when the two share no network. */
function waitOnService(
  project: ComposeProject,
  service: ComposeService,
  dep: Dependency,
  condition: DependsOnCondition,
): { wait: Wait; findings: Finding[] } {
  const overNetwork = policiesAllowConnection(project, service, project.services[dep.service]);
  const rerouted = !overNetwork && dep.tcpPort !== undefined;
  return {
    wait: waitForService(dep, condition, overNetwork),
    findings: rerouted
      ? [
          note(
            `depends_on.${dep.service}`,
            `"${dep.service}" shares no network with this service, so the NetworkPolicies would refuse the connection: ${
              dep.headless
                ? `the wait asks cluster DNS until ${dep.kubernetesName} resolves to a ready pod`
                : `the wait asks the Kubernetes API until Endpoints ${dep.kubernetesName} list a ready pod`
            }`,
          ),
        ]
      : [],
  };
}

function waitForJob(dep: Dependency, condition: DependsOnCondition): Wait {
  return {
    container: waitContainer(JOB_WAIT_IMAGE, jobWaitScript(dep, condition), true, dep),
    reads: { kind: 'jobs', name: dep.kubernetesName },
  };
}

export function planStartOrder(
  project: ComposeProject,
  service: ComposeService,
  dependencyOf: (name: string) => Dependency | undefined,
): StartOrderPlan {
  const waits: Wait[] = [];
  const findings: Finding[] = [];
  for (const name of Object.keys(service.dependsOn).sort()) {
    const d = service.dependsOn[name];
    const dep = project.services[name] ? dependencyOf(name) : undefined;
    if (!dep) {
      findings.push(
        dropped(
          `depends_on.${name}`,
          `"${name}" is not part of the project (optional dependency), so nothing waits for it`,
        ),
      );
      continue;
    }
    if (dep.isCronJob) {
      findings.push(
        dropped(`depends_on.${name}`, `"${name}" is a CronJob that runs on its schedule: nothing waits for it`),
      );
      continue;
    }
    if (!dep.isJob && !dep.hasService) {
      findings.push(
        dropped(
          `depends_on.${name}`,
          `"${name}" has no Service to wait on (its network_mode cannot be translated): nothing waits for it`,
        ),
      );
      continue;
    }
    if (d.condition === 'service_completed_successfully') {
      if (!dep.isJob) {
        findings.push(
          partial(
            `depends_on.${name}`,
            `"${name}" runs as a long-lived Deployment; waiting until it answers instead of until it exits`,
          ),
        );
        const { wait, findings: notes } = waitOnService(project, service, dep, d.condition);
        waits.push(wait);
        findings.push(...notes);
        continue;
      }
      waits.push(waitForJob(dep, d.condition));
      continue;
    }
    if (dep.isJob) {
      findings.push(partial(`depends_on.${name}`, `"${name}" is a Job; waiting until it completes`));
      waits.push(waitForJob(dep, d.condition));
      continue;
    }
    if (d.condition === 'service_healthy' && !project.services[name].healthcheck) {
      findings.push(
        partial(
          `depends_on.${name}`,
          `"${name}" has no healthcheck (Compose would refuse to start): waiting until it answers instead`,
        ),
      );
    }
    if (d.restart)
      findings.push(
        partial(
          `depends_on.${name}`,
          'restart: true has no equivalent: pods are not restarted when a dependency restarts',
        ),
      );
    const { wait, findings: notes } = waitOnService(project, service, dep, d.condition);
    waits.push(wait);
    findings.push(...notes);
  }
  const readsOf = (kind: 'jobs' | 'endpoints') => waits.flatMap((w) => (w.reads?.kind === kind ? [w.reads.name] : []));
  return {
    initContainers: waits.map((w) => w.container),
    reads: { jobs: readsOf('jobs'), endpoints: readsOf('endpoints') },
    findings,
  };
}

export const START_ORDER_KEYS: KeyRules = {
  depends_on: translated([pod('initContainers[name=wait-for-*]'), pod('serviceAccountName'), on('waits')], {
    unless: emptyIsNothing,
  }),
  'depends_on.*': part,
  'depends_on.*.condition': part,
  'depends_on.*.required': loader(
    'false: a dependency the project does not run (an inactive profile) is skipped instead of failing the load, as Compose does',
  ),
  'depends_on.*.restart': noEquivalent(
    'Compose restarts this service when the dependency is recreated; Kubernetes restarts no dependent',
    { unless: falseIsDefault },
  ),
};
