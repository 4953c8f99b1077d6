/**
 * A service renamed for Kubernetes (`plausible_db` -> `plausible-db`) no longer answers to its
 * Compose name, and no object can make it: a Service name cannot hold `_`, and `hostAliases`
 * cannot follow a Service's address. So where the stack itself connects to the old name (its
 * variables, env files, commands, healthchecks, hooks, and the files that become ConfigMaps and
 * Secrets) the name is rewritten before translation, and every place is listed. Only host
 * positions are rewritten (host-references.ts); the database named like the service stays.
 */
import { utf8Text } from '../utf8';
import * as path from 'path';
import type { SourceLocation } from '../compose/diagnostics';
import type {
  BindMount,
  ComposeProject,
  ComposeService,
  ConfigDefinition,
  EnvFile,
  Healthcheck,
  SecretDefinition,
  ServiceHook,
  ServiceVolume,
} from '../compose/model';
import { childPath } from '../compose/parse';
import { classifyBind, looksLikeCredentials } from './bind-mounts';
import { lineAndColumn, mentions, rewriteHosts, type HostRename, type Mention } from './host-references';

/**
 * Where a name was found. In a file the stack reads (an env file: its line; a mounted or config
 * file: line and column) the name itself; in a Compose file, the value that holds it.
 */
export interface SiteLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** One occurrence of a renamed name in the stack, rewritten or kept. */
export interface ReferenceSite {
  readonly rename: HostRename;
  readonly at?: SiteLocation;
  /** What holds it: `plausible environment.DATABASE_URL`, `DATABASE_URL` (of an env file), `configs app_conf`. */
  readonly what: string;
  /** The services it is under, with their key (explain shows it there). */
  readonly users: readonly { readonly service: string; readonly key: string }[];
  /** Why it stays as written; undefined when it was rewritten. */
  readonly kept?: string;
}

export interface RenamedReferences {
  /** The project with the host names rewritten. */
  readonly project: ComposeProject;
  readonly sites: readonly ReferenceSite[];
}

export const formatSiteLocation = (at: SiteLocation): string =>
  [at.file, at.line, at.line !== undefined ? at.column : undefined].filter((p) => p !== undefined).join(':');

/** The sites found, each once however many services share the text (an env file, a mounted file). */
class Sites {
  private readonly byPlace = new Map<
    string,
    { site: ReferenceSite; whats: string[]; users: ReferenceSite['users'][number][] }
  >();

  add(m: Mention, at: SiteLocation | undefined, what: string, user: { service: string; key: string }, kept = m.kept) {
    const place = [at ? formatSiteLocation(at) : what, m.index, m.rename.from].join('\0');
    const known = this.byPlace.get(place);
    if (!known) {
      const site = { rename: m.rename, ...(at ? { at } : {}), what, users: [], ...(kept ? { kept } : {}) };
      this.byPlace.set(place, { site, whats: [what], users: [user] });
      return;
    }
    if (!known.whats.includes(what)) known.whats.push(what);
    if (!known.users.some((u) => u.service === user.service && u.key === user.key)) known.users.push(user);
  }

  /** In file order: by file, line and column. */
  get all(): ReferenceSite[] {
    const order = (s: ReferenceSite) => [s.at?.file ?? '', s.at?.line ?? 0, s.at?.column ?? 0] as const;
    return [...this.byPlace.values()]
      .map(({ site, whats, users }) => ({ ...site, what: whats.join(', '), users }))
      .sort((a, b) => {
        const [fa, la, ca] = order(a);
        const [fb, lb, cb] = order(b);
        return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb;
      });
  }
}

const fromLocation = (l: SourceLocation | undefined): SiteLocation | undefined =>
  l ? { file: l.file, line: l.line, column: l.column } : undefined;

/** `what`, saying which line of a value of several lines holds the name. */
function withValueLine(what: string, text: string, m: Mention): string {
  const { line } = lineAndColumn(text, m.index);
  return line > 1 ? `${what} (line ${line} of the value)` : what;
}

/** A command as the words the container runs: mentions found in the words joined, as a shell would read them. */
function rewriteArgv(
  argv: readonly string[],
  renames: readonly HostRename[],
  report: (m: Mention, word: number) => void,
): string[] {
  const starts: number[] = [];
  let offset = 0;
  for (const word of argv) {
    starts.push(offset);
    offset += word.length + 1;
  }
  const found = mentions(argv.join(' '), renames);
  return argv.map((word, i) => {
    const own = found
      .filter((m) => m.index >= starts[i] && m.index < starts[i] + word.length)
      .map((m) => ({ ...m, index: m.index - starts[i] }));
    own.forEach((m) => report(m, i));
    return rewriteHosts(word, own);
  });
}

interface Walk {
  readonly project: ComposeProject;
  readonly renames: readonly HostRename[];
  readonly sites: Sites;
  /** Rewritten contents by file, the same for every service mounting it. */
  readonly files: Map<string, Buffer>;
}

const relative = (project: ComposeProject, abs: string) => {
  const rel = path.relative(project.workingDir, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
};

/** Variables (`environment`, a hook's), keyed `<at>.<NAME>`, located by the service's value locations. */
function rewriteVariables(
  w: Walk,
  s: ComposeService,
  variables: Readonly<Record<string, string>>,
  at: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    const key = childPath(at, name);
    const found = mentions(value, w.renames, { variable: name });
    const where = fromLocation(s.valueLocations[key] ?? s.keyLocations[at.split(/[.[]/)[0]]);
    for (const m of found) w.sites.add(m, where, withValueLine(`${s.name} ${key}`, value, m), { service: s.name, key });
    out[name] = rewriteHosts(value, found);
  }
  return out;
}

function rewriteEnvFile(w: Walk, s: ComposeService, f: EnvFile): EnvFile {
  if (f.outside !== undefined) return f;
  const file = relative(w.project, f.path);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(f.values)) {
    const found = mentions(value, w.renames, { variable: name });
    const line = f.lines?.[name];
    for (const m of found)
      w.sites.add(m, { file, ...(line !== undefined ? { line } : {}) }, name, {
        service: s.name,
        key: 'env_file',
      });
    values[name] = rewriteHosts(value, found);
  }
  return { ...f, values };
}

/** A command or entrypoint (`key`), each word located by `locate(word)`. */
function rewriteCommand(
  w: Walk,
  s: ComposeService,
  argv: readonly string[] | undefined,
  key: string,
  locate: (word: number) => SourceLocation | undefined,
): string[] | undefined {
  if (argv === undefined) return undefined;
  return rewriteArgv(argv, w.renames, (m, word) =>
    w.sites.add(m, fromLocation(locate(word)), withValueLine(`${s.name} ${key}`, argv[word], m), {
      service: s.name,
      key,
    }),
  );
}

function commandLocator(s: ComposeService, key: string): (word: number) => SourceLocation | undefined {
  return (word) => s.valueLocations[childPath(key, word)] ?? s.valueLocations[key] ?? s.keyLocations[key];
}

function rewriteHealthcheck(w: Walk, s: ComposeService, h: Healthcheck | undefined): Healthcheck | undefined {
  if (!h?.test) return h;
  const key = 'healthcheck.test';
  const locate = (item: number) =>
    s.valueLocations[childPath(key, item)] ??
    s.valueLocations[childPath(key, 1)] ??
    s.valueLocations[key] ??
    h.location;
  if (h.test.kind === 'exec') {
    // `["CMD", "pg_isready", ...]`: the words come after `CMD`.
    const argv = rewriteCommand(w, s, h.test.argv, key, (word) => locate(word + 1)) ?? [];
    return { ...h, test: { kind: 'exec', argv } };
  }
  const script = h.test.script;
  const found = mentions(script, w.renames);
  for (const m of found)
    w.sites.add(m, fromLocation(locate(1)), withValueLine(`${s.name} ${key}`, script, m), { service: s.name, key });
  return { ...h, test: { kind: 'shell', script: rewriteHosts(script, found) } };
}

function rewriteHooks(w: Walk, s: ComposeService, hooks: readonly ServiceHook[], at: string): ServiceHook[] {
  return hooks.map((h, i) => {
    const key = childPath(at, i);
    const commandKey = childPath(key, 'command');
    return {
      ...h,
      ...(h.command ? { command: rewriteCommand(w, s, h.command, commandKey, commandLocator(s, commandKey)) } : {}),
      environment: rewriteVariables(w, s, h.environment, childPath(key, 'environment')),
    };
  });
}

/**
 * A text file the stack holds. `copied`: it becomes a ConfigMap or Secret, and is rewritten;
 * otherwise (code, data, mounted from the node) its host names are only listed.
 */
function rewriteFile(
  w: Walk,
  file: string,
  bytes: Buffer,
  copied: boolean,
  what: string,
  user: { service: string; key: string },
): Buffer {
  const done = w.files.get(file);
  const text = utf8Text(bytes);
  if (text === undefined || looksLikeCredentials(file)) return bytes;
  const found = mentions(text, w.renames);
  for (const m of found) {
    if (!copied && m.kept !== undefined) continue;
    const kept = copied
      ? m.kept
      : 'not rewritten: the file is not copied into the manifests (code or data, mounted as it is)';
    w.sites.add(m, { file, ...lineAndColumn(text, m.index) }, what, user, kept);
  }
  if (!copied || found.every((m) => m.kept !== undefined)) return bytes;
  const rewritten = done ?? Buffer.from(rewriteHosts(text, found), 'utf8');
  w.files.set(file, rewritten);
  return rewritten;
}

function rewriteBind(w: Walk, s: ComposeService, v: BindMount, i: number): BindMount {
  if (v.hostSide.kind !== 'project') return v;
  const copied = classifyBind(v, s, w.project).class === 'config';
  const user = { service: s.name, key: `volumes[${i}]` };
  const what = `mounted by ${s.name} at ${v.target}`;
  const host = v.host;
  if (host.kind === 'file' && host.content) {
    const content = rewriteFile(w, v.hostSide.path, host.content, copied, what, user);
    return content === host.content ? v : { ...v, host: { ...host, content, sizeBytes: content.length } };
  }
  if (host.kind !== 'directory' || !host.files) return v;
  const files: Record<string, Buffer> = {};
  for (const [rel, bytes] of Object.entries(host.files))
    files[rel] = rewriteFile(w, `${v.hostSide.path}/${rel}`, bytes, copied, what, user);
  const totalBytes = Object.values(files).reduce((n, b) => n + b.length, 0);
  return { ...v, host: { ...host, files, totalBytes } };
}

function rewriteVolume(w: Walk, s: ComposeService, v: ServiceVolume, i: number): ServiceVolume {
  return v.type === 'bind' ? rewriteBind(w, s, v, i) : v;
}

/** The content of a top-level config or secret a service mounts. */
function rewriteDefinition<D extends ConfigDefinition | SecretDefinition>(
  w: Walk,
  kind: 'configs' | 'secrets',
  name: string,
  def: D,
  user: { service: string; key: string },
): D {
  if (def.external || def.content === undefined) return def;
  if (def.file !== undefined) {
    const content = rewriteFile(w, relative(w.project, def.file), def.content, true, `${kind} ${name}`, user);
    return content === def.content ? def : { ...def, content };
  }
  const text = utf8Text(def.content);
  if (text === undefined) return def;
  const found = mentions(text, w.renames);
  const key = (k: string) => childPath(childPath(kind, name), k);
  const written = w.project.keys.find((k) => k.path === key('content') || k.path === key('environment'));
  for (const m of found)
    w.sites.add(m, fromLocation(written?.location ?? def.location), withValueLine(`${kind} ${name}`, text, m), user);
  return found.some((m) => m.kept === undefined) ? { ...def, content: Buffer.from(rewriteHosts(text, found)) } : def;
}

function rewriteService(w: Walk, s: ComposeService): ComposeService {
  return {
    ...s,
    environment: rewriteVariables(w, s, s.environment, 'environment'),
    envFiles: s.envFiles.map((f) => rewriteEnvFile(w, s, f)),
    command: rewriteCommand(w, s, s.command, 'command', commandLocator(s, 'command')),
    entrypoint: rewriteCommand(w, s, s.entrypoint, 'entrypoint', commandLocator(s, 'entrypoint')),
    healthcheck: rewriteHealthcheck(w, s, s.healthcheck),
    postStart: rewriteHooks(w, s, s.postStart, 'post_start'),
    preStop: rewriteHooks(w, s, s.preStop, 'pre_stop'),
    preStart: rewriteHooks(w, s, s.preStart, 'pre_start'),
    volumes: s.volumes.map((v, i) => rewriteVolume(w, s, v, i)),
  };
}

/**
 * `project` with every host use of a renamed name rewritten to the name the cluster knows, and
 * every occurrence found (rewritten, or kept with the reason). Names that differ only in case
 * need nothing: DNS ignores case.
 */
export function rewriteRenamedReferences(project: ComposeProject, renames: readonly HostRename[]): RenamedReferences {
  const needed = renames.filter((r) => r.from.toLowerCase() !== r.to);
  if (needed.length === 0) return { project, sites: [] };
  const w: Walk = { project, renames: needed, sites: new Sites(), files: new Map() };
  const configs = { ...project.configs };
  const secrets = { ...project.secrets };
  const services: Record<string, ComposeService> = {};
  for (const s of Object.values(project.services)) {
    services[s.name] = rewriteService(w, s);
    // From the definition as written each time, so every service mounting it is listed.
    s.configs.forEach((ref, i) => {
      const def = project.configs[ref.source];
      const user = { service: s.name, key: `configs[${i}]` };
      if (def) configs[ref.source] = rewriteDefinition(w, 'configs', ref.source, def, user);
    });
    s.secrets.forEach((ref, i) => {
      const def = project.secrets[ref.source];
      const user = { service: s.name, key: `secrets[${i}]` };
      if (def) secrets[ref.source] = rewriteDefinition(w, 'secrets', ref.source, def, user);
    });
  }
  return { project: { ...project, services, configs, secrets }, sites: w.sites.all };
}
