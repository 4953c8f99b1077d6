/**
 * What `npm run server-check` converts: every Compose file of the test fixtures (kompose's, the
 * corpus, the examples, the diagram stack), once per target, and the seed charts, each as the
 * manifests `convert --stdout` prints; and the hand-written manifests of test/fixtures/manifests,
 * good and bad, as they are. Each object is carried as the YAML document a user applies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { loadProject } from '../../lib/compose';
import { ComposeChart, type ComposeTarget } from '../../lib/chart/compose-chart';
import { stringifyDocuments } from '../../lib/output/yaml';
import { parseManifests } from '../../lib/validate';
import { SEED_CHARTS } from '../../charts';
import { CORPUS_PROJECTS } from '../fixtures/corpus';
import { KOMPOSE_FIXTURES, KOMPOSE_MERGED, komposeComposeFiles, komposeEnvironment } from '../fixtures/kompose';

const REPO = path.resolve(__dirname, '..', '..');

/** The namespace the dry runs go to (run.ts creates it): the examples are converted into it with -n. */
export const SERVER_CHECK_NAMESPACE = 'server-check';

/** One converted input: its objects, each as the YAML document of it that is applied. */
export interface Input {
  readonly group: string;
  readonly name: string;
  readonly documents: readonly string[];
}

/** An input that produced nothing to apply, and why (a load error kompose's tests expect, say). */
export interface Skipped {
  readonly group: string;
  readonly name: string;
  readonly reason: string;
}

interface ComposeSource {
  readonly group: string;
  readonly name: string;
  readonly workingDir: string;
  /** Absolute paths; none: discovery in workingDir (compose.yaml + override). */
  readonly files?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly profiles?: readonly string[];
  /** Convert with --namespace: the objects carry it, and a Namespace object comes first. */
  readonly namespace?: string;
}

function composeSources(): ComposeSource[] {
  const kompose = [...komposeComposeFiles().map((f) => [f] as readonly string[]), ...KOMPOSE_MERGED].map(
    (files): ComposeSource => ({
      group: 'kompose fixtures',
      name: files.join(' + '),
      workingDir: path.join(KOMPOSE_FIXTURES, path.dirname(files[0])),
      files: files.map((f) => path.join(KOMPOSE_FIXTURES, f)),
      environment: komposeEnvironment(path.dirname(files[0])),
    }),
  );
  const corpus = CORPUS_PROJECTS.map((p): ComposeSource => ({
    group: 'corpus stacks',
    name: p.name,
    workingDir: p.dir,
    files: p.files?.map((f) => path.join(p.dir, f)),
    profiles: p.profiles,
  }));
  const examples = ['examples', path.join('test', 'fixtures', 'diagram')].flatMap((parent) =>
    fs
      .readdirSync(path.join(REPO, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(REPO, parent, e.name, 'compose.yaml')))
      .map((e): ComposeSource => ({
        group: 'test fixtures',
        name: path.join(parent, e.name),
        workingDir: path.join(REPO, parent, e.name),
        namespace: SERVER_CHECK_NAMESPACE,
      })),
  );
  return [...kompose, ...corpus, ...examples];
}

const documentsOf = (objects: readonly unknown[]) => objects.map((o) => stringifyDocuments([o]));

function convert(source: ComposeSource, target: ComposeTarget): Input | Skipped {
  const name = `${source.name} (${target})`;
  const loaded = loadProject({
    workingDir: source.workingDir,
    files: source.files ? [...source.files] : undefined,
    env: { ...source.environment },
    profiles: source.profiles ? [...source.profiles] : undefined,
  });
  const firstError = (ds: readonly { severity: string; message: string }[]) =>
    ds.find((d) => d.severity === 'error')?.message;
  if (!loaded.ok) return { group: source.group, name, reason: `does not load: ${firstError(loaded.diagnostics)}` };
  const chart = new ComposeChart(Testing.app(), 'server-check', {
    project: loaded.project,
    target,
    namespace: source.namespace,
  });
  const error = firstError(chart.diagnostics);
  if (error) return { group: source.group, name, reason: `does not convert: ${error}` };
  return { group: source.group, name, documents: documentsOf(chart.toJson()) };
}

function seedCharts(): Input[] {
  return SEED_CHARTS.map((seed) => ({
    group: 'seed charts',
    name: seed.id,
    documents: documentsOf(seed.build(Testing.app()).toJson()),
  }));
}

/**
 * test/fixtures/manifests: the validator's own fixtures, which the server must judge alike; rules/
 * holds one object per rule of the API server, each refused or accepted at the edge of a rule.
 */
function manifestFixtures(): Input[] {
  const root = path.join(REPO, 'test', 'fixtures', 'manifests');
  return ['good', 'bad', 'rules'].flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => {
        const parsed = parseManifests(fs.readFileSync(path.join(root, dir, f), 'utf8'), f);
        return {
          group: 'manifest fixtures',
          name: `${dir}/${f}`,
          documents: documentsOf(parsed.inputs.map((i) => i.object)),
        };
      }),
  );
}

/**
 * Objects too big to write by hand: ConfigMaps around the 256 KiB that `kubectl apply` can copy
 * into its last-applied-configuration annotation, and around the API server's 1 MiB.
 */
function generated(): Input[] {
  const configMap = (name: string, bytes: number) =>
    stringifyDocuments([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'data.txt': 'x'.repeat(bytes) } },
    ]);
  return [
    { name: 'configmap-100k', bytes: 100 * 1024 },
    { name: 'configmap-300k', bytes: 300 * 1024 },
    { name: 'configmap-2m', bytes: 2 * 1024 * 1024 },
  ].map((c) => ({ group: 'manifest fixtures', name: `generated/${c.name}`, documents: [configMap(c.name, c.bytes)] }));
}

export const isSkipped = (x: Input | Skipped): x is Skipped => 'reason' in x;

/** Every input, converted for each target (seed charts carry their own target). */
export function serverCheckInputs(targets: readonly ComposeTarget[]): (Input | Skipped)[] {
  const sources = composeSources();
  return [
    ...targets.flatMap((target) => sources.map((s) => convert(s, target))),
    ...seedCharts(),
    ...manifestFixtures(),
    ...generated(),
  ];
}
