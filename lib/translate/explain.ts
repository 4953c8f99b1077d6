/**
 * The migration report behind `compose-cdk8s explain`: for each Compose key a service sets, the
 * objects and fields it became, or, from the findings, why it was only partly translated or dropped.
 */
import type { ComposeService } from '../compose/model';
import { isWarning, topKey, type Finding } from './findings';
import { isKomposeLabel } from './kompose-labels';

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
  /** What the start-order waits read the API with: ServiceAccount, Role, RoleBinding, the API egress policy. */
  readonly waitObjects: readonly string[];
  /** True when volumes are filled from the image by init containers. */
  readonly fillsVolumes: boolean;
  /** The probe fields the healthcheck became. */
  readonly probes: readonly string[];
  readonly autoscaler?: string;
}

const POD = 'spec.template.spec';
const C = `${POD}.containers[0]`;

/** The objects and fields each kompose label sets. */
function komposeWhere(label: string, value: string, o: ProducedObjects): { objects: string[]; fields: string[] } {
  const w = [o.workload];
  const at = (objects: (string | undefined)[], ...fields: string[]) => ({
    objects: objects.filter((x): x is string => x !== undefined),
    fields,
  });
  if (label.startsWith('kompose.service.healthcheck.readiness.')) return at(w, `${C}.readinessProbe`);
  if (label.startsWith('kompose.service.healthcheck.liveness.'))
    return at(w, `${C}.livenessProbe`, ...(o.probes.includes('startupProbe') ? [`${C}.startupProbe`] : []));
  if (label.startsWith('kompose.cronjob.'))
    return at(
      w,
      { schedule: 'spec.schedule', concurrency_policy: 'spec.concurrencyPolicy' }[label.slice(16)] ??
        'spec.jobTemplate.spec.backoffLimit',
    );
  if (label.startsWith('kompose.hpa.'))
    return at(
      [o.autoscaler],
      label.includes('replicas') ? `spec.${label.endsWith('min') ? 'minReplicas' : 'maxReplicas'}` : 'spec.metrics',
    );
  if (label.startsWith('kompose.init.containers.')) return at(w, `${POD}.initContainers`);
  switch (label) {
    case 'kompose.service.type': {
      const type = value.trim().toLowerCase();
      if (type === 'headless') return at([o.service], 'spec.clusterIP');
      return type === 'nodeport' || type === 'loadbalancer'
        ? at([o.publishedService], 'spec.type')
        : at([o.service], 'spec.type');
    }
    case 'kompose.service.nodeport.port':
      return at([o.publishedService], 'spec.ports[0].nodePort');
    case 'kompose.service.external-traffic-policy':
      return at([o.publishedService], 'spec.externalTrafficPolicy');
    case 'kompose.service.expose':
      return at([o.ingress], 'spec.rules');
    case 'kompose.service.expose.tls-secret':
      return at([o.ingress], 'spec.tls');
    case 'kompose.service.expose.ingress-class-name':
      return at([o.ingress], 'spec.ingressClassName');
    case 'kompose.controller.type':
      return at([...w, o.service], 'kind');
    case 'kompose.controller.port.expose':
      return at(w, `${C}.ports[].hostPort`);
    case 'kompose.image-pull-policy':
      return at(w, `${C}.imagePullPolicy`);
    case 'kompose.image-pull-secret':
      return at(w, `${POD}.imagePullSecrets`);
    case 'kompose.serviceaccount-name':
      return at(w, `${POD}.serviceAccountName`);
    case 'kompose.security-context.fsgroup':
      return at(w, `${POD}.securityContext.fsGroup`);
    case 'kompose.volume.type':
      return at(w, `${POD}.volumes`);
    case 'kompose.volume.size':
      return o.workload.startsWith('StatefulSet/')
        ? at(w, 'spec.volumeClaimTemplates[].spec.resources.requests.storage')
        : at([...o.claims], 'spec.resources.requests.storage');
    case 'kompose.volume.storage-class-name':
      return o.workload.startsWith('StatefulSet/')
        ? at(w, 'spec.volumeClaimTemplates[].spec.storageClassName')
        : at([...o.claims], 'spec.storageClassName');
    case 'kompose.volume.subpath':
      return at(w, `${C}.volumeMounts[].subPath`);
    default:
      return at([]);
  }
}

function where(
  key: string,
  o: ProducedObjects,
  labels: Readonly<Record<string, string>> = {},
): { objects: string[]; fields: string[] } {
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
      return {
        objects: [...w, ...o.waitObjects],
        fields: [`${POD}.initContainers`, ...(o.waitObjects.length > 0 ? [`${POD}.serviceAccountName`] : [])],
      };
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
    case 'annotations':
      return { objects: w, fields: ['spec.template.metadata.annotations'] };
    case 'profiles':
      return { objects: [], fields: [] };
    default:
      if (key.startsWith('labels.')) {
        const label = key.slice('labels.'.length);
        return komposeWhere(label, labels[label] ?? '', o);
      }
      if (key === 'x-k8s') {
        return { objects: [...(o.ingress ? [o.ingress] : []), ...o.claims], fields: [] };
      }
      return { objects: [], fields: [] };
  }
}

/** Findings group by top-level key, except kompose labels, which each get a row of their own. */
function rowKey(key: string): string {
  return key.startsWith('labels.kompose.') ? key : topKey(key);
}

/** The `labels` row: the labels that are not kompose's become pod annotations. */
function labelsRow(service: ComposeService, workload: string): KeyExplanation {
  const plain = Object.keys(service.labels).filter((l) => !isKomposeLabel(l));
  return plain.length > 0
    ? { key: 'labels', status: 'translated', objects: [workload], fields: ['spec.template.metadata.annotations'] }
    : { key: 'labels', status: 'translated', objects: [], fields: [], note: 'kompose labels only: see their rows' };
}

export function explainService(
  service: ComposeService,
  findings: readonly Finding[],
  produced: ProducedObjects,
): KeyExplanation[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = rowKey(f.key);
    byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const labelKeys = Object.keys(service.labels)
    .filter(isKomposeLabel)
    .sort()
    .map((l) => `labels.${l}`);
  const keys = new Set([...Object.keys(service.keyLocations), ...labelKeys, ...byKey.keys()]);
  return [...keys].map((key): KeyExplanation => {
    if (key.startsWith('x-') && key !== 'x-k8s') {
      return { key, status: 'dropped', objects: [], fields: [], note: 'extension field: ignored by compose-cdk8s' };
    }
    if (key === 'labels' && !byKey.has('labels')) return labelsRow(service, produced.workload);
    const fs = byKey.get(key) ?? [];
    const problems = fs.filter(isWarning);
    const { objects, fields } = where(key, produced, service.labels);
    const wholeKeyDropped =
      problems.some((f) => f.key === key && f.status === 'dropped') ||
      (objects.length === 0 && problems.length > 0) ||
      fs.some((f) => f.key === key && f.severity === 'error') ||
      (key.startsWith('labels.') && objects.length === 0);
    const status = wholeKeyDropped ? 'dropped' : problems.length > 0 ? 'partial' : 'translated';
    const note =
      fs.map((f) => (f.key === key ? f.message : `${f.key}: ${f.message}`)).join('; ') ||
      (key === 'profiles'
        ? 'applied when loading: the service is in the output because its profile is enabled'
        : key.startsWith('labels.') && status === 'dropped'
          ? 'nothing to apply it to'
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
