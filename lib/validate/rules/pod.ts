/**
 * A pod spec (a Pod's, or a workload's template) as the API server checks it: volumes, container
 * names unique across init and regular containers, each container, host ports not taken twice,
 * the pod's policies, security context, DNS settings, host name and the names it refers to;
 * where it runs in ../scheduling-checks.ts.
 */
import { list, record, text, type Json } from '../problems';
import { checkPodScheduling } from '../scheduling-checks';
import { checkContainer } from './container';
import { at, grammar, oneOf, type Emit } from './emit';
import { dnsLabel, dnsSubdomain, isIP } from './grammar';
import { checkVolumes } from './volumes';

const MAX_ID = 2 ** 31 - 1;

function checkContainerNames(spec: Json, path: string, emit: Emit): void {
  const names = new Set<string>();
  for (const field of ['containers', 'initContainers'] as const) {
    list(spec[field])
      .map(record)
      .forEach((c, i) => {
        const name = text(c.name) ?? '';
        const np = at(path, `${field}[${i}].name`);
        if (name === '') emit(np, 'required: must not be empty');
        else grammar(name, dnsLabel, np, emit);
        if (names.has(name)) emit(np, `duplicate container name "${name}"`);
        names.add(name);
      });
  }
}

/** A host port is one per protocol and host address: among regular containers, and within each init container. */
function checkHostPorts(spec: Json, path: string, emit: Emit): void {
  const groups = [
    { field: 'containers', members: list(spec.containers).map((c, i) => ({ c: record(c), i })) },
    ...list(spec.initContainers).map((c, i) => ({ field: 'initContainers', members: [{ c: record(c), i }] })),
  ];
  for (const { field, members } of groups) {
    const taken = new Set<string>();
    for (const { c, i } of members) {
      list(c.ports)
        .map(record)
        .forEach((p, j) => {
          if (typeof p.hostPort !== 'number' || p.hostPort === 0) return;
          const key = `${text(p.protocol) ?? 'TCP'}/${text(p.hostIP) ?? ''}/${p.hostPort}`;
          if (taken.has(key))
            emit(at(path, `${field}[${i}].ports[${j}].hostPort`), `host port ${key} is taken twice in the pod`);
          taken.add(key);
        });
    }
  }
}

function checkPodSecurityContext(sc: Json, path: string, emit: Emit): void {
  for (const field of ['fsGroup', 'runAsUser', 'runAsGroup']) {
    const id = sc[field];
    if (typeof id === 'number' && (id < 0 || id > MAX_ID))
      emit(`${path}.${field}`, `${id} must be between 0 and ${MAX_ID}`);
  }
  list(sc.supplementalGroups).forEach((g, i) => {
    if (typeof g === 'number' && (g < 0 || g > MAX_ID))
      emit(`${path}.supplementalGroups[${i}]`, `${g} must be between 0 and ${MAX_ID}`);
  });
  const sysctls = new Set<string>();
  list(sc.sysctls)
    .map(record)
    .forEach((s, i) => {
      const name = text(s.name) ?? '';
      const sp = `${path}.sysctls[${i}].name`;
      if (name === '') emit(sp, 'required: must not be empty');
      else if (name.length > 253 || !/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(name))
        emit(sp, `"${name}" is not a sysctl name (lowercase segments separated by "." or "/")`);
      else if (sysctls.has(name)) emit(sp, `duplicate sysctl "${name}"`);
      sysctls.add(name);
    });
  oneOf(sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always'], `${path}.fsGroupChangePolicy`, emit);
}

function checkDns(spec: Json, path: string, emit: Emit): void {
  const config = record(spec.dnsConfig);
  const nameservers = list(config.nameservers);
  if (spec.dnsPolicy === 'None' && nameservers.length === 0)
    emit(at(path, 'dnsConfig.nameservers'), 'dnsPolicy None needs at least one nameserver in dnsConfig');
  if (nameservers.length > 3) emit(at(path, 'dnsConfig.nameservers'), `${nameservers.length} nameservers: at most 3`);
  nameservers.forEach((ns, i) => {
    if (typeof ns !== 'string' || !isIP(ns))
      emit(at(path, `dnsConfig.nameservers[${i}]`), `${JSON.stringify(ns)} must be an IP address`);
  });
  const searches = list(config.searches).map(String);
  if (searches.length > 32) emit(at(path, 'dnsConfig.searches'), `${searches.length} search domains: at most 32`);
  if (searches.join(' ').length > 2048)
    emit(at(path, 'dnsConfig.searches'), 'more than 2048 characters of search domains');
  searches.forEach((s, i) => grammar(s.replace(/\.$/, ''), dnsSubdomain, at(path, `dnsConfig.searches[${i}]`), emit));
  list(config.options).forEach((o, i) => {
    if (!text(record(o).name)) emit(at(path, `dnsConfig.options[${i}].name`), 'required: must not be empty');
  });
}

export interface PodOptions {
  /** A StatefulSet's claim templates, which its pods mount by name. */
  readonly claimVolumes?: readonly string[];
}

/** `pod` is the Pod or the template (metadata and spec); `path` leads to it (`spec.template`, or '' for a Pod). */
export function checkPodSpec(pod: Json, path: string, emit: Emit, options: PodOptions = {}): void {
  const spec = record(pod.spec);
  const sp = at(path, 'spec');
  const mountable = checkVolumes(list(spec.volumes).map(record), at(sp, 'volumes'), emit, options.claimVolumes);
  // A missing list is the schema check's to report.
  if (Array.isArray(spec.containers) && spec.containers.length === 0)
    emit(at(sp, 'containers'), 'required: a pod needs at least one container');
  checkContainerNames(spec, sp, emit);
  const hostNetwork = spec.hostNetwork === true;
  for (const field of ['initContainers', 'containers'] as const)
    list(spec[field])
      .map(record)
      .forEach((c, i) =>
        checkContainer(c, at(sp, `${field}[${i}]`), { mountable, hostNetwork, init: field === 'initContainers' }, emit),
      );
  checkHostPorts(spec, sp, emit);
  oneOf(spec.restartPolicy, ['Always', 'OnFailure', 'Never'], at(sp, 'restartPolicy'), emit);
  oneOf(spec.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], at(sp, 'dnsPolicy'), emit);
  oneOf(spec.preemptionPolicy, ['PreemptLowerPriority', 'Never'], at(sp, 'preemptionPolicy'), emit);
  checkPodSecurityContext(record(spec.securityContext), at(sp, 'securityContext'), emit);
  checkDns(spec, sp, emit);
  for (const field of ['hostname', 'subdomain'])
    if (text(spec[field])) grammar(spec[field], dnsLabel, at(sp, field), emit);
  for (const field of ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName'])
    if (text(spec[field])) grammar(spec[field], dnsSubdomain, at(sp, field), emit);
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > MAX_ID))
    emit(at(sp, 'activeDeadlineSeconds'), `${deadline} must be between 1 and ${MAX_ID}`);
  checkPodScheduling(spec, path, emit);
}
