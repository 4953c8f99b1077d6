/**
 * One container as the API server checks it: name and image, pull and termination message
 * policies, ports, volume mounts of volumes the pod declares, resources (names, requests within
 * limits, whole numbers of extended resources), security context; environment in env.ts,
 * probes and hooks in probes.ts.
 */
import { list, record, text, type Json } from '../problems';
import { at, grammar, oneOf, required, type Emit } from './emit';
import { checkEnv } from './env';
import { descendingPath, portName, portNumber, qualifiedName } from './grammar';
import { checkProbesAndHooks } from './probes';
import { isWholeQuantity, quantityValue } from './quantity';

const MAX_ID = 2 ** 31 - 1;

function checkPorts(c: Json, path: string, hostNetwork: boolean, emit: Emit): void {
  const names = new Set<string>();
  list(c.ports)
    .map(record)
    .forEach((p, j) => {
      const pp = `${path}.ports[${j}]`;
      const name = text(p.name);
      if (name !== undefined) {
        grammar(name, portName, `${pp}.name`, emit);
        if (names.has(name)) emit(`${pp}.name`, `duplicate port name "${name}" in the container`);
        names.add(name);
      }
      const number = portNumber(p.containerPort);
      if (number) emit(`${pp}.containerPort`, number);
      if (p.hostPort !== undefined && p.hostPort !== 0) {
        const host = portNumber(p.hostPort);
        if (host) emit(`${pp}.hostPort`, host);
      }
      oneOf(p.protocol, ['TCP', 'UDP', 'SCTP'], `${pp}.protocol`, emit);
      if (hostNetwork && p.hostPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort)
        emit(`${pp}.hostPort`, 'must equal containerPort when hostNetwork is true');
    });
}

function checkMounts(c: Json, path: string, mountable: ReadonlySet<string>, emit: Emit): void {
  const paths = new Set<string>();
  const privileged = record(c.securityContext).privileged === true;
  list(c.volumeMounts)
    .map(record)
    .forEach((m, j) => {
      const mp = `${path}.volumeMounts[${j}]`;
      const name = text(m.name) ?? '';
      if (!mountable.has(name)) emit(`${mp}.name`, `mounts volume "${name}", which the pod does not declare`);
      const mountPath = text(m.mountPath) ?? '';
      if (mountPath === '') emit(`${mp}.mountPath`, 'required: must not be empty');
      else if (paths.has(mountPath)) emit(`${mp}.mountPath`, `"${mountPath}" is mounted twice in the container`);
      paths.add(mountPath);
      if (text(m.subPath)) grammar(m.subPath, descendingPath, `${mp}.subPath`, emit);
      if (text(m.subPathExpr)) {
        if (text(m.subPath)) emit(`${mp}.subPathExpr`, 'subPathExpr and subPath are mutually exclusive');
        grammar(m.subPathExpr, descendingPath, `${mp}.subPathExpr`, emit);
      }
      oneOf(m.mountPropagation, ['None', 'HostToContainer', 'Bidirectional'], `${mp}.mountPropagation`, emit);
      if (m.mountPropagation === 'Bidirectional' && !privileged)
        emit(`${mp}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers');
    });
}

const STANDARD = ['cpu', 'memory', 'ephemeral-storage'];
const isHugePages = (name: string) => name.startsWith('hugepages-');
/** Resources whose request is a promise of the limit: extended resources and huge pages. */
const notOvercommitted = (name: string) =>
  isHugePages(name) || (name.includes('/') && !name.includes('kubernetes.io/'));

function resourceNameProblem(name: string): string | undefined {
  if (qualifiedName(name)) return `"${name}" is not a resource name`;
  if (!name.includes('/'))
    return STANDARD.includes(name) || isHugePages(name)
      ? undefined
      : `"${name}" is not a container resource (cpu, memory, ephemeral-storage, hugepages-<size>, or <domain>/<name>)`;
  if (name.includes('kubernetes.io/')) return undefined;
  return name.startsWith('requests.') ? `"${name}" is not an extended resource name` : undefined;
}

function checkResources(resources: Json, path: string, emit: Emit): void {
  const limits = record(resources.limits);
  const requests = record(resources.requests);
  for (const [kind, values] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, value] of Object.entries(values)) {
      const rp = `${path}.${kind}.${name}`;
      const problem = resourceNameProblem(name);
      if (problem) emit(rp, problem);
      const n = quantityValue(value);
      if (n !== undefined && n < 0) emit(rp, `${String(value)} must not be negative`);
      if (name.includes('/') && !name.includes('kubernetes.io/') && !isWholeQuantity(value))
        emit(rp, `${String(value)} must be a whole number of ${name}`);
    }
  }
  for (const [name, value] of Object.entries(requests)) {
    const request = quantityValue(value);
    const limit = quantityValue(limits[name]);
    if (notOvercommitted(name)) {
      if (limits[name] === undefined) emit(`${path}.limits`, `${name} needs a limit (equal to its request)`);
      else if (request !== limit) emit(`${path}.requests.${name}`, 'must equal the limit for an extended resource');
    } else if (request !== undefined && limit !== undefined && request > limit * (1 + 1e-12)) {
      emit(`${path}.requests.${name}`, `${String(value)} is more than the ${name} limit ${String(limits[name])}`);
    }
  }
  const all = [...Object.keys(limits), ...Object.keys(requests)];
  if (all.some(isHugePages) && !all.some((n) => n === 'cpu' || n === 'memory'))
    emit(path, 'huge pages require a cpu or memory request or limit');
}

function checkSecurityContext(sc: Json, path: string, emit: Emit): void {
  for (const field of ['runAsUser', 'runAsGroup']) {
    const id = sc[field];
    if (typeof id === 'number' && (id < 0 || id > MAX_ID))
      emit(`${path}.${field}`, `${id} must be between 0 and ${MAX_ID}`);
  }
  oneOf(sc.procMount, ['Default', 'Unmasked'], `${path}.procMount`, emit);
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) emit(path, 'cannot set allowPrivilegeEscalation to false and privileged to true');
    if (list(record(sc.capabilities).add).includes('CAP_SYS_ADMIN'))
      emit(path, 'cannot set allowPrivilegeEscalation to false and add CAP_SYS_ADMIN');
  }
}

export interface ContainerContext {
  readonly mountable: ReadonlySet<string>;
  readonly hostNetwork: boolean;
  readonly init: boolean;
}

export function checkContainer(c: Json, path: string, ctx: ContainerContext, emit: Emit): void {
  required(c.image, at(path, 'image'), emit);
  oneOf(c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'], at(path, 'imagePullPolicy'), emit);
  oneOf(c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError'], at(path, 'terminationMessagePolicy'), emit);
  checkPorts(c, path, ctx.hostNetwork, emit);
  checkEnv(c, path, emit);
  checkMounts(c, path, ctx.mountable, emit);
  checkResources(record(c.resources), at(path, 'resources'), emit);
  checkSecurityContext(record(c.securityContext), at(path, 'securityContext'), emit);
  checkProbesAndHooks(c, path, ctx.init, emit);
}
