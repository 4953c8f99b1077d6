/**
 * A Service as the API server checks it: ports (named when several, names and port/protocol
 * pairs used once, target ports by number or container port name), node ports only where the
 * type has them and within the range, the type's own rules (headless, ExternalName, traffic
 * policies, session affinity), and a selector of valid labels.
 */
import { list, record, text, type Json } from '../problems';
import { checkLabels } from './meta';
import { at, grammar, oneOf, type Emit } from './emit';
import { dnsLabel, dnsSubdomain, isIP, portNumber, portNumberOrName, qualifiedName } from './grammar';

export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
const KUBELET_PORT = 10250;

/** NodePorts taken by the Services of one set: `TCP/30080` -> `Service/web`. */
export type NodePorts = Map<string, string>;

function checkPorts(
  spec: Json,
  type: string,
  headless: boolean,
  emit: Emit,
  nodePorts: NodePorts,
  owner: string,
): void {
  const ports = list(spec.ports).map(record);
  const names = new Set<string>();
  const pairs = new Set<string>();
  const ownNodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    const name = text(p.name);
    if (ports.length > 1 && !name) emit(`${pp}.name`, 'a Service with several ports must name each of them');
    if (name) {
      grammar(name, dnsLabel, `${pp}.name`, emit);
      if (names.has(name)) emit(`${pp}.name`, `duplicate port name "${name}"`);
      names.add(name);
    }
    const number = portNumber(p.port);
    if (number) emit(`${pp}.port`, number);
    if (type === 'LoadBalancer' && p.port === KUBELET_PORT)
      emit(`${pp}.port`, `${KUBELET_PORT} may not be exposed by a LoadBalancer: the kubelet uses it`);
    oneOf(p.protocol, ['TCP', 'UDP', 'SCTP'], `${pp}.protocol`, emit);
    const protocol = text(p.protocol) ?? 'TCP';
    const pair = `${String(p.port)}/${protocol}`;
    if (pairs.has(pair)) emit(pp, `port ${pair} is declared twice`);
    pairs.add(pair);
    // targetPort 0 or "" is the port itself: the server's default.
    if (p.targetPort !== undefined && p.targetPort !== 0 && p.targetPort !== '') {
      const target = portNumberOrName(p.targetPort);
      if (target) emit(`${pp}.targetPort`, target);
    }
    if (p.appProtocol !== undefined) grammar(p.appProtocol, qualifiedName, `${pp}.appProtocol`, emit);
    if (p.nodePort === undefined || p.nodePort === 0) return;
    const n = p.nodePort;
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      emit(`${pp}.nodePort`, `only NodePort and LoadBalancer Services have nodePorts (type is ${type})`);
      return;
    }
    if (typeof n === 'number' && (n < NODE_PORT_RANGE.min || n > NODE_PORT_RANGE.max))
      emit(`${pp}.nodePort`, `${n} is outside the NodePort range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`);
    // NodePorts are allocated per protocol: 5000/TCP and 5000/UDP may share a number.
    const key = `${protocol}/${String(n)}`;
    const other = nodePorts.get(key);
    if (ownNodePorts.has(key)) emit(`${pp}.nodePort`, `nodePort ${key} is declared twice`);
    else if (other) emit(`${pp}.nodePort`, `nodePort ${key} is already used by ${other}`);
    else nodePorts.set(key, owner);
    ownNodePorts.add(key);
  });
  if (!headless && ports.length === 0 && type !== 'ExternalName')
    emit('spec.ports', 'a Service needs at least one port unless it is headless (clusterIP: None)');
}

function checkAddresses(spec: Json, type: string, emit: Emit): void {
  const clusterIP = text(spec.clusterIP);
  const clusterIPs = list(spec.clusterIPs).map(String);
  if (type === 'ExternalName') {
    if (clusterIP || clusterIPs.length > 0) emit('spec.clusterIP', 'may not be set for ExternalName Services');
    const cname = (text(spec.externalName) ?? '').replace(/\.$/, '');
    if (cname === '') emit('spec.externalName', 'required for an ExternalName Service');
    else grammar(cname, dnsSubdomain, 'spec.externalName', emit);
    return;
  }
  if (clusterIP && clusterIP !== 'None' && !isIP(clusterIP))
    emit('spec.clusterIP', `"${clusterIP}" must be an IP address or None`);
  if (clusterIP && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP)
    emit('spec.clusterIPs', 'its first value must be the clusterIP');
  if (!clusterIP && clusterIPs.length > 0) emit('spec.clusterIPs', 'must be empty when clusterIP is not given');
  if (clusterIP === 'None' && (type === 'NodePort' || type === 'LoadBalancer'))
    emit('spec.clusterIP', `may not be None (headless) for a ${type} Service`);
  list(spec.externalIPs).forEach((ip, i) => {
    if (typeof ip !== 'string' || !isIP(ip))
      emit(`spec.externalIPs[${i}]`, `${JSON.stringify(ip)} must be an IP address`);
  });
}

function checkPolicies(spec: Json, type: string, emit: Emit): void {
  oneOf(spec.sessionAffinity, ['None', 'ClientIP'], 'spec.sessionAffinity', emit);
  // Without ClientIP affinity the server drops sessionAffinityConfig; with it, the timeout is checked.
  const timeout = record(record(spec.sessionAffinityConfig).clientIP).timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && typeof timeout === 'number' && (timeout <= 0 || timeout > 86400))
    emit('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `${timeout} must be greater than 0 and at most 86400`);
  const external = type === 'NodePort' || type === 'LoadBalancer';
  if (spec.externalTrafficPolicy !== undefined) {
    if (!external)
      emit('spec.externalTrafficPolicy', `may only be set when type is NodePort or LoadBalancer (type is ${type})`);
    else oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'], 'spec.externalTrafficPolicy', emit);
  }
  oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'], 'spec.internalTrafficPolicy', emit);
  if (spec.healthCheckNodePort !== undefined && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local'))
    emit('spec.healthCheckNodePort', 'may only be set when type is LoadBalancer and externalTrafficPolicy is Local');
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer')
    emit('spec.allocateLoadBalancerNodePorts', 'may only be set when type is LoadBalancer');
  if (list(spec.loadBalancerSourceRanges).length > 0 && type !== 'LoadBalancer')
    emit('spec.loadBalancerSourceRanges', 'may only be set when type is LoadBalancer');
}

export function checkService(object: Json, emit: Emit, nodePorts: NodePorts): void {
  const spec = record(object.spec);
  const type = text(spec.type) ?? 'ClusterIP';
  oneOf(spec.type, ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], 'spec.type', emit);
  const headless = spec.clusterIP === 'None';
  checkPorts(spec, type, headless, emit, nodePorts, `Service/${text(record(object.metadata).name) ?? '?'}`);
  checkAddresses(spec, type, emit);
  checkPolicies(spec, type, emit);
  if (spec.selector !== undefined) checkLabels(spec.selector, at('spec', 'selector'), emit);
}
