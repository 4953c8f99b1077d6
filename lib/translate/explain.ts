/**
 * The migration report behind `compose-cdk8s explain`: for each Compose key a service sets, the
 * objects and fields it became, or, from the findings, why it was only partly translated or dropped.
 */
import type { ComposeService } from '../compose/model';
import { isWarning, topKey, type Finding } from './findings';

export interface KeyExplanation {
  readonly key: string;
  readonly status: 'translated' | 'partial' | 'dropped';
  readonly objects: readonly string[];
  readonly fields: readonly string[];
  readonly note?: string;
}

export interface ProducedObjects {
  readonly workload: string;
  readonly service?: string;
  readonly envConfigMap?: string;
  readonly envSecret?: string;
  readonly claims: readonly string[];
  readonly fileObjects: readonly string[];
  readonly publishedService?: string;
  readonly ingress?: string;
  readonly networkPolicies: readonly string[];
  /** Services of `container_name` and network aliases, with the key each comes from. */
  readonly extraServices: readonly { readonly key: string; readonly object: string }[];
  /** True when volumes are filled from the image by init containers. */
  readonly fillsVolumes: boolean;
  /** The probe fields the healthcheck became. */
  readonly probes: readonly string[];
}

const POD = 'spec.template.spec';
const C = `${POD}.containers[0]`;

function where(key: string, o: ProducedObjects): { objects: string[]; fields: string[] } {
  const w = [o.workload];
  const svc = o.service ? [o.service] : [];
  switch (key) {
    case 'image':
      return { objects: w, fields: [`${C}.image`] };
    case 'build':
    case 'pull_policy':
      return { objects: w, fields: [`${C}.image`, `${C}.imagePullPolicy`] };
    case 'entrypoint':
      return { objects: w, fields: [`${C}.command`] };
    case 'command':
      return { objects: w, fields: [`${C}.args`] };
    case 'working_dir':
      return { objects: w, fields: [`${C}.workingDir`] };
    case 'user':
    case 'read_only':
    case 'privileged':
    case 'cap_add':
    case 'cap_drop':
      return { objects: w, fields: [`${C}.securityContext`] };
    case 'environment':
      return { objects: [...w, ...(o.envSecret ? [o.envSecret] : [])], fields: [`${C}.env`] };
    case 'env_file':
      return {
        objects: [...w, ...(o.envConfigMap ? [o.envConfigMap] : []), ...(o.envSecret ? [o.envSecret] : [])],
        fields: [`${C}.envFrom`],
      };
    case 'ports':
      return {
        objects: [...svc, ...w, ...(o.publishedService ? [o.publishedService] : [])],
        fields: ['spec.ports', `${C}.ports`],
      };
    case 'expose':
      return { objects: [...svc, ...w], fields: ['spec.ports', `${C}.ports`] };
    case 'secrets':
    case 'configs':
      return { objects: w, fields: [`${POD}.volumes`, `${C}.volumeMounts`] };
    case 'healthcheck':
      return { objects: w, fields: o.probes.map((p) => `${C}.${p}`) };
    case 'container_name':
      return { objects: o.extraServices.filter((e) => e.key === key).map((e) => e.object), fields: [] };
    case 'depends_on':
      return { objects: w, fields: [`${POD}.initContainers`] };
    case 'volumes':
    case 'tmpfs':
      return {
        objects: [...w, ...o.claims, ...o.fileObjects],
        fields: [`${POD}.volumes`, `${C}.volumeMounts`, ...(o.fillsVolumes ? [`${POD}.initContainers`] : [])],
      };
    case 'networks':
      return {
        objects: [
          ...w,
          ...o.networkPolicies,
          ...o.extraServices.filter((e) => e.key.startsWith('networks.')).map((e) => e.object),
        ],
        fields: [`spec.template.metadata.labels`],
      };
    case 'network_mode':
      return { objects: w, fields: [`${POD}.hostNetwork`, `${POD}.dnsPolicy`] };
    case 'hostname':
      return { objects: w, fields: [`${POD}.hostname`] };
    case 'extra_hosts':
      return { objects: w, fields: [`${POD}.hostAliases`] };
    case 'dns':
    case 'dns_search':
    case 'dns_opt':
      return { objects: w, fields: [`${POD}.dnsConfig`] };
    case 'restart':
      return { objects: w, fields: ['kind', `${POD}.restartPolicy`] };
    case 'deploy':
    case 'scale':
      return { objects: w, fields: ['spec.replicas', `${C}.resources`] };
    case 'cpus':
    case 'mem_limit':
    case 'mem_reservation':
      return { objects: w, fields: [`${C}.resources`] };
    case 'stop_grace_period':
      return { objects: w, fields: [`${POD}.terminationGracePeriodSeconds`] };
    case 'tty':
      return { objects: w, fields: [`${C}.tty`] };
    case 'stdin_open':
      return { objects: w, fields: [`${C}.stdin`] };
    case 'shm_size':
      return { objects: w, fields: [`${POD}.volumes`, `${C}.volumeMounts`] };
    case 'sysctls':
      return { objects: w, fields: [`${POD}.securityContext.sysctls`] };
    case 'labels':
    case 'annotations':
      return { objects: w, fields: ['spec.template.metadata.annotations'] };
    case 'profiles':
      return { objects: [], fields: [] };
    default:
      if (key === 'x-k8s') {
        return { objects: [...(o.ingress ? [o.ingress] : []), ...o.claims], fields: [] };
      }
      return { objects: [], fields: [] };
  }
}

export function explainService(
  service: ComposeService,
  findings: readonly Finding[],
  produced: ProducedObjects,
): KeyExplanation[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = topKey(f.key);
    byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const keys = new Set([...Object.keys(service.keyLocations), ...byKey.keys()]);
  return [...keys].map((key): KeyExplanation => {
    if (key.startsWith('x-') && key !== 'x-k8s') {
      return { key, status: 'dropped', objects: [], fields: [], note: 'extension field: ignored by compose-cdk8s' };
    }
    const fs = byKey.get(key) ?? [];
    const problems = fs.filter(isWarning);
    const { objects, fields } = where(key, produced);
    const wholeKeyDropped =
      problems.some((f) => f.key === key && f.status === 'dropped') || (objects.length === 0 && problems.length > 0);
    const status = wholeKeyDropped ? 'dropped' : problems.length > 0 ? 'partial' : 'translated';
    const note =
      fs.map((f) => (f.key === key ? f.message : `${f.key}: ${f.message}`)).join('; ') ||
      (key === 'profiles'
        ? 'applied when loading: the service is in the output because its profile is enabled'
        : undefined);
    return {
      key,
      status,
      objects: status === 'dropped' ? [] : objects,
      fields: status === 'dropped' ? [] : fields,
      ...(note ? { note } : {}),
    };
  });
}
