/**
 * Every translation rule of one service, run in one place: what each returns (ports, environment,
 * mounts, start order, probes, resources...) and, gathered, what each could not carry over. The
 * construct turns the plan into objects (lib/chart/service-construct.ts) and the pod template
 * (pod-spec.ts); the keys no rule translates are reported from the key registry.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import type { HostMountMode } from './bind-mounts';
import { buildFindings } from './build';
import { commandFields, podFields, pullPolicy, securityContext, type Target } from './container';
import { planDeploy } from './deploy';
import { planEnvironment } from './environment';
import type { Finding } from './findings';
import { healthProbes } from './health';
import { planHooks } from './hooks';
import type { KomposeOptions } from './kompose-labels';
import { suffixed } from './names';
import { internalNetworkNote, planApiServerEgress, planServiceNetworking } from './networks';
import { listeningPorts } from './ports';
import { serviceRule } from './registry';
import { resources } from './resources';
import { planStartOrder, type Dependency } from './start-order';
import { podAnnotationFindings } from './label-annotations';
import { toolLabels } from './tool-labels';
import { untranslatedKeys } from './untranslated';
import { planVolumes } from './volumes';
import type { WorkloadDecision } from './workload';

export interface ServicePlanInput {
  readonly project: ComposeProject;
  readonly service: ComposeService;
  readonly kubernetesName: string;
  readonly target: Target;
  readonly workload: WorkloadDecision;
  readonly kompose: KomposeOptions;
  readonly hostMounts: HostMountMode;
  readonly selector: Readonly<Record<string, string>>;
  readonly dependencyOf: (name: string) => Dependency | undefined;
  /**
   * TCP ports `ports` and `expose` do not list but the service is reached on: those its Traefik
   * labels send to, and those other services name for it (referenced-ports.ts).
   */
  readonly undeclaredPorts?: readonly number[];
}

export function planService(input: ServicePlanInput) {
  const { project, service, kubernetesName: name, target, kompose } = input;
  const findings: Finding[] = [];
  const take = <T extends { findings: Finding[] }>(r: T): T => {
    findings.push(...r.findings);
    return r;
  };
  // In this order, so warnings come out as they always have.
  const ports = take(listeningPorts(service, input.undeclaredPorts)).ports;
  const env = take(planEnvironment(project, service, suffixed(name, 'env')));
  const volumes = take(
    planVolumes(project, service, name, { localCluster: target !== 'generic', hostMounts: input.hostMounts, kompose }),
  );
  const start = take(planStartOrder(project, service, input.dependencyOf));
  const networking = take(planServiceNetworking(project, service));
  const asksApi = start.reads.jobs.length > 0 || start.reads.endpoints.length > 0;
  const apiEgress = take(
    planApiServerEgress(project, service, suffixed(name, 'wait-api-egress'), input.selector, asksApi),
  );
  findings.push(...internalNetworkNote(project, service));
  const plan = {
    ports,
    env,
    volumes,
    start,
    networking,
    apiEgress,
    pod: take(podFields(service, project)),
    security: take(securityContext(service)),
    pull: take(pullPolicy(service, target, kompose.imagePullPolicy)),
    command: take(commandFields(service)),
    hooks: take(planHooks(project, service, input.workload, suffixed(name, 'env'))),
    probes: take(healthProbes(service, input.workload.kind, kompose)),
    resources: take(resources(service)),
    deploy: take(planDeploy(input, volumes.exclusive)),
  };
  // A hook's secret variables reach it through the container's environment, from the service's Secret.
  plan.env.env.push(...plan.hooks.env);
  Object.assign(plan.env.secretData, plan.hooks.secretData);
  findings.push(...buildFindings(project, service, target));
  findings.push(...untranslatedKeys(service, serviceRule));
  findings.push(...toolLabels(service));
  findings.push(...podAnnotationFindings(service));
  return { ...plan, findings };
}

export type ServicePlan = ReturnType<typeof planService>;
