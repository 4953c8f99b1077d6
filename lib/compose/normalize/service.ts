/** One `services.<name>` mapping -> the normalized ComposeService. */
import { parse as shellParse } from 'shell-quote';
import type { ComposeService, DependsOn, FileReference, ServiceHook, NetworkMode, ServiceNetwork } from '../model';
import type { SourceLocation } from '../diagnostics';
import { childPath } from '../parse';
import { normalizeExpose, normalizePorts } from './ports';
import { normalizeGpus } from './deploy';
import { normalizeDeploy, normalizeDuration, normalizeHealthcheck, normalizeRestart, normalizeSize } from './runtime';
import { normalizeVolumes } from './volumes';
import { normalizeEnvFiles, readLabelFiles } from './env-files';
import { normalizeProvider, normalizeServiceModels } from './models';
import {
  isRecord,
  normalizeEnvironment,
  normalizeExtraHosts,
  optionalNumber,
  optionalString,
  scalarText,
  stringList,
  stringMap,
  truthy,
  type Json,
  type NormalizeContext,
} from './context';
import { readServiceK8s } from './x-k8s';
import { normalizeBuild } from './build';
import { SERVICE_KEYS, writtenKeys } from '../written-keys';

/** Keys the model represents; every other valid key is kept in `unmodeled` and reported by translation. */
const MODELED = new Set([
  'image', 'build', 'pull_policy', 'platform', 'entrypoint', 'command', 'working_dir', 'user', 'environment',
  'env_file', 'labels', 'annotations', 'ports', 'expose', 'volumes', 'tmpfs', 'secrets', 'configs', 'healthcheck',
  'depends_on', 'networks', 'network_mode', 'hostname', 'domainname', 'extra_hosts', 'dns', 'dns_search', 'dns_opt',
  'restart', 'deploy', 'scale', 'cpus', 'mem_limit', 'mem_reservation', 'pids_limit', 'read_only', 'privileged',
  'cap_add', 'cap_drop', 'init', 'tty', 'stdin_open', 'shm_size', 'stop_grace_period', 'stop_signal',
  'container_name', 'sysctls', 'profiles', 'extends', 'label_file', 'provider', 'models', 'gpus',
  'group_add', 'post_start', 'pre_stop', 'pre_start',
]); // prettier-ignore

/** Splits a string command like Compose does (shell words, no shell: operators stay literal). */
export function splitCommand(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(scalarText);
  const text = scalarText(value);
  return shellParse(text, (name) => `$${name}`).map((entry) => {
    if (typeof entry === 'string') return entry;
    if ('comment' in entry) return `#${entry.comment}`;
    if ('pattern' in entry) return entry.pattern;
    return entry.op;
  });
}

/** `post_start`, `pre_stop` or `pre_start`: each entry's command split as `command` is, environment as `environment`. */
function normalizeHooks(value: unknown, ctx: NormalizeContext): ServiceHook[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((h) => ({
    command: splitCommand(h.command),
    image: optionalString(h.image),
    user: optionalString(h.user),
    privileged: truthy(h.privileged),
    workingDir: optionalString(h.working_dir),
    environment: normalizeEnvironment(h.environment, ctx),
    perReplica: truthy(h.per_replica),
  }));
}

function fileReferences(value: unknown, kind: 'secrets' | 'configs'): FileReference[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): FileReference[] => {
    const r: Json = isRecord(item) ? item : { source: scalarText(item) };
    const source = optionalString(r.source);
    if (!source) return [];
    const given = optionalString(r.target);
    const target = given
      ? given.startsWith('/')
        ? given
        : kind === 'secrets'
          ? `/run/secrets/${given}`
          : `/${given}`
      : kind === 'secrets'
        ? `/run/secrets/${source}`
        : `/${source}`;
    // YAML 1.2 reads `0440` as decimal 440; Compose (YAML 1.1) means octal. Digits 0-7 only: octal.
    const rawMode = r.mode;
    const mode =
      typeof rawMode === 'number' && /^[0-7]+$/.test(String(rawMode)) && rawMode >= 8
        ? parseInt(String(rawMode), 8)
        : typeof rawMode === 'string' && /^0?[0-7]+$/.test(rawMode)
          ? parseInt(rawMode, 8)
          : optionalNumber(rawMode);
    return [{ source, target, uid: optionalString(r.uid), gid: optionalString(r.gid), mode }];
  });
}

function normalizeDependsOn(value: unknown): Record<string, DependsOn> {
  const out: Record<string, DependsOn> = {};
  if (Array.isArray(value))
    for (const name of value) out[scalarText(name)] = { condition: 'service_started', required: true, restart: false };
  else if (isRecord(value)) {
    for (const [name, v] of Object.entries(value)) {
      const d = isRecord(v) ? v : {};
      out[name] = {
        condition: (optionalString(d.condition) ?? 'service_started') as DependsOn['condition'],
        required: d.required === undefined ? true : truthy(d.required),
        restart: truthy(d.restart),
      };
    }
  }
  return out;
}

function normalizeNetworkMode(value: unknown): NetworkMode | undefined {
  const text = optionalString(value);
  if (!text) return undefined;
  if (text === 'host' || text === 'none' || text === 'bridge') return { kind: text };
  if (text.startsWith('service:')) return { kind: 'service', service: text.slice('service:'.length) };
  if (text.startsWith('container:')) return { kind: 'container', container: text.slice('container:'.length) };
  return undefined;
}

/** A service with a `provider` is not a container: like compose-go, it joins no default network. */
function normalizeServiceNetworks(
  value: unknown,
  mode: NetworkMode | undefined,
  provider: boolean,
): Record<string, ServiceNetwork> {
  if (value === undefined || value === null) return mode || provider ? {} : { default: { aliases: [] } };
  const out: Record<string, ServiceNetwork> = {};
  if (Array.isArray(value)) for (const name of value) out[scalarText(name)] = { aliases: [] };
  else if (isRecord(value)) {
    for (const [name, v] of Object.entries(value)) {
      const n = isRecord(v) ? v : {};
      out[name] = {
        aliases: stringList(n.aliases),
        ipv4Address: optionalString(n.ipv4_address),
        ipv6Address: optionalString(n.ipv6_address),
        priority: optionalNumber(n.priority),
      };
    }
  }
  return out;
}

/** The position of each label: `labels.<key>` in a mapping, `labels[i]` in a `KEY=value` list. */
function labelLocations(
  value: unknown,
  at: string,
  locate: (path: string) => SourceLocation | undefined,
): Record<string, SourceLocation> {
  const out: Record<string, SourceLocation> = {};
  const add = (key: string, loc: SourceLocation | undefined) => {
    if (loc) out[key] = loc;
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string') add(item.split('=')[0], locate(childPath(at, i)));
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) add(key, locate(childPath(at, key)));
  }
  return out;
}

/** Keys whose values hold commands or variables: where a diagnostic about part of one points. */
const TEXT_KEYS = ['environment', 'command', 'entrypoint'] as const;
const HOOK_KEYS = ['post_start', 'pre_stop', 'pre_start'] as const;

/**
 * Where each value of `environment`, `command`, `entrypoint`, `healthcheck.test` and the hooks'
 * `command` and `environment` is written: `environment.DB_URL` (mapping or `KEY=value` item),
 * `command` (a string) or `command[2]` (an item).
 */
function valueLocations(
  raw: Json,
  p: string,
  locateValue: (path: string) => SourceLocation | undefined,
): Record<string, SourceLocation> {
  const out: Record<string, SourceLocation> = {};
  const add = (rel: string, full: string) => {
    const loc = locateValue(full);
    if (loc) out[rel] = loc;
  };
  const visit = (value: unknown, rel: string, full: string, variables: boolean) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (!variables) return add(childPath(rel, i), childPath(full, i));
        const name = scalarText(item).split('=')[0];
        const loc = locateValue(childPath(full, i));
        if (loc) out[childPath(rel, name)] = loc;
      });
    } else if (isRecord(value)) {
      if (variables) for (const k of Object.keys(value)) add(childPath(rel, k), childPath(full, k));
    } else if (value !== undefined && value !== null) add(rel, full);
  };
  for (const key of TEXT_KEYS) visit(raw[key], key, childPath(p, key), key === 'environment');
  if (isRecord(raw.healthcheck))
    visit(raw.healthcheck.test, 'healthcheck.test', childPath(childPath(p, 'healthcheck'), 'test'), false);
  for (const key of HOOK_KEYS) {
    const hooks = raw[key];
    if (!Array.isArray(hooks)) continue;
    hooks.forEach((h, i) => {
      if (!isRecord(h)) return;
      const rel = childPath(key, i);
      const full = childPath(childPath(p, key), i);
      visit(h.command, childPath(rel, 'command'), childPath(full, 'command'), false);
      visit(h.environment, childPath(rel, 'environment'), childPath(full, 'environment'), true);
    });
  }
  return out;
}

export function normalizeService(
  name: string,
  raw: Json,
  ctx: NormalizeContext,
  locate: (path: string) => SourceLocation | undefined,
  locateValue: (path: string) => SourceLocation | undefined = locate,
): ComposeService {
  const p = childPath('services', name);
  const keyLocations: Record<string, SourceLocation> = {};
  const extensions: Record<string, unknown> = {};
  const unmodeled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const loc = locate(childPath(p, key));
    if (loc) keyLocations[key] = loc;
    if (key.startsWith('x-')) extensions[key] = value;
    else if (!MODELED.has(key)) unmodeled[key] = value;
  }
  const networkMode = normalizeNetworkMode(raw.network_mode);
  const health = normalizeHealthcheck(raw.healthcheck, ctx, childPath(p, 'healthcheck'));
  const grace = normalizeDuration(raw.stop_grace_period, ctx, childPath(p, 'stop_grace_period'));
  const environment = normalizeEnvironment(raw.environment, ctx);
  const labelFiles = readLabelFiles(raw.label_file, ctx, childPath(p, 'label_file'), name);
  return {
    name,
    location: locate(p),
    keyLocations,
    valueLocations: valueLocations(raw, p, locateValue),
    keys: writtenKeys(raw, SERVICE_KEYS, locate, p, { extensions: true }),
    image: optionalString(raw.image),
    build: normalizeBuild(raw.build, ctx, childPath(p, 'build')),
    provider: normalizeProvider(raw.provider),
    models: normalizeServiceModels(raw.models),
    pullPolicy: optionalString(raw.pull_policy) as ComposeService['pullPolicy'],
    platform: optionalString(raw.platform),
    entrypoint: splitCommand(raw.entrypoint),
    command: splitCommand(raw.command),
    workingDir: optionalString(raw.working_dir),
    user: optionalString(raw.user),
    environment,
    envFiles: normalizeEnvFiles(raw.env_file, environment, ctx, childPath(p, 'env_file'), name),
    // As compose-go: what `labels` writes wins over the label files.
    labels: { ...labelFiles.labels, ...stringMap(raw.labels) },
    labelLocations: { ...labelFiles.locations, ...labelLocations(raw.labels, childPath(p, 'labels'), locate) },
    annotations: stringMap(raw.annotations),
    ports: normalizePorts(raw.ports, ctx, childPath(p, 'ports')),
    expose: normalizeExpose(raw.expose, ctx, childPath(p, 'expose')),
    volumes: normalizeVolumes(raw.volumes, raw.tmpfs, ctx, childPath(p, 'volumes')),
    secrets: fileReferences(raw.secrets, 'secrets'),
    configs: fileReferences(raw.configs, 'configs'),
    healthcheck: health.healthcheck,
    healthcheckDisabled: health.disabled,
    dependsOn: normalizeDependsOn(raw.depends_on),
    networks: normalizeServiceNetworks(raw.networks, networkMode, isRecord(raw.provider)),
    networkMode,
    hostname: optionalString(raw.hostname),
    domainname: optionalString(raw.domainname),
    extraHosts: normalizeExtraHosts(raw.extra_hosts),
    dns: stringList(raw.dns),
    dnsSearch: stringList(raw.dns_search),
    dnsOpt: stringList(raw.dns_opt),
    restart: normalizeRestart(raw.restart, ctx, childPath(p, 'restart')),
    gpus: normalizeGpus(raw.gpus, ctx, childPath(p, 'gpus')),
    deploy: normalizeDeploy(raw, ctx, p, locate),
    readOnly: truthy(raw.read_only),
    privileged: truthy(raw.privileged),
    capAdd: stringList(raw.cap_add),
    capDrop: stringList(raw.cap_drop),
    init: raw.init === undefined ? undefined : truthy(raw.init),
    tty: truthy(raw.tty),
    stdinOpen: truthy(raw.stdin_open),
    shmSizeBytes: normalizeSize(raw.shm_size, ctx, childPath(p, 'shm_size')),
    stopGracePeriodMs: grace,
    stopSignal: optionalString(raw.stop_signal),
    containerName: optionalString(raw.container_name),
    sysctls: stringMap(raw.sysctls),
    groupAdd: stringList(raw.group_add),
    postStart: normalizeHooks(raw.post_start, ctx),
    preStop: normalizeHooks(raw.pre_stop, ctx),
    preStart: normalizeHooks(raw.pre_start, ctx),
    extensions,
    k8s: readServiceK8s(raw, p, ctx.report),
    unmodeled,
  };
}
