/**
 * Checks that a synthesized stack is wired together the way the Compose stack was: every
 * address a container is given (env values, command, args, ConfigMap and Secret data such as
 * nginx `proxy_pass`/`upstream` lines) names a Service and port of the same chart, every Ingress
 * backend exists, every PVC is mounted, and every Secret and ConfigMap a pod uses exists.
 *
 * Each `find*` function returns readable problems instead of throwing, so a test can show all
 * of them at once and another test can feed a broken manifest and expect a problem back.
 */

export type Manifest = Readonly<Record<string, unknown>>;
type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function kindOf(m: Manifest): string {
  return text(m.kind) ?? '?';
}

function nameOf(m: Manifest): string {
  return text(record(m.metadata).name) ?? '?';
}

function describe(m: Manifest): string {
  return `${kindOf(m)}/${nameOf(m)}`;
}

function ofKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => kindOf(m) === kind);
}

// ---------------------------------------------------------------------------------------------
// Pods and Services

interface PodTemplate {
  readonly owner: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Json;
}

function templateOf(m: Manifest): Json | undefined {
  const spec = record(m.spec);
  switch (kindOf(m)) {
    case 'Pod':
      return { metadata: m.metadata, spec: m.spec };
    case 'CronJob':
      return record(record(record(spec.jobTemplate).spec).template);
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return record(spec.template);
    default:
      return undefined;
  }
}

export function podTemplates(manifests: readonly Manifest[]): PodTemplate[] {
  const pods: PodTemplate[] = [];
  for (const m of manifests) {
    const template = templateOf(m);
    if (!template) continue;
    const labels = record(record(template.metadata).labels) as Record<string, string>;
    pods.push({ owner: describe(m), labels, spec: record(template.spec) });
  }
  return pods;
}

function containersOf(pod: PodTemplate): Json[] {
  return [...list(pod.spec.initContainers), ...list(pod.spec.containers)].map(record);
}

function containerPorts(pod: PodTemplate): Json[] {
  return containersOf(pod).flatMap((c) => list(c.ports).map(record));
}

interface ServicePorts {
  /** A headless Service resolves to the pod itself: every port the pod listens on is reachable. */
  readonly headless: boolean;
  readonly numbers: ReadonlySet<number>;
  readonly names: ReadonlySet<string>;
}

function serviceIndex(manifests: readonly Manifest[]): Map<string, ServicePorts> {
  const index = new Map<string, ServicePorts>();
  for (const service of ofKind(manifests, 'Service')) {
    const ports = list(record(service.spec).ports).map(record);
    index.set(nameOf(service), {
      headless: record(service.spec).clusterIP === 'None',
      numbers: new Set(ports.map((p) => p.port).filter((p): p is number => typeof p === 'number')),
      names: new Set(ports.map((p) => text(p.name)).filter((p): p is string => p !== undefined)),
    });
  }
  return index;
}

function selects(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

// ---------------------------------------------------------------------------------------------
// Addresses in text

export interface AddressReference {
  readonly raw: string;
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  amqp: 5672,
  amqps: 5671,
  mongodb: 27017,
  smtp: 25,
};

const URL_PATTERN = /\b([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@'"]*@)?([A-Za-z0-9._-]+)(?::(\d{1,5}))?/g;
const HOST_PORT_PATTERN = /(?<![\w.\-/:@])([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*):(\d{1,5})(?![\w.:-])/g;
const NGINX_UPSTREAM_PATTERN = /\bupstream\s+([A-Za-z0-9_.-]+)\s*\{/g;

/**
 * `scheme://[user@]host[:port]` (the scheme's default port when none is written) and bare
 * `host:port`. URLs whose host is an nginx `upstream` block name are left out: the block's
 * `server host:port;` lines are the real addresses.
 */
export function findAddresses(value: string): AddressReference[] {
  const upstreams = new Set([...value.matchAll(NGINX_UPSTREAM_PATTERN)].map((m) => m[1]));
  const found: AddressReference[] = [];
  const withoutUrls = value.replace(URL_PATTERN, (raw: string, scheme: string, host: string, port?: string) => {
    const resolvedPort = port !== undefined ? Number(port) : DEFAULT_PORTS[scheme];
    if (resolvedPort !== undefined && !(port === undefined && upstreams.has(host))) {
      found.push({ raw, host, port: resolvedPort });
    }
    return ' '.repeat(raw.length);
  });
  for (const m of withoutUrls.matchAll(HOST_PORT_PATTERN)) {
    found.push({ raw: m[0], host: m[1], port: Number(m[2]) });
  }
  return found;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0']);

interface TextSource {
  readonly where: string;
  readonly value: string;
  /** Pods that read this text: a loopback address must be one of their own ports. */
  readonly consumers: readonly PodTemplate[];
}

function containerTexts(pod: PodTemplate): TextSource[] {
  const sources: TextSource[] = [];
  for (const c of containersOf(pod)) {
    const where = `${pod.owner} container ${text(c.name) ?? '?'}`;
    for (const env of list(c.env).map(record)) {
      const value = text(env.value);
      if (value !== undefined) sources.push({ where: `${where} env ${text(env.name)}`, value, consumers: [pod] });
    }
    for (const key of ['command', 'args'] as const) {
      const value = list(c[key]).filter((a): a is string => typeof a === 'string');
      if (value.length > 0) sources.push({ where: `${where} ${key}`, value: value.join(' '), consumers: [pod] });
    }
  }
  return sources;
}

function dataTexts(m: Manifest): { key: string; value: string }[] {
  const entries = Object.entries(record(m.data)).map(([key, v]) => {
    const raw = text(v) ?? '';
    return { key, value: kindOf(m) === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw };
  });
  const plain = Object.entries(record(m.stringData)).map(([key, v]) => ({ key, value: text(v) ?? '' }));
  return [...entries, ...plain];
}

/**
 * Whether a pod sees `key` of an object: through a volume, or through `envFrom` in a container
 * whose own `env` does not set the same name (env wins over envFrom).
 */
function seesKey(pod: PodTemplate, kind: string, name: string, key: string): boolean {
  if (volumeReferences(pod).some((r) => r.kind === kind && r.name === name)) return true;
  const refKey = kind === 'secret' ? 'secretRef' : 'configMapRef';
  return (
    containersOf(pod).some(
      (c) =>
        list(c.envFrom).some((e) => text(record(record(e)[refKey]).name) === name) &&
        !list(c.env).some((e) => text(record(e).name) === key),
    ) || envReferences(pod).some((r) => r.kind === kind && r.name === name && r.key === key)
  );
}

function objectTexts(manifests: readonly Manifest[], pods: readonly PodTemplate[]): TextSource[] {
  const sources: TextSource[] = [];
  for (const m of [...ofKind(manifests, 'ConfigMap'), ...ofKind(manifests, 'Secret')]) {
    const kind = kindOf(m) === 'Secret' ? 'secret' : 'configMap';
    const users = pods.filter((pod) => podReferences(pod).some((r) => r.kind === kind && r.name === nameOf(m)));
    for (const { key, value } of dataTexts(m)) {
      // A value every reader overrides is never read: the address in it matters to no one.
      const consumers = users.filter((pod) => seesKey(pod, kind, nameOf(m), key));
      if (users.length > 0 && consumers.length === 0) continue;
      sources.push({ where: `${describe(m)} key ${key}`, value, consumers });
    }
  }
  return sources;
}

function addressProblem(source: TextSource, ref: AddressReference, services: Map<string, ServicePorts>) {
  if (LOOPBACK_HOSTS.has(ref.host)) {
    const own = source.consumers.some((pod) => containerPorts(pod).some((p) => p.containerPort === ref.port));
    return own
      ? undefined
      : `${source.where}: ${ref.raw} is a loopback address but no pod using it listens on ${ref.port}`;
  }
  if (ref.host.includes('.')) return undefined; // an external host name or an IP address
  const service = services.get(ref.host);
  if (!service) return `${source.where}: ${ref.raw} names no Service of the chart`;
  if (!service.headless && !service.numbers.has(ref.port)) {
    return `${source.where}: ${ref.raw}: Service ${ref.host} has no port ${ref.port} (has ${[...service.numbers].join(', ')})`;
  }
  return undefined;
}

/** Every `host:port` and URL given to a container names a Service of the chart and one of its ports. */
export function findUnresolvedAddresses(manifests: readonly Manifest[]): string[] {
  const services = serviceIndex(manifests);
  const pods = podTemplates(manifests);
  const sources = [...pods.flatMap(containerTexts), ...objectTexts(manifests, pods)];
  return sources.flatMap((source) =>
    findAddresses(source.value)
      .map((ref) => addressProblem(source, ref, services))
      .filter((p): p is string => p !== undefined),
  );
}

// ---------------------------------------------------------------------------------------------
// Ingress, Services, volumes, Secrets and ConfigMaps

function ingressBackends(ingress: Manifest): Json[] {
  const spec = record(ingress.spec);
  const fromRules = list(spec.rules).flatMap((rule) =>
    list(record(record(rule).http).paths).map((path) => record(record(path).backend)),
  );
  return spec.defaultBackend ? [record(spec.defaultBackend), ...fromRules] : fromRules;
}

/** Every Ingress backend is a Service of the chart, on one of its ports (by number or name). */
export function findUnresolvedIngressBackends(manifests: readonly Manifest[]): string[] {
  const services = serviceIndex(manifests);
  const problems: string[] = [];
  for (const ingress of ofKind(manifests, 'Ingress')) {
    for (const backend of ingressBackends(ingress)) {
      const target = record(backend.service);
      const name = text(target.name) ?? '?';
      const port = record(target.port);
      const service = services.get(name);
      if (!service) problems.push(`${describe(ingress)}: backend Service ${name} does not exist`);
      else if (
        typeof port.number === 'number' ? !service.numbers.has(port.number) : !service.names.has(String(port.name))
      )
        problems.push(`${describe(ingress)}: Service ${name} has no port ${String(port.number ?? port.name)}`);
    }
  }
  return problems;
}

/** Every Service with a selector selects a pod, and its target ports are ports those pods declare. */
export function findServicesWithoutPods(manifests: readonly Manifest[]): string[] {
  const pods = podTemplates(manifests);
  const problems: string[] = [];
  for (const service of ofKind(manifests, 'Service')) {
    const spec = record(service.spec);
    if (spec.selector === undefined) continue;
    const selected = pods.filter((pod) => selects(record(spec.selector), pod.labels));
    if (selected.length === 0) {
      problems.push(`${describe(service)}: selector matches no pod`);
      continue;
    }
    const declared = selected.flatMap(containerPorts);
    for (const port of list(spec.ports).map(record)) {
      const target = port.targetPort ?? port.port;
      const found = declared.some((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
      if (!found) problems.push(`${describe(service)}: targetPort ${String(target)} is not a port of its pods`);
    }
  }
  return problems;
}

/** Every PersistentVolumeClaim is mounted by some workload (otherwise the data went nowhere). */
export function findUnmountedClaims(manifests: readonly Manifest[]): string[] {
  const claimed = new Set(
    podTemplates(manifests).flatMap((pod) =>
      list(pod.spec.volumes).map((v) => text(record(record(v).persistentVolumeClaim).claimName)),
    ),
  );
  return ofKind(manifests, 'PersistentVolumeClaim')
    .filter((claim) => !claimed.has(nameOf(claim)))
    .map((claim) => `${describe(claim)} is not mounted by any workload`);
}

interface ObjectReference {
  readonly kind: 'secret' | 'configMap';
  readonly name: string;
  readonly key?: string;
  readonly optional: boolean;
  readonly where: string;
}

function volumeReferences(pod: PodTemplate): ObjectReference[] {
  const refs: ObjectReference[] = [];
  for (const volume of list(pod.spec.volumes).map(record)) {
    const where = `${pod.owner} volume ${text(volume.name)}`;
    const secret = record(volume.secret);
    const configMap = record(volume.configMap);
    const projected = list(record(volume.projected).sources).map(record);
    const sources: [ObjectReference['kind'], Json, string | undefined][] = [
      ['secret', secret, text(secret.secretName)],
      ['configMap', configMap, text(configMap.name)],
      ...projected.map((s): [ObjectReference['kind'], Json, string | undefined] =>
        s.secret
          ? ['secret', record(s.secret), text(record(s.secret).name)]
          : ['configMap', record(s.configMap), text(record(s.configMap).name)],
      ),
    ];
    for (const [kind, source, name] of sources) {
      if (name === undefined) continue;
      const optional = source.optional === true;
      const keys = list(source.items).map((item) => text(record(item).key));
      if (keys.length === 0) refs.push({ kind, name, optional, where });
      for (const key of keys) refs.push({ kind, name, key, optional, where });
    }
  }
  return refs;
}

function envReferences(pod: PodTemplate): ObjectReference[] {
  const refs: ObjectReference[] = [];
  for (const c of containersOf(pod)) {
    const where = `${pod.owner} container ${text(c.name) ?? '?'}`;
    for (const env of list(c.env).map(record)) {
      const from = record(env.valueFrom);
      for (const [kind, ref] of [
        ['secret', record(from.secretKeyRef)],
        ['configMap', record(from.configMapKeyRef)],
      ] as const) {
        const name = text(ref.name);
        if (name)
          refs.push({
            kind,
            name,
            key: text(ref.key),
            optional: ref.optional === true,
            where: `${where} env ${text(env.name)}`,
          });
      }
    }
    for (const source of list(c.envFrom).map(record)) {
      for (const [kind, ref] of [
        ['secret', record(source.secretRef)],
        ['configMap', record(source.configMapRef)],
      ] as const) {
        const name = text(ref.name);
        if (name) refs.push({ kind, name, optional: ref.optional === true, where: `${where} envFrom` });
      }
    }
  }
  return refs;
}

function podReferences(pod: PodTemplate): ObjectReference[] {
  return [...volumeReferences(pod), ...envReferences(pod)];
}

/** Every Secret and ConfigMap (and key) a pod reads exists in the chart, unless marked optional. */
export function findMissingConfigObjects(manifests: readonly Manifest[]): string[] {
  const keysOf = new Map<string, Set<string>>();
  for (const m of [...ofKind(manifests, 'ConfigMap'), ...ofKind(manifests, 'Secret')]) {
    const kind = kindOf(m) === 'Secret' ? 'secret' : 'configMap';
    const keys = [m.data, m.stringData, m.binaryData].flatMap((d) => Object.keys(record(d)));
    keysOf.set(`${kind}/${nameOf(m)}`, new Set(keys));
  }
  const problems: string[] = [];
  for (const ref of podTemplates(manifests).flatMap(podReferences)) {
    if (ref.optional) continue;
    const keys = keysOf.get(`${ref.kind}/${ref.name}`);
    if (!keys) problems.push(`${ref.where}: ${ref.kind} ${ref.name} does not exist`);
    else if (ref.key !== undefined && !keys.has(ref.key))
      problems.push(`${ref.where}: ${ref.kind} ${ref.name} has no key ${ref.key}`);
  }
  return problems;
}

/** All of the checks above, in one list. */
export function findReferenceProblems(manifests: readonly Manifest[]): string[] {
  return [
    ...findUnresolvedAddresses(manifests),
    ...findUnresolvedIngressBackends(manifests),
    ...findServicesWithoutPods(manifests),
    ...findUnmountedClaims(manifests),
    ...findMissingConfigObjects(manifests),
  ];
}

export function expectReferencesResolve(manifests: readonly Manifest[]): void {
  expect(findReferenceProblems(manifests)).toEqual([]);
}
