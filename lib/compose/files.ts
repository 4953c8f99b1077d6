/**
 * Reading one Compose file (parse, then interpolate) and collecting what every stage reports,
 * located in the files read so far: the project's own files, the files it includes and the files
 * its services extend.
 */
import * as fs from 'fs';
import type { Diagnostic, Severity, SourceLocation } from './diagnostics';
import { parseEnvFile } from './env-file';
import { interpolateValue, type Environment } from './interpolate';
import { isRecord } from './merge';
import { locate, locateValue, parseYaml, type LoadLimits, type ParsedFile, type ParseResult } from './parse';
import { fromComposeV1, isComposeV1 } from './v1';

export type FileRole = 'project' | 'included' | 'extended';

export class Collector {
  readonly diagnostics: Diagnostic[] = [];
  private readonly project: ParsedFile[] = [];
  private readonly extended: ParsedFile[] = [];
  /** With how deep they are included: a file's own definitions win over those of the files it includes. */
  private readonly included: { readonly file: ParsedFile; readonly depth: number }[] = [];
  constructor(
    private readonly display: (abs: string) => string,
    readonly limits: LoadLimits,
  ) {}

  /**
   * Searched last first: an included file's `services.db` is the same key path as the including
   * file's, whose definition wins, so included files come before the project's own.
   */
  get files(): readonly ParsedFile[] {
    return [...includedFirst(this.included), ...this.project, ...this.extended];
  }

  /** The included files read since `from` files had been, in search order (see `files`). */
  includedSince(from: number): readonly ParsedFile[] {
    return includedFirst(this.included.slice(from));
  }

  get includedCount(): number {
    return this.included.length;
  }

  addFile(role: FileRole, file: ParsedFile, depth = 0): void {
    if (role === 'included') this.included.push({ file, depth });
    else (role === 'project' ? this.project : this.extended).push(file);
  }

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

  /** Reports at `keyPath` of the file `abs` (an included or extended file shares key paths with others). */
  reportIn(
    abs: string,
    keyPath: string,
    message: string,
    code: string,
    severity: Severity = 'error',
    at: 'key' | 'value' = 'key',
  ) {
    const location = locateInFile(this.files, this.at(abs).file, keyPath, at);
    this.add(severity, code, message, keyPath || undefined, location);
  }

  get failed(): boolean {
    return this.errorCount > 0;
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
}

function includedFirst(files: readonly { readonly file: ParsedFile; readonly depth: number }[]): ParsedFile[] {
  return [...files].sort((a, b) => b.depth - a.depth).map((f) => f.file);
}

export interface LoadedFile {
  readonly parsed: ParsedFile;
  readonly doc: Record<string, unknown>;
  /** Nothing but comments (or `{}`): compose-go refuses a project made only of such files. */
  readonly empty: boolean;
}

/** The position of `keyPath` in the file shown as `file`: other files share its key paths. */
export function locateInFile(
  files: readonly ParsedFile[],
  file: string,
  keyPath: string,
  at: 'key' | 'value' = 'key',
): SourceLocation | undefined {
  const own = files.filter((f) => f.file === file);
  return (at === 'value' ? locateValue : locate)(own.length > 0 ? own : files, keyPath);
}

/** The file's documents (one, unless `---` separates several), parsed and interpolated. */
export function readFile(
  abs: string,
  out: Collector,
  env: Environment,
  warned: Set<string>,
  /** Reports a missing file where it is named, when another file names it. */
  missing?: () => void,
): LoadedFile[] | undefined {
  const documents = readDocuments(abs, out, missing);
  return documents && interpolateDocuments(documents, out, env, warned);
}

/** The file's documents, parsed but not interpolated: the project name is read from them first. */
export function readDocuments(abs: string, out: Collector, missing?: () => void): ParsedFile[] | undefined {
  let text: string;
  try {
    const size = fs.statSync(abs).size;
    if (size > out.limits.maxFileBytes) {
      out.add(
        'error',
        'file-too-large',
        `file is ${size} bytes, over the limit of ${out.limits.maxFileBytes} bytes for a Compose file`,
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
  return parseDocuments(text, abs, out);
}

/**
 * compose-go reads each YAML document of a file as one more file merged over the ones before;
 * the empty documents `---` leaves around content change nothing.
 */
export function parseDocuments(text: string, abs: string, out: Collector): ParsedFile[] | undefined {
  const parsed = parseYamlOnce(text, abs, out.at(abs).file, out.limits);
  if (!parsed.ok) {
    out.diagnostics.push(...parsed.diagnostics);
    return undefined;
  }
  const documents = parsed.documents.map((d) => asComposeDocument(d, abs, out));
  const loaded = documents.filter((d): d is ParsedFile => d !== undefined);
  if (loaded.length < documents.length) return undefined;
  const content = loaded.filter((d) => !isEmpty(d));
  return content.length > 0 ? content : loaded.slice(0, 1);
}

/**
 * The files parsed lately, by path: a few, and small ones (a long-lived process loads many
 * projects, and a copy of a generated stack's parse would cost as much as parsing it).
 */
const parses = new Map<
  string,
  { readonly text: string; readonly file: string; readonly limits: string; readonly result: ParseResult }
>();
const REMEMBERED_PARSES = 64;
const REMEMBERED_TEXT = 256 * 1024;

/**
 * `parseYaml`, once per file text: the variants of a stack read the same files again (each chart
 * of `cdk8s synth` that merges compose.yaml loads it), and parsing YAML is the dearest part of
 * loading a project. Each load is handed its own copy, so none sees what another changed.
 */
function parseYamlOnce(text: string, abs: string, file: string, limits: LoadLimits): ParseResult {
  const limitsKey = `${limits.maxFileBytes} ${limits.maxAliasCount} ${limits.maxDepth}`;
  const known = parses.get(abs);
  if (known && known.text === text && known.file === file && known.limits === limitsKey) {
    parses.delete(abs);
    parses.set(abs, known);
    return structuredClone(known.result);
  }
  const result = parseYaml(text, file, limits);
  if (!result.ok || text.length > REMEMBERED_TEXT) return result;
  parses.delete(abs);
  parses.set(abs, { text, file, limits: limitsKey, result: structuredClone(result) });
  if (parses.size > REMEMBERED_PARSES) parses.delete(parses.keys().next().value as string);
  return result;
}

const isEmpty = (d: ParsedFile) => isRecord(d.value) && Object.keys(d.value).length === 0;

/** A mapping, with a Compose v1 file (services at the top level) read as its v2 twin. */
function asComposeDocument(parsed: ParsedFile, abs: string, out: Collector): ParsedFile | undefined {
  if (!isRecord(parsed.value)) {
    out.add('error', 'schema', 'a Compose file must be a mapping (services:, volumes:, ...)', undefined, out.at(abs));
    return undefined;
  }
  if (!isComposeV1(parsed.value)) return parsed;
  const v1 = fromComposeV1(parsed);
  out.add(
    'warning',
    'deprecated-v1',
    'Compose file format v1 (services at the top level, no "services:") is deprecated: read as if its services were under "services:"',
    undefined,
    v1.at,
  );
  return v1.file;
}

export function interpolateDocuments(
  documents: readonly ParsedFile[],
  out: Collector,
  env: Environment,
  warned: Set<string>,
): LoadedFile[] {
  return documents.map((file) => {
    const files = [file];
    const doc = interpolateValue(
      file.value,
      env,
      '',
      (p, d) => out.add(d.severity, d.code, d.message, d.path || undefined, locate(files, p)),
      warned,
    );
    return { parsed: file, doc: doc as Record<string, unknown>, empty: isEmpty(file) };
  });
}

/**
 * `.env`-format files read in order into one set of variables, as compose-go does for the
 * project's `.env` and an include's `env_file`: `${VAR}` in them sees `over` first, then the
 * values read before. `over` wins over what the files set.
 */
export function readEnvFiles(
  files: readonly string[],
  over: Environment,
  out: Collector,
  unreadable: (file: string, why: 'missing' | 'directory') => void,
): Environment {
  const defined = Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const fromFiles: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      unreadable(file, (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'directory' : 'missing');
      continue;
    }
    const parsed = parseEnvFile(text, { ...fromFiles, ...defined });
    for (const p of parsed.problems) out.add('error', 'invalid-env-file', p.message, undefined, out.at(file, p.line));
    Object.assign(fromFiles, parsed.values);
  }
  return { ...fromFiles, ...defined };
}
