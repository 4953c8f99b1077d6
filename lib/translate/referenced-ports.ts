/**
 * Ports the stack reaches a service on without the service declaring them. On a Compose network
 * every port a container listens on answers by its name: a worker reaches its broker at
 * `n8n:5679` while `n8n` lists only 5678 under `ports`. The Service named after the service
 * forwards the ports it lists, so the ports the stack itself names (`name:port` in variables,
 * env files, commands, healthchecks, hooks, `configs` and mounted configuration files, or a
 * `*_HOST` variable set to the name beside its `*_PORT`) are listed too. A port only an image
 * knows cannot be seen from here; explain says so (service-addressing.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ComposeProject, ComposeService, HealthTest } from '../compose/model';
import { utf8Text } from '../utf8';
import { keyKind } from './host-references';

export interface PortReference {
  readonly port: number;
  /** Where the stack names it: `worker environment.N8N_RUNNERS_BROKER_URI`, `proxy ./nginx.conf`. */
  readonly where: string;
}

/** Mounted files larger than this are data, not configuration naming hosts. */
const MAX_FILE_BYTES = 256 * 1024;

interface Text {
  readonly text: string;
  readonly where: string;
}

/** The names a service answers to on its networks: its own, container_name, aliases. */
export function serviceNames(service: ComposeService): string[] {
  const aliases = Object.values(service.networks).flatMap((n) => n.aliases);
  return [...new Set([service.name, ...(service.containerName ? [service.containerName] : []), ...aliases])];
}

const healthText = (test: HealthTest | undefined): string | undefined =>
  test === undefined ? undefined : test.kind === 'exec' ? test.argv.join(' ') : test.script;

/** A mounted regular file inside the project, small and text: configuration that may name hosts. */
function mountedText(file: string, project: ComposeProject): string | undefined {
  const rel = path.relative(project.workingDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return utf8Text(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Every text of a service that may name another service's host and port. */
function textsOf(service: ComposeService, project: ComposeProject): Text[] {
  const of = (key: string) => `${service.name} ${key}`;
  const texts: Text[] = [];
  for (const [k, v] of Object.entries(service.environment)) texts.push({ text: v, where: of(`environment.${k}`) });
  for (const file of service.envFiles)
    for (const [k, v] of Object.entries(file.values))
      texts.push({ text: v, where: `${path.relative(project.workingDir, file.path) || file.path} ${k}` });
  if (service.entrypoint) texts.push({ text: service.entrypoint.join(' '), where: of('entrypoint') });
  if (service.command) texts.push({ text: service.command.join(' '), where: of('command') });
  const health = healthText(service.healthcheck?.test);
  if (health) texts.push({ text: health, where: of('healthcheck.test') });
  for (const ref of service.configs) {
    const content = project.configs[ref.source]?.content;
    if (content) texts.push({ text: content.toString('utf8'), where: of(`configs ${ref.source}`) });
  }
  for (const v of service.volumes) {
    if (v.type !== 'bind') continue;
    const text = mountedText(v.source, project);
    if (text !== undefined) texts.push({ text, where: of(path.relative(project.workingDir, v.source) || v.source) });
  }
  return texts;
}

/** `host:port` with a whole host name before the colon (`x.api:80` names `x.api`, not `api`). */
const HOST_PORT = /(?<![A-Za-z0-9_.-])([A-Za-z0-9][A-Za-z0-9_.-]*):(\d{1,5})(?!\d)/g;

const validPort = (p: number) => p >= 1 && p <= 65535;

/** `REDIS_HOST=cache` beside `REDIS_PORT=6380`: the host the variables name together, and its port. */
function hostAndPortVariables(env: Readonly<Record<string, string>>): { host: string; port: number; key: string }[] {
  const found: { host: string; port: number; key: string }[] = [];
  const byKey = new Map(Object.entries(env).map(([k, v]) => [k.toUpperCase(), { key: k, value: v.trim() }]));
  for (const [key, value] of Object.entries(env)) {
    if (keyKind(key) !== 'host' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value.trim())) continue;
    const stem = key.replace(/(HOST(NAME)?|SERVER|ADDR(ESS)?)$/i, '');
    const port = byKey.get(`${stem}PORT`.toUpperCase());
    if (port && /^\d{1,5}$/.test(port.value) && validPort(Number(port.value)))
      found.push({ host: value.trim(), port: Number(port.value), key: port.key });
  }
  return found;
}

/**
 * For each service, the TCP ports the stack reaches it on by one of its names, each once,
 * ascending. Each text is read once, whatever the number of services.
 */
export function referencedPorts(project: ComposeProject): Map<string, PortReference[]> {
  const owners = new Map<string, string>();
  for (const s of Object.values(project.services))
    for (const name of serviceNames(s)) if (!owners.has(name.toLowerCase())) owners.set(name.toLowerCase(), s.name);
  const found = new Map<string, Map<number, string>>();
  const note = (host: string, port: number, where: string) => {
    const owner = owners.get(host.toLowerCase());
    if (owner === undefined || !validPort(port)) return;
    const ports = found.get(owner) ?? new Map<number, string>();
    if (!ports.has(port)) ports.set(port, where);
    found.set(owner, ports);
  };
  for (const service of Object.values(project.services)) {
    for (const t of textsOf(service, project))
      for (const m of t.text.matchAll(HOST_PORT)) note(m[1], Number(m[2]), t.where);
    for (const env of [service.environment, ...service.envFiles.map((f) => f.values)])
      for (const v of hostAndPortVariables(env)) note(v.host, v.port, `${service.name} ${v.key}`);
  }
  const out = new Map<string, PortReference[]>();
  for (const [service, ports] of found)
    out.set(
      service,
      [...ports.entries()].sort(([a], [b]) => a - b).map(([port, where]) => ({ port, where })),
    );
  return out;
}

/**
 * The referenced ports a service's Service forwards besides its own: only a service that declares
 * ports (under `ports`, `expose`, or by its routing labels) has a virtual IP that needs them; one
 * that declares none resolves to its pods, where every port answers already.
 */
export function namedPorts(
  service: ComposeService,
  routed: readonly number[],
  references: readonly PortReference[] = [],
): PortReference[] {
  const declared = new Set([
    ...service.ports.filter((p) => p.protocol === 'tcp').map((p) => p.target),
    ...service.expose.filter((e) => e.protocol === 'tcp').map((e) => e.port),
    ...routed,
  ]);
  if (service.ports.length + service.expose.length + routed.length === 0) return [];
  return references.filter((r) => !declared.has(r.port));
}
