/**
 * Ingresses and NetworkPolicies as the API server checks them: hosts (lowercase DNS names, a
 * leading `*.` allowed, never IP addresses), paths by their pathType, backends naming a Service
 * and one port, TLS entries; policy ports, peers and CIDRs.
 */
import { ingressHostProblem, ingressPathProblem } from '../../k8s-grammar';
import { list, record, text, type Json } from '../problems';
import { checkLabelSelector } from '../scheduling-checks';
import { grammar, oneOf, required, type Emit } from './emit';
import { dns1035Label, dnsSubdomain, portName, portNumber } from './grammar';

function checkBackend(backend: Json, path: string, emit: Emit): void {
  const hasService = backend.service !== undefined;
  const hasResource = backend.resource !== undefined;
  if (hasService === hasResource)
    return emit(
      path,
      hasService ? 'cannot have both a service and a resource backend' : 'needs a service or resource backend',
    );
  if (hasResource) {
    const resource = record(backend.resource);
    required(resource.kind, `${path}.resource.kind`, emit);
    required(resource.name, `${path}.resource.name`, emit);
    return;
  }
  const service = record(backend.service);
  required(service.name, `${path}.service.name`, emit, dns1035Label);
  const port = record(service.port);
  const name = text(port.name);
  const number = port.number;
  if (name && number !== undefined && number !== 0)
    emit(`${path}.service.port`, 'cannot have both a port name and a port number');
  else if (name) grammar(name, portName, `${path}.service.port.name`, emit);
  else if (number !== undefined && number !== 0) {
    const problem = portNumber(number);
    if (problem) emit(`${path}.service.port.number`, problem);
  } else emit(`${path}.service.port`, 'required: a port name or number');
}

function checkHost(host: unknown, path: string, emit: Emit, allowIP = false): void {
  if (typeof host !== 'string' || host === '') return;
  const problem = ingressHostProblem(host);
  if (problem && !(allowIP && problem.includes('IP address'))) emit(path, `"${host}" ${problem}`);
}

export function checkIngress(o: Json, emit: Emit): void {
  const spec = record(o.spec);
  const rules = list(spec.rules).map(record);
  if (rules.length === 0 && spec.defaultBackend === undefined) emit('spec', 'needs rules or a defaultBackend');
  if (spec.defaultBackend !== undefined) checkBackend(record(spec.defaultBackend), 'spec.defaultBackend', emit);
  rules.forEach((rule, i) => {
    const rp = `spec.rules[${i}]`;
    checkHost(rule.host, `${rp}.host`, emit);
    if (rule.http === undefined) return;
    const paths = list(record(rule.http).paths).map(record);
    if (paths.length === 0) emit(`${rp}.http.paths`, 'required: at least one path');
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      const pathType = text(p.pathType);
      // A missing pathType is the schema check's to report.
      if (pathType === undefined) return checkBackend(record(p.backend), `${pp}.backend`, emit);
      if (!['Prefix', 'Exact', 'ImplementationSpecific'].includes(pathType))
        emit(`${pp}.pathType`, 'must be one of Exact, ImplementationSpecific, Prefix');
      else {
        const problem = ingressPathProblem(text(p.path) ?? '', pathType);
        if (problem) emit(`${pp}.path`, `${JSON.stringify(p.path ?? '')} ${problem}`);
      }
      checkBackend(record(p.backend), `${pp}.backend`, emit);
    });
  });
  list(spec.tls)
    .map(record)
    .forEach((tls, i) => {
      // A TLS host is checked as a DNS name only: an IP address passes.
      list(tls.hosts).forEach((h, j) => checkHost(h, `spec.tls[${i}].hosts[${j}]`, emit, true));
      if (text(tls.secretName)) grammar(tls.secretName, dnsSubdomain, `spec.tls[${i}].secretName`, emit);
    });
  if (text(spec.ingressClassName)) grammar(spec.ingressClassName, dnsSubdomain, 'spec.ingressClassName', emit);
  // Kubernetes 1.26 refuses the deprecated annotation beside the field even when both agree.
  const annotations = record(record(o.metadata).annotations);
  if ('kubernetes.io/ingress.class' in annotations && text(spec.ingressClassName) !== undefined)
    emit('metadata.annotations.kubernetes.io/ingress.class', 'may not be set when spec.ingressClassName is set');
}

/** `10.0.0.0/8` -> [address as a number, prefix length], IPv4 only; undefined when not a CIDR. */
function ipv4Cidr(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((n) => Number(n) > 255) || Number(m[5]) > 32) return undefined;
  return [m.slice(1, 5).reduce((a, n) => a * 256 + Number(n), 0), Number(m[5])];
}

const isCidr = (c: string) => ipv4Cidr(c) !== undefined || /^[0-9a-fA-F:]+:[0-9a-fA-F:]*\/\d{1,3}$/.test(c);

function checkPeer(peer: Json, path: string, emit: Emit): void {
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] !== undefined);
  if (kinds.length === 0) return emit(path, 'must name a peer (podSelector, namespaceSelector or ipBlock)');
  if (kinds.length > 1 && kinds.includes('ipBlock')) emit(path, 'may not have both an ipBlock and another peer');
  for (const k of ['podSelector', 'namespaceSelector'])
    if (peer[k] !== undefined) checkLabelSelector(record(peer[k]), `${path}.${k}`, emit);
  if (peer.ipBlock === undefined) return;
  const block = record(peer.ipBlock);
  const cidr = text(block.cidr) ?? '';
  if (cidr === '') return emit(`${path}.ipBlock.cidr`, 'required: must not be empty');
  if (!isCidr(cidr)) return emit(`${path}.ipBlock.cidr`, `"${cidr}" is not a CIDR (e.g. 10.0.0.0/8)`);
  const outer = ipv4Cidr(cidr);
  list(block.except).forEach((e, i) => {
    const ep = `${path}.ipBlock.except[${i}]`;
    if (typeof e !== 'string' || !isCidr(e)) return emit(ep, `${JSON.stringify(e)} is not a CIDR`);
    const inner = ipv4Cidr(e);
    if (!outer || !inner) return;
    const mask = (bits: number) => (bits === 0 ? 0 : (2 ** 32 - 2 ** (32 - bits)) >>> 0);
    const within = (inner[0] & mask(outer[1])) >>> 0 === (outer[0] & mask(outer[1])) >>> 0;
    if (!within || inner[1] <= outer[1]) emit(ep, `"${e}" must be a strict subset of ${cidr}`);
  });
}

function checkPolicyPort(port: Json, path: string, emit: Emit): void {
  oneOf(port.protocol, ['TCP', 'UDP', 'SCTP'], `${path}.protocol`, emit);
  const p = port.port;
  const end = port.endPort;
  if (p === undefined) {
    if (end !== undefined) emit(`${path}.endPort`, 'may not be set without port');
    return;
  }
  if (typeof p === 'string') {
    grammar(p, portName, `${path}.port`, emit);
    if (end !== undefined) emit(`${path}.endPort`, 'may not be set when port is a name');
    return;
  }
  const problem = portNumber(p);
  if (problem) emit(`${path}.port`, problem);
  if (end === undefined) return;
  const endProblem = portNumber(end);
  if (endProblem) emit(`${path}.endPort`, endProblem);
  if (typeof end === 'number' && typeof p === 'number' && end < p)
    emit(`${path}.endPort`, 'must not be less than port');
}

export function checkNetworkPolicy(o: Json, emit: Emit): void {
  const spec = record(o.spec);
  checkLabelSelector(record(spec.podSelector), 'spec.podSelector', emit);
  for (const [direction, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    list(spec[direction])
      .map(record)
      .forEach((rule, i) => {
        const rp = `spec.${direction}[${i}]`;
        list(rule.ports).forEach((p, j) => checkPolicyPort(record(p), `${rp}.ports[${j}]`, emit));
        list(rule[peers]).forEach((p, j) => checkPeer(record(p), `${rp}.${peers}[${j}]`, emit));
      });
  }
  const types = list(spec.policyTypes);
  if (types.length > 2) emit('spec.policyTypes', 'may not have more than two policyTypes');
  else types.forEach((t, i) => oneOf(t, ['Ingress', 'Egress'], `spec.policyTypes[${i}]`, emit));
}
