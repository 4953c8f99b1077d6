/**
 * `env_file`: one ConfigMap (plain values) and one Secret (secret values) per file of the project,
 * named after the file, that every service using the file loads with `envFrom`. A `common.env`
 * of 21 services is one object to edit and one copy of its passwords, not 21. Per service, its
 * `environment` wins over the files (a container's `env` wins over `envFrom`), and later files
 * over earlier ones (the last `envFrom` source wins), as in Compose.
 */
import * as path from 'path';
import type { ComposeProject, EnvFile } from '../compose/model';
import { dnsSubdomain } from './names';
import { secretValuesOf } from './secret-values';

/** Kubernetes env names: C identifiers plus `-` and `.`, not starting with a digit. */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export interface EnvFileSource {
  /** The ConfigMap's and the Secret's name: the file's path in the project (`conf/api.env` -> `conf-api.env`, `.env` -> `<project>.env`). */
  readonly name: string;
  /** The file as the project names it, relative to the project directory. */
  readonly file: string;
  readonly configData: Readonly<Record<string, string>>;
  readonly secretData: Readonly<Record<string, string>>;
  /** Why each key of `secretData` is secret (explain shows it). */
  readonly why: Readonly<Record<string, string>>;
  /** Compose services that load it. */
  readonly users: readonly string[];
}

/** One source per file and format (`format: raw` reads the same file to other values). */
const sourceKey = (f: EnvFile) => `${f.path}\0${f.format ?? ''}`;

/**
 * `conf/api.env` -> `conf-api.env`; a hidden file (`.env`, `.env.prod`) takes the project's name
 * in front (`shop.env`): a bare `env` would meet every other stack's in a shared namespace.
 */
function objectName(project: ComposeProject, f: EnvFile, taken: Set<string>): string {
  const relative = path.relative(project.workingDir, f.path).split(path.sep).join('-');
  const base = dnsSubdomain(relative.startsWith('.') ? `${project.name}${relative}` : relative) || 'env';
  const wanted = f.format === 'raw' ? `${base}-raw` : base;
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}-${i}`;
  taken.add(name);
  return name;
}

/** The project's env file sources, keyed by file and format; files outside the project are not read. */
export function planEnvFileSources(project: ComposeProject): ReadonlyMap<string, EnvFileSource> {
  const secrets = secretValuesOf(project);
  const taken = new Set<string>();
  const sources = new Map<string, EnvFileSource>();
  // The first service's read of each file (in name order) gives its values.
  const firstRead = new Map<string, EnvFile>();
  const services = Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name));
  for (const service of services) {
    for (const f of service.envFiles) {
      const key = sourceKey(f);
      if (!firstRead.has(key)) firstRead.set(key, f);
      if (f.outside !== undefined) continue;
      const known = sources.get(key);
      if (known) {
        if (known.users[known.users.length - 1] !== service.name) (known.users as string[]).push(service.name);
        continue;
      }
      sources.set(key, {
        name: objectName(project, f, taken),
        file: path.relative(project.workingDir, f.path).split(path.sep).join('/'),
        configData: {},
        secretData: {},
        why: {},
        users: [service.name],
      });
    }
  }
  // A key is secret when any service using the file would keep it secret (its x-k8s.env included).
  for (const service of services) {
    for (const f of service.envFiles) {
      const source = sources.get(sourceKey(f));
      if (!source) continue;
      for (const [k, value] of Object.entries(f.values)) {
        if (!ENV_NAME.test(k)) continue;
        const c = secrets.classify(service, k, value);
        if (c.secret && !(k in source.secretData)) {
          (source.secretData as Record<string, string>)[k] = value;
          (source.why as Record<string, string>)[k] = c.why;
        }
      }
    }
  }
  const sorted = (data: Readonly<Record<string, string>>) =>
    Object.fromEntries(
      Object.keys(data)
        .sort()
        .map((k) => [k, data[k]]),
    );
  const out = new Map<string, EnvFileSource>();
  for (const [key, source] of sources) {
    const f = firstRead.get(key) as EnvFile;
    const plain = Object.keys(f.values).filter((k) => ENV_NAME.test(k) && !(k in source.secretData));
    out.set(key, {
      ...source,
      configData: Object.fromEntries(plain.sort().map((k) => [k, f.values[k]])),
      secretData: sorted(source.secretData),
    });
  }
  return out;
}

const cache = new WeakMap<ComposeProject, ReadonlyMap<string, EnvFileSource>>();

/** planEnvFileSources, once per project. */
export function envFileSourcesOf(project: ComposeProject): ReadonlyMap<string, EnvFileSource> {
  let sources = cache.get(project);
  if (!sources) {
    sources = planEnvFileSources(project);
    cache.set(project, sources);
  }
  return sources;
}

/** The source a service's env file loads from, when the file is the project's. */
export const envFileSource = (project: ComposeProject, f: EnvFile): EnvFileSource | undefined =>
  envFileSourcesOf(project).get(sourceKey(f));
