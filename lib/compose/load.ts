/**
 * The loader, stage by stage as compose-go does it: discover files, read the env files, then per
 * file parse -> interpolate -> resolve extends; merge the files; validate against the Compose
 * schema; apply profiles; normalize into the ComposeProject model; check references.
 * Every stage reports diagnostics as values; any error ends the load with `ok: false`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic, Severity, SourceLocation } from './diagnostics';
import { ComposeDiagnosticsError } from './diagnostics';
import { parseEnvFile } from './env-file';
import { resolveExtends, type ExtendsFile } from './extends';
import { interpolateValue, type Environment } from './interpolate';
import { isRecord, mergeDocuments } from './merge';
import type { ComposeProject, ComposeService, NetworkDefinition } from './model';
import { normalizeService } from './normalize/service';
import {
  normalizeConfigDefinitions,
  normalizeNetworkDefinitions,
  normalizeSecretDefinitions,
  normalizeVolumeDefinitions,
} from './normalize/top-level';
import type { NormalizeContext } from './normalize/context';
import { DEFAULT_LOAD_LIMITS, locate, locateValue, parseYaml, type LoadLimits, type ParsedFile } from './parse';
import { validateComposeSchema } from './schema';
import { checkProject } from './semantic';
import { fromComposeV1, isComposeV1 } from './v1';
import { warnUnreadXK8s } from './normalize/x-k8s';

export interface LoadOptions {
  /** Project directory; default: the first file's directory, else the current directory. */
  readonly workingDir?: string;
  /** Compose files in merge order (`-f`); default: discovered in the project directory. */
  readonly files?: readonly string[];
  /** `--env-file`: replaces the default `<project dir>/.env`. */
  readonly envFiles?: readonly string[];
  /**
   * The shell environment for `${VAR}` interpolation, `COMPOSE_PROJECT_NAME` and
   * `COMPOSE_PROFILES`; it wins over `.env` files, as in Compose. Not read from `process.env`
   * unless passed, so a library build is reproducible: pass `env: process.env` to load exactly as
   * the CLI does.
   */
  readonly env?: Environment;
  /** @deprecated Use `env`. */
  readonly environment?: Environment;
  /** Enabled profiles; COMPOSE_PROFILES in the environment adds to them. */
  readonly profiles?: readonly string[];
  readonly projectName?: string;
  readonly limits?: Partial<LoadLimits>;
}

export type LoadResult =
  | { readonly ok: true; readonly project: ComposeProject; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly workingDir?: string };

export const DISCOVERED_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The default file of a project directory, plus its override file when present. */
export function discoverFiles(dir: string): string[] {
  const base = DISCOVERED_FILES.find((f) => fs.existsSync(path.join(dir, f)));
  if (!base) return [];
  const stem = base.replace(/\.ya?ml$/, '');
  const override = [`${stem}.override.yaml`, `${stem}.override.yml`].find((f) => fs.existsSync(path.join(dir, f)));
  return [path.join(dir, base), ...(override ? [path.join(dir, override)] : [])];
}

/** Compose's project-name rule: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

class Collector {
  readonly diagnostics: Diagnostic[] = [];
  files: ParsedFile[] = [];
  constructor(private readonly display: (abs: string) => string) {}

  at(file: string, line = 1, column = 1): SourceLocation {
    return { file: this.display(file), line, column };
  }

  add(severity: Severity, code: string, message: string, path?: string, location?: SourceLocation, service?: string) {
    const svc = service ?? (path ? /^services\.([^.[]+)/.exec(path)?.[1] : undefined);
    this.diagnostics.push({ severity, code, message, path, location, ...(svc ? { service: svc } : {}) });
  }

  report = (p: string, message: string, code: string, severity: Severity = 'error', service?: string) => {
    this.add(severity, code, message, p || undefined, locate(this.files, p), service);
  };

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}

interface LoadedFile {
  readonly parsed: ParsedFile;
  readonly doc: Record<string, unknown>;
  /** Nothing but comments (or `{}`): compose-go refuses a project made only of such files. */
  readonly empty: boolean;
}

function readFile(
  abs: string,
  out: Collector,
  limits: LoadLimits,
  env: Environment,
  warned: Set<string>,
  /** Reports a missing file where it is named, when another file names it. */
  missing?: () => void,
): LoadedFile | undefined {
  let text: string;
  try {
    const size = fs.statSync(abs).size;
    if (size > limits.maxFileBytes) {
      out.add(
        'error',
        'file-too-large',
        `file is ${size} bytes, over the limit of ${limits.maxFileBytes} bytes for a Compose file`,
        undefined,
        out.at(abs),
      );
      return undefined;
    }
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    if (missing) missing();
    else out.add('error', 'missing-file', `Compose file ${out.at(abs).file} not found`, undefined, out.at(abs));
    return undefined;
  }
  return parseText(text, abs, out, limits, env, warned);
}

function parseText(
  text: string,
  abs: string,
  out: Collector,
  limits: LoadLimits,
  env: Environment,
  warned: Set<string>,
): LoadedFile | undefined {
  const parsed = parseYaml(text, out.at(abs).file, limits);
  if (!parsed.ok) {
    out.diagnostics.push(...parsed.diagnostics);
    return undefined;
  }
  if (!isRecord(parsed.file.value)) {
    out.add('error', 'schema', 'a Compose file must be a mapping (services:, volumes:, ...)', undefined, out.at(abs));
    return undefined;
  }
  let file = parsed.file;
  if (isComposeV1(parsed.file.value)) {
    const v1 = fromComposeV1(parsed.file);
    file = v1.file;
    out.add(
      'warning',
      'deprecated-v1',
      'Compose file format v1 (services at the top level, no "services:") is deprecated: read as if its services were under "services:"',
      undefined,
      v1.at,
    );
  }
  const files = [file];
  const doc = interpolateValue(
    file.value,
    env,
    '',
    (p, d) => out.add(d.severity, d.code, d.message, d.path || undefined, locate(files, p)),
    warned,
  );
  return { parsed: file, doc: doc as Record<string, unknown>, empty: Object.keys(parsed.file.value).length === 0 };
}

/** The position of `keyPath` in the file shown as `file`: extended files share key paths with the main one. */
function locateInFile(
  files: readonly ParsedFile[],
  file: string,
  keyPath: string,
  at: 'key' | 'value' = 'key',
): SourceLocation | undefined {
  const own = files.filter((f) => f.file === file);
  return (at === 'value' ? locateValue : locate)(own.length > 0 ? own : files, keyPath);
}

/**
 * compose-go refuses a project whose files hold nothing ("empty compose file"); an empty override
 * next to a real file is accepted, and only warned about here since it changes nothing.
 */
function reportEmptyFiles(loaded: readonly LoadedFile[], out: Collector): void {
  const allEmpty = loaded.every((f) => f.empty);
  for (const f of loaded.filter((l) => l.empty)) {
    const at = { file: f.parsed.file, line: 1, column: 1 };
    if (allEmpty) out.add('error', 'empty-file', 'empty Compose file: no services', undefined, at);
    else out.add('warning', 'empty-file', 'empty Compose file: it changes nothing in the project', undefined, at);
  }
}

/** Files with content but no service to run convert to nothing: say so, as kompose does. */
function reportNoServices(disabled: ReadonlyMap<string, readonly string[]>, out: Collector): void {
  const profiles = [...new Set([...disabled.values()].flat())];
  const message =
    disabled.size > 0
      ? `no service is enabled: ${[...disabled.keys()].join(', ')} only run with profile ${profiles.map((p) => `"${p}"`).join(', ')} (add --profile ${profiles[0]})`
      : 'the project has no services: nothing to convert';
  out.report('services', message, 'no-services', 'warning');
}

function loadEnvironment(options: LoadOptions, workingDir: string, out: Collector): Environment {
  const shell = options.env ?? options.environment ?? {};
  const files = options.envFiles ?? [path.join(workingDir, '.env')];
  const fromFiles: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      if (options.envFiles)
        out.add('error', 'missing-file', `env file ${out.at(file).file} not found`, undefined, out.at(file));
      continue;
    }
    const parsed = parseEnvFile(text, { ...fromFiles, ...shell });
    for (const p of parsed.problems) out.add('error', 'invalid-env-file', p.message, undefined, out.at(file, p.line));
    Object.assign(fromFiles, parsed.values);
  }
  const env: Record<string, string | undefined> = { ...fromFiles };
  for (const [k, v] of Object.entries(shell)) if (v !== undefined) env[k] = v;
  return env;
}

function enabledProfiles(options: LoadOptions, env: Environment): string[] {
  const fromEnv = (env.COMPOSE_PROFILES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set([...(options.profiles ?? []), ...fromEnv])];
}

function load(options: LoadOptions, inline?: { content: string; fileName: string }): LoadResult {
  const limits = { ...DEFAULT_LOAD_LIMITS, ...options.limits };
  const cwd = options.workingDir ?? process.cwd();
  const requested = inline
    ? [path.resolve(cwd, inline.fileName)]
    : options.files && options.files.length > 0
      ? options.files.map((f) => path.resolve(cwd, f))
      : discoverFiles(cwd);
  const workingDir = path.resolve(options.workingDir ?? (requested[0] ? path.dirname(requested[0]) : cwd));
  const display = (abs: string) => {
    const rel = path.relative(workingDir, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  };
  const out = new Collector(display);
  if (requested.length === 0) {
    out.add(
      'error',
      'no-compose-file',
      `no Compose file found in ${workingDir} (looked for ${DISCOVERED_FILES.join(', ')})`,
    );
    return { ok: false, diagnostics: out.diagnostics, workingDir };
  }
  const env = loadEnvironment(options, workingDir, out);
  const warned = new Set<string>();

  const loaded: LoadedFile[] = [];
  const extraFiles = new Map<string, ExtendsFile | undefined>();
  for (const [i, abs] of requested.entries()) {
    const file =
      inline && i === 0
        ? parseText(inline.content, abs, out, limits, env, warned)
        : readFile(abs, out, limits, env, warned);
    if (!file) continue;
    loaded.push(file);
  }
  out.files = loaded.map((f) => f.parsed);
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };
  reportEmptyFiles(loaded, out);
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };

  // extends, per file, before merging
  const docs = loaded.map((file) => {
    const services = isRecord(file.doc.services) ? file.doc.services : undefined;
    if (!services) return file.doc;
    const abs = path.resolve(workingDir, file.parsed.file);
    const resolved = resolveExtends(
      { path: abs, baseDir: workingDir, services, tags: file.parsed },
      {
        loadFile: (other, ref) => {
          if (extraFiles.has(other)) return extraFiles.get(other);
          const f = readFile(other, out, limits, env, warned, () =>
            out.add(
              'error',
              'missing-file',
              `extends file ${ref.written} not found`,
              ref.keyPath,
              locateInFile(out.files, out.at(ref.fromPath).file, ref.keyPath, 'value'),
            ),
          );
          const ext =
            f && isRecord(f.doc.services)
              ? { path: other, baseDir: path.dirname(other), services: f.doc.services, tags: f.parsed }
              : undefined;
          if (f) out.files = [...out.files, f.parsed];
          extraFiles.set(other, ext);
          return ext;
        },
        report: (file, p, message, code) =>
          out.add('error', code, message, p, locateInFile(out.files, out.at(file).file, p)),
      },
    );
    return { ...file.doc, services: resolved };
  });
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };

  const merged = docs.slice(1).reduce((acc, doc, i) => mergeDocuments(acc, doc, loaded[i + 1].parsed), docs[0]);
  for (const problem of validateComposeSchema(merged)) {
    out.add(problem.severity, problem.code, problem.message, problem.path, locate(out.files, problem.path ?? ''));
  }
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };
  if ('version' in merged)
    out.report('version', 'the attribute "version" is obsolete and ignored', 'obsolete-version', 'warning');

  const name =
    normalizeProjectName(
      options.projectName ?? env.COMPOSE_PROJECT_NAME ?? (typeof merged.name === 'string' ? merged.name : '') ?? '',
    ) ||
    normalizeProjectName(path.basename(workingDir)) ||
    'default';

  const profiles = enabledProfiles(options, env);
  const rawServices = isRecord(merged.services) ? merged.services : {};
  const disabled = new Map<string, string[]>();
  const ctx: NormalizeContext = {
    workingDir,
    env,
    report: out.report,
    diagnostics: out.diagnostics,
    envFileCache: new Map(),
  };
  const locateIn = (p: string) => locate(out.files, p);
  const services: Record<string, ComposeService> = {};
  for (const [svcName, raw] of Object.entries(rawServices)) {
    if (!isRecord(raw)) continue;
    const own = Array.isArray(raw.profiles) ? raw.profiles.map(String) : [];
    if (own.length > 0 && !profiles.includes('*') && !own.some((p) => profiles.includes(p))) {
      disabled.set(svcName, own);
      continue;
    }
    services[svcName] = normalizeService(svcName, raw, ctx, locateIn);
  }

  warnUnreadXK8s(merged, '', out.report);
  const networks: Record<string, NetworkDefinition> = normalizeNetworkDefinitions(merged.networks, ctx, locateIn);
  if (!networks.default && Object.values(services).some((s) => 'default' in s.networks)) {
    networks.default = { name: 'default', external: false, internal: false, labels: {}, extensions: {} };
  }
  const project: ComposeProject = {
    name,
    workingDir,
    composeFiles: requested,
    services,
    volumes: normalizeVolumeDefinitions(merged.volumes, ctx, locateIn),
    networks,
    secrets: normalizeSecretDefinitions(merged.secrets, ctx, locateIn),
    configs: normalizeConfigDefinitions(merged.configs, ctx, locateIn),
    extensions: Object.fromEntries(Object.entries(merged).filter(([k]) => k.startsWith('x-'))),
    profiles,
    warnings: [],
  };
  checkProject(project, disabled, out.report);
  if (Object.keys(services).length === 0) reportNoServices(disabled, out);
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };
  const warnings = out.diagnostics.filter((d) => d.severity === 'warning');
  return { ok: true, project: { ...project, warnings }, diagnostics: out.diagnostics };
}

export function loadProject(options: LoadOptions = {}): LoadResult {
  return load(options);
}

/** Loads a Compose file given as text, as if it were `fileName` (default compose.yaml) in `workingDir`. */
export function loadProjectFromString(
  content: string,
  options: LoadOptions & { readonly fileName?: string } = {},
): LoadResult {
  return load(options, { content, fileName: options.fileName ?? 'compose.yaml' });
}

export function loadProjectOrThrow(options: LoadOptions = {}): ComposeProject {
  const result = loadProject(options);
  if (!result.ok) throw new ComposeDiagnosticsError(result.diagnostics);
  return result.project;
}
