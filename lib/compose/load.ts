/**
 * The loader, stage by stage as compose-go does it: discover files, read the env files, then per
 * file parse -> interpolate -> import includes -> resolve extends (project-files.ts); merge the
 * files; validate against the Compose schema; apply profiles; normalize into the ComposeProject
 * model; check references.
 * Every stage reports diagnostics as values; any error ends the load with `ok: false`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkResourceConsistency, checkServiceConsistency } from './consistency';
import type { Diagnostic } from './diagnostics';
import { ComposeDiagnosticsError } from './diagnostics';
import { Collector, interpolateDocuments, parseDocuments, readDocuments, readEnvFiles, type LoadedFile } from './files';
import { isRecord, mergeDocuments } from './merge';
import type { ComposeProject, ComposeService, NetworkDefinition } from './model';
import { normalizeModelDefinitions } from './normalize/models';
import { normalizeService } from './normalize/service';
import {
  normalizeConfigDefinitions,
  normalizeNetworkDefinitions,
  normalizeSecretDefinitions,
  normalizeVolumeDefinitions,
} from './normalize/top-level';
import type { NormalizeContext } from './normalize/context';
import { childPath } from './parse';
import { interpolateString, type Environment } from './interpolate';
import { DEFAULT_LOAD_LIMITS, locate, locateValue, type LoadLimits, type ParsedFile } from './parse';
import { processFile, topScope, type Loading } from './project-files';
import { validateComposeSchema } from './schema';
import { checkProject } from './semantic';
import { warnUnreadXK8s } from './normalize/x-k8s';
import { writtenTopLevelKeys } from './written-keys';
import { inactiveService, isActive, type InactiveService } from './profiles';

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

/** compose-go's DefaultFileNames, in its order of preference. */
export const DISCOVERED_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** compose-go's DefaultOverrideFileNames: any of them goes with any default file. */
const OVERRIDE_FILES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

const present = (dir: string, names: readonly string[]) =>
  names.map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));

/** The default file of a project directory, plus an override file when present. */
export function discoverFiles(dir: string): string[] {
  const base = present(dir, DISCOVERED_FILES)[0];
  const override = present(dir, OVERRIDE_FILES)[0];
  return base ? [base, ...(override ? [override] : [])] : [];
}

/** docker compose warns when a directory holds several default (or override) files, and says which it uses. */
function reportDiscovery(dir: string, out: Collector): void {
  for (const [names, kind] of [
    [DISCOVERED_FILES, 'Compose'],
    [OVERRIDE_FILES, 'override'],
  ] as const) {
    const found = present(dir, names);
    if (found.length < 2) continue;
    const shown = found.map((f) => out.at(f).file);
    out.add(
      'warning',
      'several-compose-files',
      `found several ${kind} files (${shown.join(', ')}): using ${shown[0]}`,
      undefined,
      out.at(found[0]),
    );
  }
}

/** Compose's project-name rule: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
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
  const files = options.envFiles ?? [path.join(workingDir, '.env')];
  return readEnvFiles(files, options.env ?? options.environment ?? {}, out, (file) => {
    if (options.envFiles)
      out.add('error', 'missing-file', `env file ${out.at(file).file} not found`, undefined, out.at(file));
  });
}

/**
 * compose-go's precedence: `-p`, then COMPOSE_PROJECT_NAME, then the last `name:` of the files
 * (interpolated with the variables), then the project directory's name; each normalized.
 */
function projectName(
  options: LoadOptions,
  env: Environment,
  documents: readonly ParsedFile[],
  workingDir: string,
): string {
  const named = documents
    .map((d) => (isRecord(d.value) && typeof d.value.name === 'string' ? d.value.name : ''))
    .filter(Boolean)
    .pop();
  const fromFiles = named === undefined ? '' : normalizeProjectName(interpolateString(named, env).value);
  const given = options.projectName || env.COMPOSE_PROJECT_NAME;
  return (
    (given ? normalizeProjectName(given) : fromFiles) || normalizeProjectName(path.basename(workingDir)) || 'default'
  );
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
  const out = new Collector(display, limits);
  if (requested.length === 0) {
    out.add(
      'error',
      'no-compose-file',
      `no Compose file found in ${workingDir} (looked for ${DISCOVERED_FILES.join(', ')})`,
    );
    return { ok: false, diagnostics: out.diagnostics, workingDir };
  }
  if (!inline && !options.files?.length) reportDiscovery(cwd, out);
  const variables = loadEnvironment(options, workingDir, out);
  const loading: Loading = { out, warned: new Set(), included: [] };

  const parsed: { abs: string; documents: ParsedFile[] }[] = [];
  for (const [i, abs] of requested.entries()) {
    const documents = inline && i === 0 ? parseDocuments(inline.content, abs, out) : readDocuments(abs, out);
    if (documents) parsed.push({ abs, documents });
  }
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };
  const name = projectName(
    options,
    variables,
    parsed.flatMap((p) => p.documents),
    workingDir,
  );
  // As compose-go: ${COMPOSE_PROJECT_NAME} in the files is the project's name, however it was set.
  const env: Environment = { ...variables, COMPOSE_PROJECT_NAME: name };
  const loaded = parsed.flatMap(({ abs, documents }) =>
    interpolateDocuments(documents, out, env, loading.warned).map((file) => ({ abs, file })),
  );
  for (const { file } of loaded) out.addFile('project', file.parsed);
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };
  reportEmptyFiles(
    loaded.map((l) => l.file),
    out,
  );
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };

  const scope = topScope(workingDir, env);
  const docs = loaded.map((l) => processFile(l.file, l.abs, scope, loading));
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };

  const merged = docs.slice(1).reduce((acc, doc, i) => mergeDocuments(acc, doc, loaded[i + 1].file.parsed), docs[0]);
  for (const problem of validateComposeSchema(merged)) {
    out.add(problem.severity, problem.code, problem.message, problem.path, locate(out.files, problem.path ?? ''));
  }
  if (out.failed) return { ok: false, diagnostics: out.diagnostics, workingDir };
  if ('version' in merged)
    out.report('version', 'the attribute "version" is obsolete and ignored', 'obsolete-version', 'warning');

  const profiles = enabledProfiles(options, env);
  const rawServices = isRecord(merged.services) ? merged.services : {};
  const disabled = new Map<string, string[]>();
  const inactive: InactiveService[] = [];
  const ctx: NormalizeContext = {
    workingDir,
    env,
    report: out.report,
    diagnostics: out.diagnostics,
    envFileCache: new Map(),
    hostPaths: new Map(),
    displayPath: display,
  };
  const locateIn = (p: string) => locate(out.files, p);
  const services: Record<string, ComposeService> = {};
  for (const [svcName, raw] of Object.entries(rawServices)) {
    if (!isRecord(raw)) continue;
    const own = Array.isArray(raw.profiles) ? raw.profiles.map(String) : [];
    if (!isActive(own, profiles)) {
      disabled.set(svcName, own);
      inactive.push(inactiveService(svcName, raw, own, locateIn(childPath('services', svcName))));
      continue;
    }
    checkServiceConsistency(svcName, raw, merged, out.report);
    services[svcName] = normalizeService(svcName, raw, ctx, locateIn, (p) => locateValue(out.files, p));
  }

  checkResourceConsistency(merged, out.report);
  warnUnreadXK8s(merged, '', out.report);
  const networks: Record<string, NetworkDefinition> = normalizeNetworkDefinitions(merged.networks, ctx, locateIn);
  if (!networks.default && Object.values(services).some((s) => 'default' in s.networks)) {
    networks.default = { name: 'default', external: false, internal: false, labels: {}, extensions: {} };
  }
  const project: ComposeProject = {
    name,
    workingDir,
    composeFiles: requested,
    includedFiles: loading.included,
    services,
    volumes: normalizeVolumeDefinitions(merged.volumes, ctx, locateIn),
    networks,
    secrets: normalizeSecretDefinitions(merged.secrets, ctx, locateIn),
    configs: normalizeConfigDefinitions(merged.configs, ctx, locateIn),
    models: normalizeModelDefinitions(merged.models, locateIn),
    extensions: Object.fromEntries(Object.entries(merged).filter(([k]) => k.startsWith('x-'))),
    profiles,
    warnings: [],
    keys: writtenTopLevelKeys(merged, locateIn),
    inactive,
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
