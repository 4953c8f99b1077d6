/**
 * The per-file stage, as compose-go's loadYamlFile runs it: a parsed and interpolated file gets
 * its `include`s imported, then its `extends` resolved. An included project is loaded the same
 * way, recursively, with its own directory and variables, then merged, validated and rebased onto
 * the including project before its resources are imported.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveExtends, type ExtendsFile } from './extends';
import { readEnvFiles, readFile, type Collector, type LoadedFile } from './files';
import {
  importResources,
  readIncludeEntries,
  resolveIncludedEnvironment,
  type IncludeEntry,
  type IncludeRef,
} from './include';
import type { Environment } from './interpolate';
import { isRecord, mergeDocuments } from './merge';
import { locate } from './parse';
import { rebaseDocument } from './rebase';
import { validateComposeSchema } from './schema';

type Json = Record<string, unknown>;

/** One project: the top-level one, or one that is included. */
export interface Scope {
  /** Include paths, a project file's `extends.file` and its relative host paths resolve from here. */
  readonly dir: string;
  readonly env: Environment;
  /** The files that include this project, outermost first: including one of them again is a cycle. */
  readonly chain: readonly string[];
  /** Files read for `extends`, once per project (its variables interpolate them). */
  readonly extended: Map<string, ExtendsFile | undefined>;
}

export interface Loading {
  readonly out: Collector;
  /** Variables already warned about as unset. */
  readonly warned: Set<string>;
  /** Absolute paths of the included files, in the order they were read. */
  readonly included: string[];
}

export function topScope(dir: string, env: Environment): Scope {
  return { dir, env, chain: [], extended: new Map() };
}

function resolveFileExtends(doc: Json, abs: string, scope: Scope, ctx: Loading, file: LoadedFile): Json {
  const services = isRecord(doc.services) ? doc.services : undefined;
  if (!services) return doc;
  const { out } = ctx;
  const resolved = resolveExtends(
    { path: abs, baseDir: scope.dir, services, tags: file.parsed },
    {
      loadFile: (other, ref) => {
        if (scope.extended.has(other)) return scope.extended.get(other);
        const missing = () =>
          out.reportIn(
            ref.fromPath,
            ref.keyPath,
            `extends file ${ref.written} not found`,
            'missing-file',
            'error',
            'value',
          );
        const documents = readFile(other, out, scope.env, ctx.warned, missing);
        for (const d of documents ?? []) out.addFile('extended', d.parsed);
        const ext = documents && extendedFile(other, documents);
        if (documents && !ext) {
          out.reportIn(ref.fromPath, ref.keyPath, `extends file ${ref.written} has no services`, 'undefined-service');
        }
        scope.extended.set(other, ext);
        return ext;
      },
      report: (file, p, message, code) => out.reportIn(file, p, message, code),
    },
  );
  return { ...doc, services: resolved };
}

/** The services of a file read for `extends`, its documents merged; undefined when it has none. */
function extendedFile(abs: string, documents: readonly LoadedFile[]): ExtendsFile | undefined {
  const merged = documents.slice(1).reduce((acc, d) => mergeDocuments(acc, d.doc, d.parsed), documents[0].doc);
  if (!isRecord(merged.services)) return undefined;
  const tags = {
    resets: new Set(documents.flatMap((d) => [...d.parsed.resets])),
    overrides: new Set(documents.flatMap((d) => [...d.parsed.overrides])),
  };
  return { path: abs, baseDir: path.dirname(abs), services: merged.services, tags };
}

/** One file of a project: its includes imported first, so that its services can extend theirs. */
export function processFile(file: LoadedFile, abs: string, scope: Scope, ctx: Loading): Json {
  let doc = file.doc;
  if ('include' in doc) {
    const { include, ...rest } = doc;
    const report = (p: string, message: string, code: string, severity: 'error' | 'warning') =>
      ctx.out.reportIn(abs, p, message, code, severity, 'value');
    doc = rest;
    for (const entry of readIncludeEntries(include, report)) {
      const imported = loadIncluded(entry, abs, scope, ctx);
      if (imported) doc = importResources(imported, doc, file.parsed);
    }
    // Kept (and left alone from here on) so that the account lists the include entries too.
    doc = { ...doc, include };
  }
  return resolveFileExtends(doc, abs, scope, ctx, file);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** An include's variables: the including project's, plus what its env files add (they never override). */
function includeEnvironment(entry: IncludeEntry, dir: string, from: string, scope: Scope, out: Collector): Environment {
  const defaultEnv = path.join(dir, '.env');
  const given = entry.envFiles?.filter((f) => f.written !== '/dev/null');
  const files = given ? given.map((f) => path.resolve(scope.dir, f.written)) : isFile(defaultEnv) ? [defaultEnv] : [];
  const refs = new Map<string, IncludeRef>(given?.map((f) => [path.resolve(scope.dir, f.written), f]));
  return readEnvFiles(files, scope.env, out, (file, why) => {
    const ref = refs.get(file);
    const message = `env file ${ref?.written ?? file} ${why === 'directory' ? 'is not a file' : 'not found'}`;
    if (ref) out.reportIn(from, ref.keyPath, message, 'missing-file', 'error', 'value');
    else out.add('error', 'missing-file', message, undefined, out.at(file));
  });
}

/** What docker compose's git and OCI resource loaders accept: nothing the loader may download. */
const REMOTE = /^(oci:\/\/|git@|git:\/\/|ssh:\/\/|https?:\/\/)/;

function cycle(chain: readonly string[], next: string, out: Collector): string {
  return `include cycle detected: ${[...chain, next].map((f) => out.at(f).file).join(' includes ')}`;
}

/** The files an entry includes, absolute; undefined (reported) when one is remote or includes an includer. */
function includedPaths(
  entry: IncludeEntry,
  from: string,
  chain: readonly string[],
  scope: Scope,
  out: Collector,
): { ref: IncludeRef; abs: string }[] | undefined {
  const remote = entry.paths.find((ref) => REMOTE.test(ref.written));
  if (remote) {
    const message = `remote include ${remote.written} is not fetched: check it out and include the local path`;
    out.reportIn(from, remote.keyPath, message, 'remote-include', 'error', 'value');
    return undefined;
  }
  const files = entry.paths.map((ref) => ({ ref, abs: path.resolve(scope.dir, ref.written) }));
  // compose-go checks the main file only, and loops forever on an override file that cycles.
  const cyclic = files.find((f) => chain.includes(f.abs));
  if (!cyclic) return files;
  out.reportIn(from, cyclic.ref.keyPath, cycle(chain, cyclic.abs, out), 'include-cycle', 'error', 'value');
  return undefined;
}

/** Each included file's documents, through the per-file stage; undefined when one is missing. */
function processIncluded(
  files: readonly { ref: IncludeRef; abs: string }[],
  from: string,
  child: Scope,
  ctx: Loading,
): { doc: Json; file: LoadedFile }[] | undefined {
  const { out } = ctx;
  const docs: { doc: Json; file: LoadedFile }[] = [];
  let missingFiles = 0;
  for (const { ref, abs } of files) {
    const missing = () =>
      out.reportIn(from, ref.keyPath, `included file ${ref.written} not found`, 'missing-file', 'error', 'value');
    const documents = readFile(abs, out, child.env, ctx.warned, missing);
    if (!documents) {
      missingFiles++;
      continue;
    }
    ctx.included.push(abs);
    for (const file of documents) {
      out.addFile('included', file.parsed, child.chain.length);
      docs.push({ doc: processFile(file, abs, child, ctx), file });
    }
  }
  return missingFiles === 0 ? docs : undefined;
}

/**
 * The included project, merged, checked against the schema and rebased onto the including project;
 * undefined when anything in it failed, since importing it would report its problems again.
 */
function loadIncluded(entry: IncludeEntry, from: string, scope: Scope, ctx: Loading): Json | undefined {
  const { out } = ctx;
  const chain = [...scope.chain, from];
  const files = includedPaths(entry, from, chain, scope, out);
  if (!files) return undefined;
  const dir = entry.projectDirectory
    ? path.resolve(scope.dir, entry.projectDirectory.written)
    : path.dirname(files[0].abs);
  const env = includeEnvironment(entry, dir, from, scope, out);
  const firstFile = out.includedCount;
  const errorsBefore = out.errorCount;
  const docs = processIncluded(files, from, { dir, env, chain, extended: new Map() }, ctx);
  if (!docs || out.errorCount > errorsBefore) return undefined;
  const merged = docs.slice(1).reduce((acc, d) => mergeDocuments(acc, d.doc, d.file.parsed), docs[0].doc);
  const own = out.includedSince(firstFile);
  for (const problem of validateComposeSchema(merged)) {
    out.add(problem.severity, problem.code, problem.message, problem.path, locate(own, problem.path ?? ''));
  }
  if ('version' in merged) {
    const message = 'the attribute "version" is obsolete and ignored';
    out.add('warning', 'obsolete-version', message, 'version', locate(own, 'version'));
  }
  if (out.errorCount > errorsBefore) return undefined;
  return rebaseDocument(resolveIncludedEnvironment(merged, env), dir, scope.dir);
}
