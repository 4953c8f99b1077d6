/**
 * The Traefik containers of a stack (image `traefik`), read for what decides how the labels of
 * the other services route: whether the Docker provider exposes services by default, and the
 * ports of its entry points. Their static configuration is read where Compose shows it: the
 * command's flags, TRAEFIK_* variables, and a mounted traefik.yml.
 */
import { parse as parseYaml } from 'yaml';
import { isRecord } from '../compose/merge';
import type { BindMount, ComposeProject, ComposeService } from '../compose/model';
import { partial, type Finding } from '../translate/findings';

export interface TraefikProxy {
  readonly service: string;
  /** `providers.docker.exposedByDefault` (default true): false routes only `traefik.enable=true` services. */
  readonly exposedByDefault: boolean;
  /** Its entry points by lower-case name, with the port each listens on (when the address says it). */
  readonly entryPoints: ReadonlyMap<string, number | undefined>;
  /** Where its configuration turns the Docker provider on, when it does. */
  readonly dockerProvider?: 'command' | 'environment' | 'config file';
  /** Providers other than Docker it reads routes from (`file`, `kubernetescrd`...). */
  readonly otherProviders: readonly string[];
  /** It reaches the Docker API: the socket is mounted, or an endpoint is given. */
  readonly dockerApi: boolean;
}

export const isTraefikImage = (image: string | undefined): boolean =>
  image !== undefined && /^(?:[^@]*\/)?traefik(?:[:@]|$)/i.test(image);

/** Provider options that are not providers. */
const PROVIDER_SETTINGS = new Set(['providersthrottleduration']);

/** `--a.b=x` / `--a.b` flags, as Traefik reads them: names are case-insensitive. */
function fromFlags(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const m = /^--?([A-Za-z][\w.[\]-]*)(?:=(.*))?$/.exec(arg);
    if (m) out.set(m[1].toLowerCase(), m[2] ?? 'true');
  }
  return out;
}

/** TRAEFIK_PROVIDERS_DOCKER_EXPOSEDBYDEFAULT=false -> providers.docker.exposedbydefault. */
function fromEnvironment(environment: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(environment)) {
    if (/^TRAEFIK_/i.test(name)) out.set(name.slice('TRAEFIK_'.length).toLowerCase().replace(/_/g, '.'), value);
  }
  return out;
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, 'true');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k.toLowerCase()}` : k.toLowerCase(), out);
  } else if (prefix) out.set(prefix, value === null ? 'true' : String(value));
}

const CONFIG_FILES = ['/etc/traefik/traefik.yml', '/etc/traefik/traefik.yaml', '/traefik.yml', '/traefik.yaml'];

/** The static configuration file it reads, when mounted from the project and written in YAML. */
function fromConfigFile(service: ComposeService, flags: ReadonlyMap<string, string>): Map<string, string> {
  const wanted = flags.get('configfile');
  const file = service.volumes.find(
    (v): v is BindMount =>
      v.type === 'bind' && (wanted !== undefined ? v.target === wanted : CONFIG_FILES.includes(v.target)),
  );
  const out = new Map<string, string>();
  if (file?.host.kind !== 'file' || !file.host.content || !/\.ya?ml$/i.test(file.target)) return out;
  try {
    flatten(parseYaml(file.host.content.toString('utf8')), '', out);
  } catch {
    // A file Traefik cannot read either: nothing to learn from it.
  }
  return out;
}

/** Go's strconv.ParseBool, which Traefik uses. */
export function goBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value.trim())) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value.trim())) return false;
  return undefined;
}

/** `:80`, `0.0.0.0:443/tcp`, `[::]:8080` -> the port. */
function addressPort(address: string): number | undefined {
  const m = /:(\d+)(?:\/\w+)?$/.exec(address.trim());
  return m ? Number(m[1]) : undefined;
}

function readProxy(service: ComposeService): TraefikProxy {
  const flags = fromFlags(service.command ?? []);
  const env = fromEnvironment(service.environment);
  const file = fromConfigFile(service, flags);
  // Traefik reads one source of static configuration: the file, else flags, else variables.
  const [settings, source] =
    file.size > 0
      ? ([file, 'config file'] as const)
      : flags.size > 0
        ? ([flags, 'command'] as const)
        : ([env, 'environment'] as const);
  const providers = new Set([...settings.keys()].flatMap((k) => (k.startsWith('providers.') ? [k.split('.')[1]] : [])));
  const dockerOn = providers.has('docker') && goBool(settings.get('providers.docker') ?? 'true') !== false;
  const entryPoints = new Map<string, number | undefined>();
  for (const [k, v] of settings) {
    const m = /^entrypoints\.([^.]+)\.address$/.exec(k);
    if (m) entryPoints.set(m[1], addressPort(v));
  }
  const socket = service.volumes.some((v) => v.type === 'bind' && /docker\.sock$/.test(v.target));
  return {
    service: service.name,
    exposedByDefault: goBool(settings.get('providers.docker.exposedbydefault') ?? 'true') ?? true,
    entryPoints,
    ...(dockerOn ? { dockerProvider: source } : {}),
    otherProviders: [...providers].filter((p) => p !== 'docker' && !PROVIDER_SETTINGS.has(p)).sort(),
    dockerApi: socket || settings.has('providers.docker.endpoint'),
  };
}

const proxiesOf = new WeakMap<ComposeProject, readonly TraefikProxy[]>();

/** The stack's Traefik containers with the Docker provider on, in file order. */
export function traefikProxies(project: ComposeProject): readonly TraefikProxy[] {
  let proxies = proxiesOf.get(project);
  if (!proxies) {
    proxies = Object.values(project.services)
      .filter((s) => isTraefikImage(s.image))
      .map(readProxy)
      .filter((p) => p.dockerProvider !== undefined);
    proxiesOf.set(project, proxies);
  }
  return proxies;
}

/** The finding's key: where the Docker provider is turned on. */
const PROVIDER_KEY = { command: 'command', environment: 'environment', 'config file': 'volumes' } as const;

/**
 * A Traefik that routes only by the Docker labels of the stack has nothing to do in the cluster:
 * the pods are no Docker containers it could find, and its routes are the Ingress objects the
 * labels became.
 */
export function replaceableProxyFinding(proxy: TraefikProxy): Finding | undefined {
  if (!proxy.dockerProvider || !proxy.dockerApi || proxy.otherProviders.length > 0) return undefined;
  return partial(
    PROVIDER_KEY[proxy.dockerProvider],
    "Traefik's Docker provider routes by the labels of the containers the Docker API lists, and the stack's pods are no Docker containers: their labels became Ingress objects, which the cluster's ingress controller serves, so this service can be left out (it is converted all the same)",
  );
}
