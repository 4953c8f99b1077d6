/**
 * The account, proved key by key over the whole Compose schema: for every key the bundled schema
 * defines, a small project sets it (test/support/key-samples.ts), and the conversion must say what
 * became of it, truthfully. A translated key names objects and fields that exist, and setting the
 * key changes them (the same project without the key converts to something else there); a dropped
 * key is warned about at its own line; nothing is lost. A key added to the schema without a rule
 * in the registry fails the first test.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { formatDiagnostic, loadProject, type Diagnostic } from '../../lib/compose';
import { COMPOSE_KEYS, type KeyNode } from '../../lib/compose/generated/compose-keys';
import { childPath } from '../../lib/compose/parse';
import { patternChild, SERVICE_KEYS } from '../../lib/compose/written-keys';
import { fieldValues, isUnder, type KeyExplanation } from '../../lib/translate/account';
import type { KeyRule } from '../../lib/translate/key-rules';
import { PROJECT_RULES, SERVICE_RULES } from '../../lib/translate/registry';
import { targetFiles } from '../../lib/targets/files';
import { accountProblems } from '../support/account';
import {
  ENVIRONMENT,
  PROJECT_FILES,
  PROJECT_SAMPLES,
  SERVICE_CONTEXT,
  SERVICE_SAMPLES,
  TOP_LEVEL,
  VOLUME_ITEMS,
} from '../support/key-samples';
import { tempProject } from '../support/project';

type Json = Record<string, unknown>;

function patterns(tree: KeyNode, prefix = ''): { pattern: string; leaf: boolean }[] {
  return Object.entries(tree).flatMap(([key, child]) => {
    const pattern = patternChild(prefix, key);
    return [{ pattern, leaf: Object.keys(child).length === 0 }, ...patterns(child, pattern)];
  });
}

const TOP_TREE: KeyNode = Object.fromEntries(Object.entries(COMPOSE_KEYS).filter(([k]) => k !== 'services'));
const SERVICE_PATTERNS = patterns(SERVICE_KEYS);
const PROJECT_PATTERNS = patterns(TOP_TREE);

/** `a.b[].c` -> ['a', 'b', '[]', 'c'] */
const segmentsOf = (pattern: string) => pattern.replace(/\[\]/g, '.[]').split('.');
/** `a.b[]` -> `a.b`, `a.b` -> `a`, `a` -> '' (no parent). */
function parentPattern(pattern: string): string {
  const parent = pattern.replace(/(\.[^.[\]]+|\[\])$/, '');
  return parent === pattern ? '' : parent;
}

/** The rule that accounts for a pattern: its own, or the row above it for a part. */
function rowRule(pattern: string, rules: ReadonlyMap<string, KeyRule>): { rule: KeyRule; pattern: string } {
  for (let p = pattern; p; p = parentPattern(p)) {
    const rule = rules.get(p);
    if (rule && rule.rule !== 'part' && rule.rule !== 'group') {
      // Under a dropped key everything is dropped with it.
      for (let q = parentPattern(p); q; q = parentPattern(q))
        if (rules.get(q)?.rule === 'dropped') return rowRule(q, rules);
      return { rule, pattern: p };
    }
  }
  throw new Error(`no rule accounts for ${pattern}`);
}

describe('the key registry covers the Compose schema', () => {
  test('every key of the schema has exactly one rule, and every rule a key', () => {
    expect(SERVICE_PATTERNS.filter((p) => !SERVICE_RULES.has(p.pattern)).map((p) => p.pattern)).toEqual([]);
    expect(PROJECT_PATTERNS.filter((p) => !PROJECT_RULES.has(p.pattern)).map((p) => p.pattern)).toEqual([]);
    const known = new Set([...SERVICE_PATTERNS.map((p) => p.pattern), 'x-k8s', 'x-*']);
    expect([...SERVICE_RULES.keys()].filter((p) => !known.has(p))).toEqual([]);
    const top = new Set([...PROJECT_PATTERNS.map((p) => p.pattern), 'x-*', 'services']);
    expect([...PROJECT_RULES.keys()].filter((p) => !top.has(p))).toEqual([]);
  });

  test('a key translated as part of another has that other key above it', () => {
    for (const [rules, list] of [
      [SERVICE_RULES, SERVICE_PATTERNS],
      [PROJECT_RULES, PROJECT_PATTERNS],
    ] as const) {
      // A group has no row of its own: its keys each have one.
      for (const { pattern } of list.filter((p) => rules.get(p.pattern)?.rule !== 'group'))
        expect(() => rowRule(pattern, rules)).not.toThrow();
    }
  });
});

/** A service sets a key inside the smallest valid context: list items and named entries filled in. */
function serviceWith(pattern: string, value: unknown): { service: Json; key: string } {
  const segments = segmentsOf(pattern);
  const service: Json = { image: 'nginx:1.27-alpine' };
  let at: Record<string | number, unknown> = service;
  let key = '';
  let prefix = '';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const here = seg === '[]' ? `${prefix}[]` : prefix ? `${prefix}.${seg}` : seg;
    let name: string | number = seg;
    let fresh: unknown = segments[i + 1] === '[]' ? [] : {};
    if (seg === '[]') {
      name = 0;
      // A mount's sub-keys depend on its type: each type gets the item it needs.
      fresh =
        prefix === 'volumes'
          ? { ...(VOLUME_ITEMS[segments[i + 1]] ?? VOLUME_ITEMS.volume) }
          : { ...(SERVICE_CONTEXT[here]?.value ?? {}) };
    } else if (seg === '*') {
      name = SERVICE_CONTEXT[here]?.name ?? 'x';
      fresh = { ...(SERVICE_CONTEXT[here]?.value ?? {}) };
    } else if (SERVICE_CONTEXT[here] !== undefined) {
      fresh = { ...SERVICE_CONTEXT[here].value };
    }
    if (last) {
      if (value !== undefined) at[name] = value;
    } else if (at[name] === undefined) at[name] = fresh;
    at = at[name] as Record<string | number, unknown>;
    key = childPath(key, name);
    prefix = here;
  });
  return { service, key };
}

/** Keys that need the service itself shaped around them. */
function adjust(pattern: string, service: Json): Json {
  if (pattern.startsWith('build')) {
    const build = typeof service.build === 'object' && service.build !== null ? (service.build as Json) : {};
    if (pattern !== 'build') service.build = { context: './app', ...build };
  }
  if (pattern.startsWith('extends.')) service.extends = { file: './base.yaml', service: 'other-base' };
  // A Service without ports is headless already: dnsrr shows on one with ports.
  if (pattern === 'deploy.endpoint_mode') service.ports = ['8080:80'];
  // per_replica: false is worth a warning only with several replicas.
  if (pattern === 'pre_start[].per_replica') service.deploy = { replicas: 2 };
  if (pattern.startsWith('provider'))
    service.provider = { type: 'model', options: { model: 'ai/smollm2' }, ...(service.provider as Json) };
  return service;
}

/** Short forms for keys that hold other keys, set as a whole. */
const WHOLE: Readonly<Record<string, unknown>> = {
  build: './app',
  depends_on: ['db'],
  env_file: './app.env',
  healthcheck: { test: ['CMD', 'true'] },
  networks: ['back'],
  ports: ['8080:80'],
  secrets: ['token'],
  configs: ['app'],
  volumes: ['data:/data'],
  extends: 'db',
  gpus: 'all',
  logging: { driver: 'syslog' },
  devices: ['/dev/ttyUSB0'],
  ulimits: { nofile: 1024 },
  develop: { watch: [{ path: './src', action: 'rebuild' }] },
  blkio_config: { weight: 300 },
  credential_spec: { config: 'spec' },
  post_start: [{ command: 'echo started' }],
  pre_stop: [{ command: 'echo stopping' }],
  pre_start: [{ command: 'echo prepared' }],
  models: ['llm'],
  provider: { type: 'model', options: { model: 'ai/smollm2' } },
};

const GENERIC: Readonly<Record<string, unknown>> = {};

interface Converted {
  readonly chart?: ComposeChart;
  /** The files written beside the manifests (load-images.sh, kind-cluster.yaml), by name. */
  readonly stackFiles: ReadonlyMap<string, string>;
  readonly objects: Json[];
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: string[];
}

function convert(doc: Json, profiles: string[] = []): Converted {
  const dir = tempProject({ ...PROJECT_FILES, 'included.yaml': 'services:\n  inc:\n    image: busybox:1.36\n' });
  fs.writeFileSync(path.join(dir, 'compose.yaml'), stringify(doc));
  const loaded = loadProject({ workingDir: dir, env: { ...ENVIRONMENT, HOME: dir }, profiles });
  if (!loaded.ok)
    return {
      objects: [],
      stackFiles: new Map(),
      diagnostics: loaded.diagnostics,
      errors: loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
    };
  const chart = new ComposeChart(Testing.app(), 'walk', { project: loaded.project });
  const errors = chart.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  const objects = errors.length > 0 ? [] : (Testing.synth(chart) as Json[]);
  const files =
    errors.length > 0 ? new Map() : targetFiles(chart, chart.exposure, path.join(dir, 'k8s'), objects).files;
  const stackFiles = new Map([...files].map(([name, file]) => [name, String(file.content)]));
  return { chart, objects, stackFiles, diagnostics: [...loaded.diagnostics, ...chart.diagnostics], errors };
}

const ref = (o: Json) => `${String(o.kind)}/${String((o.metadata as Json).name)}`;

/** Whether some field the row names holds something else than without the key. */
/**
 * Whether setting the key changed what its row names (the fields the row names with or without
 * the key: `nocopy` removes an init container), or what the conversion reports (a warning a key
 * answers, as `per_replica: true` does).
 */
function changed(
  row: KeyExplanation,
  baseRow: KeyExplanation | undefined,
  base: Converted,
  variant: Converted,
): boolean {
  const warnings = (c: Converted) =>
    JSON.stringify(
      c.diagnostics
        .filter((d) => d.severity === 'warning')
        .map((d) => d.message)
        .sort(),
    );
  if (warnings(base) !== warnings(variant)) return true;
  return [...row.becomes, ...(baseRow?.becomes ?? [])].some(({ object, fields }) => {
    const before = base.objects.find((o) => ref(o) === object);
    const after = variant.objects.find((o) => ref(o) === object);
    if (!before || !after) return true;
    const view = (o: Json) => JSON.stringify(fields.length === 0 ? o : fields.map((f) => fieldValues(o, f)));
    return view(before) !== view(after);
  });
}

function rowOf(rows: readonly KeyExplanation[], key: string): KeyExplanation | undefined {
  return rows.filter((r) => isUnder(key, r.key)).sort((a, b) => b.key.length - a.key.length)[0];
}

function expectAccounted(
  rows: readonly KeyExplanation[],
  baseRows: readonly KeyExplanation[],
  key: string,
  full: string,
  rule: KeyRule,
  converted: Converted,
  base: Converted,
): void {
  const row = rowOf(rows, key);
  expect({ key, row: row?.key }).toEqual({ key, row: expect.any(String) });
  if (!row) return;
  const warned = converted.diagnostics.some(
    (d) =>
      d.severity === 'warning' &&
      d.location !== undefined &&
      d.path !== undefined &&
      (isUnder(d.path, full) || isUnder(full, d.path)),
  );
  if (rule.rule === 'dropped') {
    // A dropped key is warned about at itself or at the key it belongs to.
    expect({ key, status: row.status, warned }).toEqual({ key, status: 'dropped', warned: true });
    return;
  }
  if (rule.rule === 'stack-file') {
    // Carried into a file beside the manifests: that file must differ from the one without the key.
    if (row.status === 'partial') {
      expect({ key, warned }).toEqual({ key, warned: true });
      return;
    }
    expect({ key, status: row.status }).toEqual({ key, status: 'translated' });
    const changedFile = converted.stackFiles.get(rule.file) !== base.stackFiles.get(rule.file);
    expect({ key, file: rule.file, changed: changedFile }).toEqual({ key, file: rule.file, changed: true });
    return;
  }
  if (rule.rule === 'loader') {
    expect({ key, status: row.status, note: row.note !== undefined }).toEqual({
      key,
      status: row.status === 'partial' ? 'partial' : 'translated',
      note: true,
    });
    return;
  }
  if (row.status === 'dropped' || row.status === 'partial') {
    // Translated keys may meet a value they cannot carry: then they say so, at the key.
    expect({ key, status: row.status, warned }).toEqual({ key, status: row.status, warned: true });
    if (row.status === 'dropped') return;
  }
  expect({ key, becomes: row.becomes.length > 0 || row.note !== undefined }).toEqual({ key, becomes: true });
  if (row.becomes.length > 0)
    expect({
      key,
      changed: changed(
        row,
        baseRows.find((r) => r.key === row.key),
        base,
        converted,
      ),
    }).toEqual({ key, changed: true });
}

const BASE_DOC = (): Json => ({
  // The walk edits the document in place: every project gets its own copy of the shared parts.
  services: {
    web: { image: 'nginx:1.27-alpine' },
    db: {
      image: 'postgres:16-alpine',
      volumes: ['data:/var/lib/postgresql/data', 'other:/other'],
      networks: ['back', 'default'],
      secrets: ['token', 'other', 'npmrc'],
      configs: ['app', 'other'],
    },
    other: { image: 'busybox:1.36', command: ['sleep', 'infinity'] },
  },
  ...structuredClone(TOP_LEVEL),
});

const serviceCases = SERVICE_PATTERNS.filter(
  ({ pattern, leaf }) => leaf || (WHOLE[pattern] !== undefined && SERVICE_RULES.get(pattern)?.rule !== 'part'),
).map(({ pattern, leaf }) => [pattern, leaf] as const);

describe('every service key ends translated, with fields it changed, or reported at its line', () => {
  const base = convert(BASE_DOC());

  test('the project without any of the keys converts', () => {
    expect(base.errors).toEqual([]);
  });

  test.each(serviceCases)('%s', (pattern, leaf) => {
    const value = leaf ? (pattern in SERVICE_SAMPLES ? SERVICE_SAMPLES[pattern] : GENERIC[pattern]) : WHOLE[pattern];
    expect({ pattern, sampled: value !== undefined }).toEqual({ pattern, sampled: true });
    const { service, key } = serviceWith(pattern, value);
    const without = serviceWith(pattern, undefined).service;
    const doc = BASE_DOC();
    (doc.services as Json).web = adjust(pattern, service);
    const baseDoc = BASE_DOC();
    (baseDoc.services as Json).web = adjust(pattern, pruneUndefined(without));
    const profiles = pattern === 'profiles' ? ['web'] : [];
    const variant = convert(doc, profiles);
    expect({ pattern, errors: variant.errors }).toEqual({ pattern, errors: [] });
    const before = convert(baseDoc, profiles);
    expect({ pattern, baseErrors: before.errors }).toEqual({ pattern, baseErrors: [] });
    const chart = variant.chart as ComposeChart;
    expect({ pattern, problems: accountProblems(chart, variant.diagnostics) }).toEqual({ pattern, problems: [] });
    // A provider service runs nothing: its keys are accounted on the chart's list of providers.
    const rowsOf = (c: ComposeChart | undefined) =>
      c === undefined
        ? []
        : c.services.has('web')
          ? c.service('web').explanations
          : (c.providers.find((p) => p.service === 'web')?.keys ?? []);
    const rows = rowsOf(chart);
    const baseRows = rowsOf(before.chart);
    expectAccounted(rows, baseRows, key, `services.web.${key}`, rowRule(pattern, SERVICE_RULES).rule, variant, before);
  });
});

function pruneUndefined(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Top-level keys: set on the elements every walked project declares (`volumes.data`, `networks.back`). */
const ELEMENT_NAMES: Readonly<Record<string, string>> = {
  volumes: 'data',
  networks: 'back',
  secrets: 'token',
  configs: 'app',
  models: 'llm',
};

function projectWith(pattern: string, value: unknown): { doc: Json; key: string } {
  const doc = BASE_DOC();
  const segments = segmentsOf(pattern);
  let at: Json = doc;
  let key = '';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const name = seg === '*' ? ELEMENT_NAMES[segments[i - 1]] : seg === '[]' ? 0 : seg;
    const container = at as unknown as Record<string | number, unknown>;
    if (last) {
      if (value === undefined) delete container[name];
      else container[name] = value;
    } else {
      if (container[name] === undefined) container[name] = segments[i + 1] === '[]' ? [] : {};
      if (Array.isArray(container[name]) && (container[name] as unknown[]).length === 0)
        (container[name] as unknown[]).push(
          pattern.startsWith('include')
            ? { path: './included.yaml' }
            : pattern.includes('ipam.config')
              ? { subnet: '172.28.0.0/16' }
              : {},
        );
    }
    at = container[name] as Json;
    key = childPath(key, name);
  });
  // A secret or config has one source: the one set replaces the others.
  const source = /^(secrets|configs)\.\*\.(file|environment|content)$/.exec(pattern);
  if (source) {
    const element = (doc[segments[0]] as Json)[ELEMENT_NAMES[segments[0]]] as Json;
    for (const k of ['file', 'environment', 'content']) if (k !== source[2]) delete element[k];
  }
  // An external element is defined by its name alone.
  if (pattern.includes('.external')) {
    const element = (doc[segments[0]] as Json)[ELEMENT_NAMES[segments[0]]] as Json;
    for (const k of Object.keys(element)) if (!['external', 'name'].includes(k)) delete element[k];
  }
  return { doc, key };
}

const projectCases = PROJECT_PATTERNS.filter(({ leaf }) => leaf).map(({ pattern }) => pattern);

describe('every top-level key ends translated, with fields it changed, or reported at its line', () => {
  test.each(projectCases)('%s', (pattern) => {
    const value = PROJECT_SAMPLES[pattern];
    expect({ pattern, sampled: value !== undefined }).toEqual({ pattern, sampled: true });
    const { doc, key } = projectWith(pattern, value);
    const variant = convert(doc);
    expect({ pattern, errors: variant.errors }).toEqual({ pattern, errors: [] });
    const before = convert(projectWith(pattern, undefined).doc);
    const chart = variant.chart as ComposeChart;
    expect({ pattern, problems: accountProblems(chart, variant.diagnostics) }).toEqual({ pattern, problems: [] });
    expectAccounted(
      chart.projectExplanations,
      before.chart?.projectExplanations ?? [],
      key,
      key,
      rowRule(pattern, PROJECT_RULES).rule,
      variant,
      before,
    );
  });
});
