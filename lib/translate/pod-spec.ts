/**
 * The pod template of a service, put together from its plan: the one container with what each
 * rule gave it, the init containers (start-order waits first, then volume fills and the lost+found
 * removal of claims that start empty, then kompose's), the pod fields, and the template metadata.
 * Only what Compose asked for is set.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { imageOf } from './container';
import { withDeploy } from './deploy';
import type { KomposeOptions } from './kompose-labels';
import { podAnnotations } from './label-annotations';
import { komposeInitContainer } from './kompose-pod';
import { containerPorts, withHostPorts } from './ports';
import { preStartContainers } from './pre-start';
import type { ServicePlan } from './service-plan';
import { fillInitContainer, lostFoundInitContainer } from './volume-fill';
import type { WorkloadDecision } from './workload';

export interface PodInput {
  readonly project: ComposeProject;
  readonly service: ComposeService;
  readonly kubernetesName: string;
  readonly plan: ServicePlan;
  readonly kompose: KomposeOptions;
  readonly workload: WorkloadDecision;
  readonly selector: Readonly<Record<string, string>>;
  /** The ServiceAccount the pod runs as (its start-order waits', or kompose's). */
  readonly serviceAccountName?: string;
  /** Name of the `<service>-env` Secret, when it exists. */
  readonly envSecret?: string;
}

type Json = Record<string, unknown>;

const only = <T>(value: T | undefined, field: string): Json => (value !== undefined ? { [field]: value } : {});
const nonEmpty = (list: readonly unknown[], field: string): Json => (list.length > 0 ? { [field]: list } : {});

function envFrom(input: PodInput): Json[] {
  const { env } = input.plan;
  return [
    ...env.envFrom.flatMap((source) => [
      ...(source.configMap ? [{ configMapRef: { name: source.configMap } }] : []),
      ...(source.secret
        ? [{ secretRef: { name: source.secret, ...(source.optional ? { optional: true } : {}) } }]
        : []),
    ]),
  ];
}

export function mainContainer(input: PodInput): Json {
  const { project, service, plan, kompose } = input;
  const ports = kompose.hostPorts ? withHostPorts(plan.ports, service) : plan.ports;
  return {
    name: input.kubernetesName,
    image: imageOf(project, service),
    ...only(plan.pull.policy, 'imagePullPolicy'),
    ...only(plan.command.command, 'command'),
    ...only(plan.command.args, 'args'),
    ...only(service.workingDir, 'workingDir'),
    ...nonEmpty(containerPorts(ports), 'ports'),
    ...nonEmpty(envFrom(input), 'envFrom'),
    ...nonEmpty(plan.env.env, 'env'),
    ...only(plan.resources.resources, 'resources'),
    ...nonEmpty(plan.volumes.mounts, 'volumeMounts'),
    ...only(plan.probes.startupProbe, 'startupProbe'),
    ...only(plan.probes.readinessProbe, 'readinessProbe'),
    ...only(plan.probes.livenessProbe, 'livenessProbe'),
    ...only(plan.hooks.lifecycle, 'lifecycle'),
    ...only(plan.security.securityContext, 'securityContext'),
    ...(service.tty ? { tty: true } : {}),
    ...(service.stdinOpen ? { stdin: true } : {}),
  };
}

function podSpec(input: PodInput): Json {
  const { project, service, plan, kompose } = input;
  // Waits first: a volume shared with a dependency is filled by the dependency, as Compose
  // creates (and fills) containers in dependency order.
  const initContainers = [
    ...plan.start.initContainers,
    ...plan.volumes.fills.map((f) => fillInitContainer(f, imageOf(project, service), plan.pull.policy)),
    ...plan.volumes.emptyClaims.map(lostFoundInitContainer),
    ...(kompose.initContainer ? [komposeInitContainer(kompose.initContainer)] : []),
    ...preStartContainers(service, mainContainer(input), plan.env.preStart),
  ];
  const isJob = input.workload.kind === 'Job' || input.workload.kind === 'CronJob';
  return {
    ...nonEmpty(initContainers, 'initContainers'),
    containers: [mainContainer(input)],
    ...only(input.serviceAccountName, 'serviceAccountName'),
    ...(kompose.imagePullSecret ? { imagePullSecrets: [{ name: kompose.imagePullSecret }] } : {}),
    ...plan.networking.podFields,
    ...plan.pod.fields,
    ...(kompose.fsGroup !== undefined
      ? { securityContext: { ...(plan.pod.fields.securityContext as object | undefined), fsGroup: kompose.fsGroup } }
      : {}),
    ...nonEmpty(plan.volumes.volumes, 'volumes'),
    ...(isJob ? { restartPolicy: input.workload.restartPolicy } : {}),
  };
}

export function podTemplate(input: PodInput): { metadata: Json; spec: Json } {
  const { service } = input;
  const annotations = podAnnotations(service);
  return {
    metadata: {
      labels: { ...input.selector, ...input.plan.networking.labels },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: withDeploy(podSpec(input), input.plan.deploy),
  };
}
