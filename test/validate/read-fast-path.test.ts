/**
 * Manifests files are read through the fast YAML path (lib/compose/parse-block.ts) when they are
 * block YAML, as every file compose-cdk8s writes is: the objects, their document indexes and the
 * problems must be what the yaml package's reading gives, for the manifest fixtures, the seed
 * stacks' converted output and YAML 1.1's sharp scalars.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { loadProject } from '../../lib/compose';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { stringifyDocuments } from '../../lib/output/yaml';
import { parseBlockYamlStream } from '../../lib/compose/parse-block';
import { parseManifests, yamlPackageDocuments } from '../../lib/validate/read';

const ROOT = path.join(__dirname, '..', '..');
const bothWays = (content: string) =>
  expect(parseManifests(content, 'm.yaml')).toEqual(parseManifests(content, 'm.yaml', yamlPackageDocuments));
const fast = (content: string) => parseBlockYamlStream(content, () => undefined) !== undefined;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );
}

describe('manifests read the same through both YAML paths', () => {
  const fixtures = filesUnder(path.join(ROOT, 'test', 'fixtures', 'manifests'));
  it.each(fixtures.map((f) => [path.relative(ROOT, f)]))('%s', (rel) => {
    bothWays(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
  });

  const seeds = ['dynoai', 'wildid', 'story-12-1', 'carbon-nexus', 'inpactai'];
  it.each(seeds)('the converted %s stack, which takes the fast path', (stack) => {
    const loaded = loadProject({ files: [path.join(ROOT, 'charts', stack, 'compose.yaml')], env: {} });
    if (!loaded.ok) throw new Error(`${stack} does not load`);
    const chart = new ComposeChart(new App(), stack, { project: loaded.project, target: 'kind' });
    const content = stringifyDocuments(chart.toJson());
    expect(fast(content)).toBe(true);
    bothWays(content);
    expect(parseManifests(content, 'm.yaml').inputs.length).toBe(chart.toJson().length);
  });

  const snippets: Record<string, string> = {
    'YAML 1.1 scalars':
      'kind: ConfigMap\ndata: [yes, on, Off, y, n, 0644, 0x1F, 0b101, 1_000, 1:20, 1:20.5, .inf, ~, 2001-12-14, "yes", 012, 1e3, 08]\n',
    'documents, a leading marker and comments': '# head\n---\nkind: A\n---\n# note\nkind: B\n',
    'an empty document': 'kind: A\n---\n---\nkind: B\n',
    'a trailing marker': 'kind: A\n---\n',
    'a List': 'apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n',
    'one broken document among good ones': 'kind: A\n---\nkind: [B\n---\nkind: C\n',
    'duplicate keys': 'kind: A\nkind: B\n',
    'keys YAML 1.1 reads as booleans': 'on: x\nkind: A\n',
    'merge keys': 'base: &b {x: 1}\nkind:\n  <<: *b\n',
    'a template': 'kind: {{ .Values.kind }}\n',
    // Found by test/fuzz/parse-paths.fuzz: validate threw instead of reporting the file.
    'an alias without its anchor': 'kind: A\n---\napiVersion: *nowhere\nkind: B\n',
  };
  it.each(Object.entries(snippets))('%s', (_name, content) => bothWays(content));

  it("reports an alias without its anchor as the file's problem and reads the other documents", () => {
    const read = parseManifests(snippets['an alias without its anchor'], 'm.yaml');
    expect(read.problems.map((p) => p.message)).toEqual([
      'invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
    ]);
    expect(read.inputs.map((i) => i.object)).toEqual([{ kind: 'A' }]);
  });

  it('takes the fast path for block documents, not for anchors, empty documents or templates', () => {
    expect(fast(snippets['documents, a leading marker and comments'])).toBe(true);
    expect(fast(snippets['YAML 1.1 scalars'])).toBe(true);
    expect(fast(snippets['an empty document'])).toBe(false);
    expect(fast(snippets['merge keys'])).toBe(false);
    expect(fast(snippets['a template'])).toBe(false);
  });
});
