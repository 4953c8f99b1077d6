/** Manifest files and directories -> objects, with YAML errors as problems instead of exceptions. */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isScalar, LineCounter, parseAllDocuments, type Tags } from 'yaml';
import { parseBlockYamlStream, type PlainScalarReader } from '../compose/parse-block';
import { list, record, text, type ManifestInput, type ManifestProblem } from './problems';

/** Files of a stack directory that are not Kubernetes objects. */
const NOT_MANIFESTS = /^(kustomization|kind-cluster)\.ya?ml$/;
const FOREIGN_API = /^(kind\.x-k8s\.io|kustomize\.config\.k8s\.io)\//;
/**
 * YAML as kubectl reads it (sigs.k8s.io/yaml, over go-yaml v2): YAML 1.1, where `0644` is octal
 * 420 and `yes`, `on` and `y` are true; but timestamps and `1:20` stay strings, as go-yaml v2
 * keeps them when decoding into untyped values.
 */
const KUBECTL_YAML = {
  version: '1.1' as const,
  customTags: (tags: Tags) =>
    tags.filter((t) => typeof t !== 'object' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
};

/** A Go template action, as Helm charts hold: `{{ .Values.x }}`, `{{- include "x" . }}`. */
const TEMPLATE_ACTION = /\{\{-?[^}]*\}\}/;

export interface ManifestRead {
  readonly inputs: ManifestInput[];
  readonly problems: ManifestProblem[];
  /**
   * Helm chart directories met on the way (a Chart.yaml in them), each also a problem: their
   * templates are not manifests until `helm template` renders them, so none of their files is read.
   */
  readonly charts: string[];
}

const CHART_MESSAGE =
  'a Helm chart (Chart.yaml): its templates are manifests only once rendered: validate the output of helm template';

const isChart = (dir: string) => fs.existsSync(path.join(dir, 'Chart.yaml'));

/**
 * The chart a path given on the command line is, or whose templates/ it is in: `validate chart`
 * and `validate chart/templates/web.yaml` both mean the chart. A chart's crds/ and any other
 * directory of plain manifests next to a Chart.yaml are read as manifests.
 */
function chartOf(p: string): string | undefined {
  if (isChart(p)) return p;
  for (let dir = path.dirname(p); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const relative = path.relative(dir, p).split(path.sep);
    if (relative[0] === 'templates' && isChart(dir)) return dir;
  }
  return undefined;
}

/** The manifest files under a path, and the charts it holds instead of manifests. */
function walk(p: string, found: { files: string[]; charts: string[] }): void {
  if (!fs.statSync(p).isDirectory()) {
    found.files.push(p);
    return;
  }
  if (isChart(p)) {
    found.charts.push(p);
    return;
  }
  for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(p, e.name);
    if (e.isDirectory()) walk(full, found);
    else if (/\.(ya?ml|json)$/.test(e.name) && !NOT_MANIFESTS.test(e.name)) found.files.push(full);
  }
}

/**
 * Plain scalars as the yaml package reads them with KUBECTL_YAML: its own implicit tags, tried in
 * its order, so the fast path (parse-block.ts) gives the values the yaml package would.
 */
function kubectlPlainScalars(): PlainScalarReader {
  const document = new Document(null, KUBECTL_YAML);
  const tags = document.schema.tags.filter((t) => t.default === true && t.test !== undefined);
  const refuse = (message: string) => {
    // A scalar the yaml package would report: js-yaml then fails, and the yaml package reads the file.
    throw new Error(message);
  };
  return (source) => {
    const tag = tags.find((t) => t.test?.test(source));
    if (!tag?.resolve) return undefined;
    // The scalar tags' resolve (the collection tags', whose first argument is a node, never match a test).
    const resolve = tag.resolve as (value: string, onError: (message: string) => void, options: object) => unknown;
    const resolved = resolve(source, refuse, document.options);
    return { value: isScalar(resolved) ? resolved.value : resolved };
  };
}
let kubectlScalars: PlainScalarReader | undefined;

/** Each readable document as a value with its index among the file's documents, and the problems of the others. */
export interface Documents {
  readonly values: readonly { readonly value: unknown; readonly index: number }[];
  readonly problems: readonly ManifestProblem[];
}

/**
 * The documents of a manifests file: through the fast path when it is block YAML (the files
 * compose-cdk8s writes are: parsing them with the yaml package was half of a validate run),
 * else through the yaml package, which also says where any error is.
 */
function documents(content: string, file: string): Documents {
  const fast = parseBlockYamlStream(content, (kubectlScalars ??= kubectlPlainScalars()));
  if (fast) return { values: fast.map((value, index) => ({ value, index })), problems: [] };
  return yamlPackageDocuments(content, file);
}

/** The objects of one file's text (or of stdin's): every document, `kind: List` items one by one. */
export function parseManifests(
  content: string,
  file: string,
  read: (content: string, file: string) => Documents = documents,
): Pick<ManifestRead, 'inputs' | 'problems'> {
  const inputs: ManifestInput[] = [];
  const docs = read(content, file);
  for (const { value: object, index } of docs.values) {
    if (object === null || object === undefined) continue;
    if (FOREIGN_API.test(text(record(object).apiVersion) ?? '')) continue;
    if (record(object).kind === 'List') {
      list(record(object).items).forEach((item) => inputs.push({ object: item, file, index }));
    } else inputs.push({ object, file, index });
  }
  return { inputs, problems: [...docs.problems] };
}

/** The documents of a file through the yaml package: any YAML error is the file's problem. */
export function yamlPackageDocuments(content: string, file: string): Documents {
  const problems: ManifestProblem[] = [];
  const values: { value: unknown; index: number }[] = [];
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(content, { lineCounter, ...KUBECTL_YAML });
  const all = Array.isArray(docs) ? docs : [docs];
  if (all.some((doc) => doc.errors.length > 0) && TEMPLATE_ACTION.test(content)) {
    // One line, not one YAML error per template action: the file is a template, not broken YAML.
    const message = 'a template, not a manifest (it holds {{ }} actions): render it first (helm template)';
    return { values, problems: [{ severity: 'error', file, path: '', message }] };
  }
  all.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = lineCounter.linePos(e.pos[0]);
      problems.push({
        severity: 'error',
        file,
        path: '',
        message: `${pos.line}:${pos.col}: invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      });
      return;
    }
    try {
      values.push({ value: doc.toJS({ maxAliasCount: 1000 }) as unknown, index });
    } catch (error) {
      // An alias without its anchor, or aliases past the count: yaml says so only when building the value.
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ severity: 'error', file, path: '', message: `invalid YAML: ${message.split('\n')[0]}` });
    }
  });
  return { values, problems };
}

export function readManifestFiles(paths: readonly string[]): ManifestRead {
  const read: ManifestRead = { inputs: [], problems: [], charts: [] };
  for (const p of paths) {
    const found = { files: [] as string[], charts: [] as string[] };
    try {
      const chart = chartOf(p);
      if (chart) found.charts.push(chart);
      else walk(p, found);
    } catch {
      read.problems.push({ severity: 'error', file: p, path: '', message: 'cannot read: no such file or directory' });
      continue;
    }
    for (const chart of found.charts.filter((c) => !read.charts.includes(c))) {
      read.charts.push(chart);
      read.problems.push({ severity: 'error', file: chart, path: '', message: CHART_MESSAGE });
    }
    for (const file of found.files) {
      let content: string;
      try {
        content = fs.readFileSync(file, 'utf8');
      } catch {
        read.problems.push({ severity: 'error', file, path: '', message: 'cannot read the file' });
        continue;
      }
      const parsed = parseManifests(content, file);
      read.inputs.push(...parsed.inputs);
      read.problems.push(...parsed.problems);
    }
  }
  return read;
}
