/**
 * `depends_on` -> init containers that hold a pod back until its dependencies are up, in the
 * order Compose would start them. For `service_started` and `service_healthy` an init container
 * waits until the dependency's Service accepts a connection: a Service routes only to ready pods
 * and readiness is the healthcheck, so this is the health gate. Without ports it waits for the
 * headless Service's name, which lists only ready pods. `service_completed_successfully` waits
 * for the dependency's Job to succeed, asking the API server with the pod's service account.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { dropped, partial, type Finding } from './findings';

export const WAIT_IMAGE = 'busybox:1.36';
export const JOB_WAIT_IMAGE = 'curlimages/curl:8.10.1';

export interface Dependency {
  readonly service: string;
  readonly kubernetesName: string;
  /** First TCP port of the dependency's Service, if it has one. */
  readonly tcpPort?: number;
  readonly isJob: boolean;
}

export interface StartOrderPlan {
  readonly initContainers: Record<string, unknown>[];
  /** Jobs the pod must be allowed to read (needs a ServiceAccount, Role and RoleBinding). */
  readonly jobsToRead: string[];
  readonly findings: Finding[];
}

function waitForService(dep: Dependency): Record<string, unknown> {
  const check =
    dep.tcpPort !== undefined ? `nc -z -w 2 ${dep.kubernetesName} ${dep.tcpPort}` : `nslookup ${dep.kubernetesName}`;
  const what = dep.tcpPort !== undefined ? `${dep.kubernetesName}:${dep.tcpPort}` : dep.kubernetesName;
  return {
    name: `wait-for-${dep.kubernetesName}`.slice(0, 63).replace(/-+$/, ''),
    image: WAIT_IMAGE,
    command: ['sh', '-c', `until ${check} >/dev/null 2>&1; do echo "waiting for ${what}"; sleep 2; done`],
  };
}

function waitForJob(dep: Dependency): Record<string, unknown> {
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  const url = `https://kubernetes.default.svc/apis/batch/v1/namespaces/$POD_NAMESPACE/jobs/${dep.kubernetesName}`;
  // The script runs in sh; `$$(` is Kubernetes' escape so it does not expand `$(cat ...)` itself.
  const script = [
    `until curl -sf --cacert ${sa}/ca.crt -H "Authorization: Bearer $$(cat ${sa}/token)" "${url}" | grep -q '"succeeded": *[1-9]'; do`,
    `  echo "waiting for job ${dep.kubernetesName} to complete"; sleep 2;`,
    'done',
  ].join('\n');
  return {
    name: `wait-for-${dep.kubernetesName}`.slice(0, 63).replace(/-+$/, ''),
    image: JOB_WAIT_IMAGE,
    command: ['sh', '-c', script],
    env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
  };
}

export function planStartOrder(
  project: ComposeProject,
  service: ComposeService,
  dependencyOf: (name: string) => Dependency | undefined,
): StartOrderPlan {
  const initContainers: Record<string, unknown>[] = [];
  const jobsToRead: string[] = [];
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
    if (d.condition === 'service_completed_successfully') {
      if (!dep.isJob) {
        findings.push(
          partial(
            `depends_on.${name}`,
            `"${name}" runs as a long-lived Deployment; waiting until it answers instead of until it exits`,
          ),
        );
        initContainers.push(waitForService(dep));
        continue;
      }
      initContainers.push(waitForJob(dep));
      jobsToRead.push(dep.kubernetesName);
      continue;
    }
    if (dep.isJob) {
      findings.push(partial(`depends_on.${name}`, `"${name}" is a Job; waiting until it completes`));
      initContainers.push(waitForJob(dep));
      jobsToRead.push(dep.kubernetesName);
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
    initContainers.push(waitForService(dep));
  }
  return { initContainers, jobsToRead, findings };
}
