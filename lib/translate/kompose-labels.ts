/**
 * kompose's `kompose.*` service labels -> one typed, validated `KomposeOptions`, so Compose files
 * tuned for kompose keep their meaning. The label set and value grammar follow kompose's code
 * (pkg/loader/compose/utils.go, compose.go, pkg/transformer/kubernetes), not its user guide where
 * the two disagree. Every label yields a finding: a note saying what it became, a warning saying
 * why it is not honoured, or an error for a value kompose would also reject. The translation rules
 * (workload, health, exposure, volumes) read the options; nothing else reads the labels.
 */
import type { ComposeService } from '../compose/model';
import { suggest } from '../compose/schema';
import { DNS_LABEL, DNS_SUBDOMAIN, QUANTITY } from '../k8s-grammar';
import type { Finding } from './findings';
import { exposeLabel } from './kompose-expose';
import {
  CRON_MACRO,
  goBool,
  initCommand,
  integer,
  durationSeconds,
  LabelReader,
  matching,
  oneOf,
  PORT,
  probeCommand,
} from './kompose-label-values';

export type KomposeServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless';
export type KomposeController = 'Deployment' | 'DaemonSet' | 'StatefulSet';
export type KomposeVolumeType = 'persistentVolumeClaim' | 'emptyDir' | 'hostPath' | 'configMap';

export type ProbeHandler =
  | { readonly exec: { readonly command: string[] } }
  | { readonly httpGet: { readonly path: string; readonly port: number } }
  | { readonly tcpSocket: { readonly port: number } };

export interface ProbeOverrides {
  readonly handler?: ProbeHandler;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly initialDelaySeconds?: number;
}

export interface KomposeOptions {
  readonly serviceType?: KomposeServiceType;
  readonly nodePort?: number;
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  readonly expose?: string;
  readonly exposeTlsSecret?: string;
  readonly exposeIngressClass?: string;
  /** Readiness from labels; `disable` removes the probe. */
  readonly readiness?: ProbeOverrides & { readonly disable: boolean };
  /** kompose reads only the handler of the liveness probe from labels. */
  readonly liveness?: ProbeOverrides;
  readonly controller?: KomposeController;
  readonly hostPorts: boolean;
  readonly imagePullPolicy?: 'Always' | 'Never' | 'IfNotPresent';
  readonly imagePullSecret?: string;
  readonly serviceAccountName?: string;
  readonly fsGroup?: number;
  readonly volumeType?: KomposeVolumeType;
  readonly volumeSize?: string;
  readonly storageClassName?: string;
  readonly subPath?: string;
  readonly cronJob?: {
    readonly schedule: string;
    readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    readonly backoffLimit?: number;
  };
  readonly hpa?: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly cpu: number;
    readonly memory: number;
  };
  readonly initContainer?: { readonly name: string; readonly image: string; readonly command: string[] };
}

export interface KomposeLabels {
  readonly options: KomposeOptions;
  /** One or more per kompose label, keyed `labels.<label>`. */
  readonly findings: Finding[];
}

const READINESS = 'kompose.service.healthcheck.readiness.';
const LIVENESS = 'kompose.service.healthcheck.liveness.';
const PROBE_KEYS = ['http_get_path', 'http_get_port', 'tcp_port'] as const;
const READINESS_ONLY = ['disable', 'test', 'interval', 'timeout', 'retries', 'start_period'] as const;

/** Every service label kompose's code reads (utils.go constants and transformer lookups). */
export const KOMPOSE_LABELS: readonly string[] = [
  'kompose.service.type',
  'kompose.service.nodeport.port',
  'kompose.service.external-traffic-policy',
  'kompose.service.expose',
  'kompose.service.expose.tls-secret',
  'kompose.service.expose.ingress-class-name',
  'kompose.service.group',
  'kompose.service.name_override',
  ...READINESS_ONLY.map((k) => READINESS + k),
  ...PROBE_KEYS.map((k) => READINESS + k),
  ...PROBE_KEYS.map((k) => LIVENESS + k),
  'kompose.controller.type',
  'kompose.controller.port.expose',
  'kompose.image-pull-policy',
  'kompose.image-pull-secret',
  'kompose.serviceaccount-name',
  'kompose.security-context.fsgroup',
  'kompose.volume.type',
  'kompose.volume.size',
  'kompose.volume.storage-class-name',
  'kompose.volume.subpath',
  'kompose.cronjob.schedule',
  'kompose.cronjob.concurrency_policy',
  'kompose.cronjob.backoff_limit',
  'kompose.hpa.cpu',
  'kompose.hpa.memory',
  'kompose.hpa.replicas.min',
  'kompose.hpa.replicas.max',
  'kompose.init.containers.name',
  'kompose.init.containers.image',
  'kompose.init.containers.command',
];

/** kompose's HPA defaults (k8sutils.go), used for what the labels leave out. */
export const HPA_DEFAULTS = { minReplicas: 1, maxReplicas: 3, cpu: 50, memory: 70 } as const;

export const isKomposeLabel = (label: string): boolean => label.startsWith('kompose.');

function serviceLabels(r: LabelReader) {
  const typeValue = r.parse(
    'kompose.service.type',
    (v) => (v.trim() === '' ? 'clusterip' : oneOf(['clusterip', 'nodeport', 'loadbalancer', 'headless'], true)(v)),
    'one of nodeport, clusterip, loadbalancer, headless',
  );
  const serviceType = (
    { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', headless: 'Headless' } as const
  )[typeValue ?? 'clusterip'];
  const nodePort = r.parse(
    'kompose.service.nodeport.port',
    (v) => integer(v, 30000, 32767),
    'a NodePort (30000-32767)',
  );
  if (nodePort !== undefined && serviceType !== 'NodePort')
    r.invalid('kompose.service.nodeport.port', 'needs kompose.service.type: nodeport (as kompose requires)');
  const policy = r.parse(
    'kompose.service.external-traffic-policy',
    (v) => (v.trim() === '' ? 'cluster' : oneOf(['cluster', 'local'], true)(v)),
    'one of local, cluster',
  );
  const expose = exposeLabel(r);
  // An expose value in error is reported already: its TLS Secret and class are not the problem.
  const exposeInError = r.findings.some((f) => f.key === 'labels.kompose.service.expose' && f.severity === 'error');
  const tls = r.parse('kompose.service.expose.tls-secret', matching(DNS_SUBDOMAIN), 'a Secret name');
  const className = r.parse(
    'kompose.service.expose.ingress-class-name',
    matching(DNS_SUBDOMAIN),
    'an IngressClass name',
  );
  for (const [label, value] of [
    ['kompose.service.expose.tls-secret', tls],
    ['kompose.service.expose.ingress-class-name', className],
  ] as const) {
    if (value !== undefined && expose === undefined && !exposeInError)
      r.invalid(label, 'set without kompose.service.expose (kompose rejects this too)');
  }
  return {
    ...(typeValue !== undefined ? { serviceType } : {}),
    ...(nodePort !== undefined && serviceType === 'NodePort' ? { nodePort } : {}),
    ...(policy !== undefined
      ? { externalTrafficPolicy: policy === 'local' ? ('Local' as const) : ('Cluster' as const) }
      : {}),
    ...(expose !== undefined ? { expose } : {}),
    ...(tls !== undefined ? { exposeTlsSecret: tls } : {}),
    ...(className !== undefined ? { exposeIngressClass: className } : {}),
  };
}

/** http_get_path + http_get_port, else tcp_port, as kompose's configProbe picks. */
function probeHandler(r: LabelReader, prefix: string): ProbeHandler | undefined {
  const path = r.get(`${prefix}http_get_path`);
  const httpPort = r.parse(`${prefix}http_get_port`, PORT, 'a port number');
  const tcpPort = r.parse(`${prefix}tcp_port`, PORT, 'a port number');
  if (path !== undefined && path !== '' && httpPort === undefined && !r.has(`${prefix}http_get_port`))
    r.invalid(`${prefix}http_get_path`, `needs ${prefix}http_get_port`);
  if (path !== undefined && path !== '' && httpPort !== undefined)
    return { httpGet: { path: path.startsWith('/') ? path : `/${path}`, port: httpPort } };
  if (httpPort !== undefined && (path === undefined || path === ''))
    r.invalid(`${prefix}http_get_port`, `needs ${prefix}http_get_path`);
  return tcpPort !== undefined ? { tcpSocket: { port: tcpPort } } : undefined;
}

function healthLabels(r: LabelReader): Pick<KomposeOptions, 'readiness' | 'liveness'> {
  const out: { readiness?: KomposeOptions['readiness']; liveness?: ProbeOverrides } = {};
  const anyReadiness = [...READINESS_ONLY, ...PROBE_KEYS].some((k) => r.has(READINESS + k));
  const before = r.findings.length;
  if (anyReadiness) {
    let disable = r.parse(`${READINESS}disable`, goBool, 'a boolean') ?? false;
    let handler: ProbeHandler | undefined;
    const test = r.get(`${READINESS}test`);
    if (test !== undefined && test.trim() !== '') {
      const parsed = probeCommand(test);
      disable ||= parsed.disable;
      if (parsed.command) handler = { exec: { command: parsed.command } };
    }
    handler ??= probeHandler(r, READINESS);
    const seconds = (k: string) => r.parse(READINESS + k, durationSeconds, 'a duration (e.g. 10s, 1m30s)');
    const retries = r.parse(`${READINESS}retries`, (v) => integer(v, 1), 'a positive whole number');
    const periodSeconds = seconds('interval');
    const timeoutSeconds = seconds('timeout');
    const initialDelaySeconds = seconds('start_period');
    out.readiness = {
      disable,
      ...(handler ? { handler } : {}),
      ...(periodSeconds !== undefined ? { periodSeconds } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(retries !== undefined ? { failureThreshold: retries } : {}),
      ...(initialDelaySeconds !== undefined ? { initialDelaySeconds } : {}),
    };
  }
  // A readiness label with a bad value is an error already: the probe stays the healthcheck's.
  if (r.findings.length > before) delete out.readiness;
  const liveness = probeHandler(r, LIVENESS);
  if (liveness) out.liveness = { handler: liveness };
  for (const k of READINESS_ONLY) {
    if (r.has(LIVENESS + k))
      r.ignored(
        LIVENESS + k,
        k === 'disable'
          ? 'kompose does not read it; x-k8s.liveness: false turns the liveness probe off'
          : `kompose reads only http_get_path, http_get_port and tcp_port for liveness; set healthcheck.${k} instead`,
      );
  }
  return out;
}

const CONTROLLERS = { deployment: 'Deployment', daemonset: 'DaemonSet', statefulset: 'StatefulSet' } as const;

function workloadLabels(r: LabelReader): Partial<KomposeOptions> & Pick<KomposeOptions, 'hostPorts'> {
  const controllerValue = r.parse(
    'kompose.controller.type',
    oneOf(['deployment', 'daemonset', 'statefulset'] as const, true),
    'one of deployment, daemonset, statefulset',
  );
  const controller = controllerValue && CONTROLLERS[controllerValue];
  const hostPorts = r.parse('kompose.controller.port.expose', goBool, 'a boolean') ?? false;
  const imagePullPolicy = r.parse(
    'kompose.image-pull-policy',
    oneOf(['Always', 'Never', 'IfNotPresent'] as const),
    'one of Always, Never, IfNotPresent',
  );
  const name = (v: string) => (DNS_SUBDOMAIN.test(v) && v.length <= 253 ? v : undefined);
  const imagePullSecret = r.parse('kompose.image-pull-secret', name, 'a Secret name');
  const serviceAccountName = r.parse('kompose.serviceaccount-name', name, 'a ServiceAccount name');
  const fsGroup = r.parse('kompose.security-context.fsgroup', (v) => integer(v, 0, 2 ** 31 - 1), 'a group id');
  return {
    hostPorts,
    ...(controller ? { controller } : {}),
    ...(imagePullPolicy ? { imagePullPolicy } : {}),
    ...(imagePullSecret ? { imagePullSecret } : {}),
    ...(serviceAccountName ? { serviceAccountName } : {}),
    ...(fsGroup !== undefined ? { fsGroup } : {}),
  };
}

function volumeLabels(r: LabelReader): Partial<KomposeOptions> {
  const volumeType = r.parse(
    'kompose.volume.type',
    oneOf(['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap'] as const),
    'one of persistentVolumeClaim, emptyDir, hostPath, configMap',
  );
  const volumeSize = r.parse('kompose.volume.size', matching(QUANTITY), 'a quantity (e.g. 10Gi)');
  const storageClassName = r.parse('kompose.volume.storage-class-name', matching(DNS_SUBDOMAIN), 'a StorageClass name');
  const subPath = r.parse(
    'kompose.volume.subpath',
    (v) => (v !== '' && !v.startsWith('/') && !v.split('/').includes('..') ? v : undefined),
    'a relative path without ".." (Kubernetes rejects an absolute subPath)',
  );
  return {
    ...(volumeType ? { volumeType } : {}),
    ...(volumeSize ? { volumeSize } : {}),
    ...(storageClassName ? { storageClassName } : {}),
    ...(subPath ? { subPath } : {}),
  };
}

function cronJobLabels(r: LabelReader): Partial<KomposeOptions> {
  const schedule = r.parse(
    'kompose.cronjob.schedule',
    (v) => (CRON_MACRO.test(v.trim()) || v.trim().split(/\s+/).length === 5 ? v.trim() : undefined),
    'a cron schedule (5 fields, e.g. "*/5 * * * *", or @hourly, @daily...)',
  );
  const concurrencyPolicy = r.parse(
    'kompose.cronjob.concurrency_policy',
    oneOf(['Allow', 'Forbid', 'Replace'] as const),
    'one of Allow, Forbid, Replace',
  );
  const backoffLimit = r.parse('kompose.cronjob.backoff_limit', (v) => integer(v, 0), 'a whole number');
  if (schedule === undefined) {
    for (const label of ['kompose.cronjob.concurrency_policy', 'kompose.cronjob.backoff_limit'])
      if (r.has(label) && !r.has('kompose.cronjob.schedule'))
        r.ignored(label, 'no kompose.cronjob.schedule: the service is not a CronJob');
    return {};
  }
  return {
    cronJob: {
      schedule,
      ...(concurrencyPolicy ? { concurrencyPolicy } : {}),
      ...(backoffLimit !== undefined ? { backoffLimit } : {}),
    },
  };
}

/** kompose falls back to its defaults, with a warning, on a value it cannot use: so does this. */
function hpaLabels(r: LabelReader): Partial<KomposeOptions> {
  const labels = ['kompose.hpa.replicas.min', 'kompose.hpa.replicas.max', 'kompose.hpa.cpu', 'kompose.hpa.memory'];
  if (!labels.some((l) => r.has(l))) return {};
  const value = (label: string, fallback: number, min: number, max: number, what: string) => {
    const raw = r.get(label);
    if (raw === undefined) return fallback;
    const n = integer(raw, min, max);
    if (n !== undefined) return n;
    r.replaced(label, `"${raw}" is not ${what}: kompose's default ${fallback} is used`);
    return fallback;
  };
  const minReplicas = value(labels[0], HPA_DEFAULTS.minReplicas, 1, 2 ** 31 - 1, 'a replica count');
  let maxReplicas = value(labels[1], HPA_DEFAULTS.maxReplicas, 1, 2 ** 31 - 1, 'a replica count');
  if (maxReplicas < minReplicas) {
    r.replaced(labels[1], `${maxReplicas} is below kompose.hpa.replicas.min: ${minReplicas} is used, as kompose does`);
    maxReplicas = minReplicas;
  }
  const cpu = value(labels[2], HPA_DEFAULTS.cpu, 1, 100, 'a utilization percentage (1-100)');
  const memory = value(labels[3], HPA_DEFAULTS.memory, 1, 100, 'a utilization percentage (1-100)');
  return { hpa: { minReplicas, maxReplicas, cpu, memory } };
}

function initContainerLabels(r: LabelReader): Partial<KomposeOptions> {
  const image = r.get('kompose.init.containers.image');
  if (image === undefined || image.trim() === '') {
    for (const label of ['kompose.init.containers.name', 'kompose.init.containers.command'])
      if (r.has(label)) r.ignored(label, 'no kompose.init.containers.image: kompose adds no init container');
    return {};
  }
  const name = r.parse('kompose.init.containers.name', matching(DNS_LABEL), 'a container name') ?? 'init-service';
  return {
    initContainer: { name, image: image.trim(), command: initCommand(r.get('kompose.init.containers.command') ?? '') },
  };
}

const NOT_HONOURED: Readonly<Record<string, string>> = {
  'kompose.service.group':
    "one pod per Compose service keeps each service's DNS name and start order; kompose groups only with --service-group-mode=label",
  'kompose.service.name_override':
    'objects keep the Compose service name, which is the DNS name the other services use',
  'kompose.service.expose.path': 'kompose never reads it: put the path in kompose.service.expose (host/path)',
};

/** Parses and validates the kompose labels of a service. */
export function komposeLabels(service: ComposeService): KomposeLabels {
  const r = new LabelReader(service.labels);
  const options: KomposeOptions = {
    ...serviceLabels(r),
    ...healthLabels(r),
    ...workloadLabels(r),
    ...volumeLabels(r),
    ...cronJobLabels(r),
    ...hpaLabels(r),
    ...initContainerLabels(r),
  };
  const known = new Set(KOMPOSE_LABELS);
  for (const label of Object.keys(service.labels).filter(isKomposeLabel).sort()) {
    if (NOT_HONOURED[label]) r.ignored(label, NOT_HONOURED[label]);
    else if (!known.has(label)) {
      const hint = suggest(label, KOMPOSE_LABELS);
      r.ignored(label, `unknown kompose label${hint ? ` (did you mean "${hint}"?)` : ''}: kompose ignores it too`);
    }
  }
  return { options, findings: r.findings };
}
