/**
 * What an API server rejects that the schema allows: names, label syntax, port names, container
 * names, selectors that do not match their template, volume mounts of undeclared volumes,
 * restart policies per workload kind, NodePorts out of range or taken twice, duplicate objects;
 * scheduling fields and update strategies in scheduling-checks.ts.
 */
import { podTemplateOf, podTemplatePath } from '../pod-template';
import { DNS_SUBDOMAIN } from '../k8s-grammar';
import { list, record, text, type Json, type ManifestProblem } from './problems';
import { checkPodScheduling, checkWorkloadSpec } from './scheduling-checks';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isIanaServiceName(name: string): boolean {
  return (
    name.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--')
  );
}

type Emit = (path: string, message: string, severity?: 'error' | 'warning') => void;

/** Enumerations the API server enforces; the 1.27 OpenAPI definitions only describe them in prose. */
const ENUMS = {
  imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
  protocol: ['TCP', 'UDP', 'SCTP'],
  restartPolicy: ['Always', 'OnFailure', 'Never'],
  dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  serviceType: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
} as const;

function checkEnum(value: unknown, allowed: readonly string[], path: string, emit: Emit): void {
  if (value !== undefined && !allowed.includes(String(value))) emit(path, `must be one of ${allowed.join(', ')}`);
}

function checkName(kind: string, name: string | undefined, emit: Emit): void {
  if (!name) return emit('metadata.name', 'missing required field "name"');
  if (kind === 'Service') {
    if (!(DNS1035_LABEL.test(name) && name.length <= 63)) {
      emit(
        'metadata.name',
        `"${name}" must be a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)`,
      );
    }
  } else if (kind === 'Namespace') {
    if (!(DNS1123_LABEL.test(name) && name.length <= 63))
      emit(
        'metadata.name',
        `"${name}" must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`,
      );
  } else if (!(DNS_SUBDOMAIN.test(name) && name.length <= 253)) {
    emit('metadata.name', `"${name}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")`);
  }
}

function checkLabels(labels: unknown, path: string, emit: Emit): void {
  for (const [key, value] of Object.entries(record(labels))) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (
      (prefix !== undefined && !(DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253)) ||
      !LABEL_NAME.test(name) ||
      name.length > 63
    ) {
      emit(`${path}.${key}`, `"${key}" is not a valid label key`);
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      emit(
        `${path}.${key}`,
        `${JSON.stringify(value)} is not a valid label value (at most 63 characters: letters, digits, "-", "_", ".")`,
      );
    }
  }
}

/** `claimVolumes`: the volumeClaimTemplates of a StatefulSet, which its pods mount by name too. */
function checkPod(pod: Json, path: string, kind: string, emit: Emit, claimVolumes: readonly string[] = []): void {
  const spec = record(pod.spec);
  const volumes = list(spec.volumes).map(record);
  const declared = new Set<string>();
  for (const name of claimVolumes) {
    if (declared.has(name)) emit('spec.volumeClaimTemplates', `duplicate volume claim template "${name}"`);
    declared.add(name);
  }
  volumes.forEach((v, i) => {
    const name = text(v.name) ?? '';
    if (!(DNS1123_LABEL.test(name) && name.length <= 63))
      emit(`${path}.spec.volumes[${i}].name`, `"${name}" must be a DNS-1123 label`);
    if (declared.has(name)) emit(`${path}.spec.volumes[${i}].name`, `duplicate volume "${name}"`);
    declared.add(name);
  });
  const containerNames = new Set<string>();
  const portNames = new Set<string>();
  const hostNetwork = spec.hostNetwork === true;
  for (const field of ['initContainers', 'containers'] as const) {
    list(spec[field])
      .map(record)
      .forEach((c, i) => {
        const cp = `${path}.spec.${field}[${i}]`;
        const name = text(c.name) ?? '';
        if (!(DNS1123_LABEL.test(name) && name.length <= 63)) emit(`${cp}.name`, `"${name}" must be a DNS-1123 label`);
        if (containerNames.has(name)) emit(`${cp}.name`, `duplicate container name "${name}"`);
        containerNames.add(name);
        checkEnum(c.imagePullPolicy, ENUMS.imagePullPolicy, `${cp}.imagePullPolicy`, emit);
        list(c.ports)
          .map(record)
          .forEach((p, j) => {
            checkEnum(p.protocol, ENUMS.protocol, `${cp}.ports[${j}].protocol`, emit);
            const pn = text(p.name);
            const n = p.containerPort;
            if (typeof n === 'number' && (n < 1 || n > 65535))
              emit(`${cp}.ports[${j}].containerPort`, `${n} is not a port number (1-65535)`);
            if (hostNetwork && p.hostPort !== undefined && p.hostPort !== p.containerPort) {
              emit(`${cp}.ports[${j}].hostPort`, 'must equal containerPort when hostNetwork is true');
            }
            if (pn === undefined) return;
            if (!isIanaServiceName(pn))
              emit(
                `${cp}.ports[${j}].name`,
                `"${pn}" must be an IANA service name (at most 15 lowercase letters, digits and "-", with a letter)`,
              );
            if (portNames.has(pn)) emit(`${cp}.ports[${j}].name`, `duplicate port name "${pn}" in the pod`);
            portNames.add(pn);
          });
        list(c.volumeMounts)
          .map(record)
          .forEach((m, j) => {
            const vn = text(m.name) ?? '';
            if (!declared.has(vn))
              emit(`${cp}.volumeMounts[${j}].name`, `mounts volume "${vn}", which the pod does not declare`);
          });
        list(c.env)
          .map(record)
          .forEach((e, j) => {
            const en = text(e.name) ?? '';
            if (!ENV_NAME.test(en)) emit(`${cp}.env[${j}].name`, `"${en}" is not a valid environment variable name`);
          });
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          if (c[probe] === undefined) continue;
          const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => record(c[probe])[h] !== undefined);
          if (handlers.length !== 1)
            emit(`${cp}.${probe}`, 'must have exactly one handler (exec, httpGet, tcpSocket or grpc)');
        }
      });
  }
  checkPodScheduling(spec, path, emit);
  checkEnum(spec.dnsPolicy, ENUMS.dnsPolicy, `${path}.spec.dnsPolicy`, emit);
  checkEnum(spec.restartPolicy, ENUMS.restartPolicy, `${path}.spec.restartPolicy`, emit);
  const restart = text(spec.restartPolicy);
  if (kind === 'Job' || kind === 'CronJob') {
    if (restart !== 'OnFailure' && restart !== 'Never')
      emit(`${path}.spec.restartPolicy`, "a Job's pods must have restartPolicy OnFailure or Never");
  } else if (kind !== 'Pod' && restart !== undefined && restart !== 'Always') {
    emit(`${path}.spec.restartPolicy`, `a ${kind}'s pods must have restartPolicy Always`);
  }
}

function checkService(spec: Json, emit: Emit, nodePorts: Map<string, string>, owner: string): void {
  const ports = list(spec.ports).map(record);
  const names = new Set<string>();
  const type = text(spec.type) ?? 'ClusterIP';
  checkEnum(spec.type, ENUMS.serviceType, 'spec.type', emit);
  ports.forEach((p, i) => {
    checkEnum(p.protocol, ENUMS.protocol, `spec.ports[${i}].protocol`, emit);
    const name = text(p.name);
    if (ports.length > 1 && !name) emit(`spec.ports[${i}].name`, 'a Service with several ports must name each of them');
    if (name !== undefined) {
      if (!(DNS1123_LABEL.test(name) && name.length <= 63))
        emit(`spec.ports[${i}].name`, `"${name}" must be a DNS-1123 label`);
      if (names.has(name)) emit(`spec.ports[${i}].name`, `duplicate port name "${name}"`);
      names.add(name);
    }
    if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535))
      emit(`spec.ports[${i}].port`, `${p.port} is not a port number (1-65535)`);
    if (p.nodePort !== undefined) {
      const n = p.nodePort;
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        emit(`spec.ports[${i}].nodePort`, `only NodePort and LoadBalancer Services have nodePorts (type is ${type})`);
      else if (typeof n === 'number' && (n < 30000 || n > 32767))
        emit(`spec.ports[${i}].nodePort`, `${n} is outside the NodePort range 30000-32767`);
      // NodePorts are allocated per protocol: 5000/TCP and 5000/UDP may share a number.
      const protocol = text(p.protocol) ?? 'TCP';
      const key = `${protocol}/${String(n)}`;
      const other = nodePorts.get(key);
      if (other) emit(`spec.ports[${i}].nodePort`, `nodePort ${String(n)}/${protocol} is already used by ${other}`);
      else nodePorts.set(key, owner);
    }
  });
  if (spec.clusterIP !== 'None' && ports.length === 0 && type !== 'ExternalName')
    emit('spec.ports', 'a Service needs at least one port unless it is headless (clusterIP: None)');
}

export interface CheckContext {
  readonly nodePorts: Map<string, string>;
  readonly seen: Set<string>;
}

export function newCheckContext(): CheckContext {
  return { nodePorts: new Map(), seen: new Set() };
}

export function checkObject(object: unknown, ctx: CheckContext): Omit<ManifestProblem, 'file'>[] {
  const o = record(object);
  const kind = text(o.kind) ?? '';
  const metadata = record(o.metadata);
  const name = text(metadata.name);
  const problems: Omit<ManifestProblem, 'file'>[] = [];
  const emit: Emit = (path, message, severity = 'error') => problems.push({ severity, kind, name, path, message });
  checkName(kind, name, emit);
  checkLabels(metadata.labels, 'metadata.labels', emit);
  const group = (text(o.apiVersion) ?? '').split('/').slice(0, -1).join('/');
  const id = `${group}/${kind}/${text(metadata.namespace) ?? ''}/${name ?? ''}`;
  if (ctx.seen.has(id)) emit('metadata.name', `duplicate object: another ${kind} is named "${name}"`);
  ctx.seen.add(id);
  const spec = record(o.spec);
  const templatePath = podTemplatePath(kind);
  // A workload without its template is checked as one with an empty template: that is reported.
  const t = templatePath ? { template: record(podTemplateOf(o)), path: templatePath } : undefined;
  if (t) {
    const labels = record(record(t.template.metadata).labels);
    checkLabels(labels, `${t.path}.metadata.labels`, emit);
    const matchLabels = record(record(spec.selector).matchLabels);
    for (const [k, v] of Object.entries(matchLabels)) {
      if (labels[k] !== v)
        emit(`spec.selector.matchLabels.${k}`, `selector does not match the template labels (${k}=${String(v)})`);
    }
    const claimVolumes = list(spec.volumeClaimTemplates).flatMap((c) => text(record(record(c).metadata).name) ?? []);
    checkPod(t.template, t.path, kind, emit, kind === 'StatefulSet' ? claimVolumes : []);
    checkWorkloadSpec(kind, spec, emit);
  }
  if (kind === 'Pod') checkPod(o, '', 'Pod', (p, m, s) => emit(p.replace(/^\./, ''), m, s));
  if (kind === 'Service') checkService(spec, emit, ctx.nodePorts, `Service/${name ?? '?'}`);
  return problems;
}
