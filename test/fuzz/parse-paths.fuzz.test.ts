/**
 * Damaged Compose files (mutate.ts: lines cut, re-indented, values replaced by YAML's sharp edges)
 * parse the same through the fast path (lib/compose/parse-block.ts) as through the yaml package:
 * same value, same positions, or the same errors; damaged manifests read the same by validate
 * through both paths. FUZZ_RUNS and FUZZ_SEED as in convert.fuzz.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { App } from 'cdk8s';
import { loadProject } from '../../lib/compose';
import { parseYaml, parseYamlNodes } from '../../lib/compose/parse';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { stringifyDocuments } from '../../lib/output/yaml';
import { parseManifests, yamlPackageDocuments } from '../../lib/validate/read';
import { comparableParse } from '../support/parse-paths';
import { mutatedText } from './mutate';

const repo = path.join(__dirname, '..', '..');
const SOURCES = ['charts/dynoai/compose.yaml', 'charts/wildid/compose.yaml', 'examples/shop/compose.yaml']
  .map((f) => fs.readFileSync(path.join(repo, f), 'utf8'))
  // Comments and blank lines are most of these files: fewer of them, more damage where it matters.
  .map((text) => text.replace(/^\s*#.*\n/gm, ''));

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() : 20261203;

test('both parse paths agree on damaged Compose files', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: SOURCES.length - 1 }).chain((i) => mutatedText(SOURCES[i])),
      (text) => {
        expect(comparableParse(parseYaml(text, 'compose.yaml'))).toEqual(
          comparableParse(parseYamlNodes(text, 'compose.yaml')),
        );
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

test('both manifest reading paths agree on damaged manifests', () => {
  const loaded = loadProject({ files: [path.join(repo, 'charts', 'story-12-1', 'compose.yaml')], env: {} });
  if (!loaded.ok) throw new Error('story-12-1 does not load');
  const manifests = stringifyDocuments(
    new ComposeChart(new App(), 'story', { project: loaded.project, target: 'kind' }).toJson(),
  );
  fc.assert(
    fc.property(mutatedText(manifests), (text) => {
      expect(parseManifests(text, 'm.yaml')).toEqual(parseManifests(text, 'm.yaml', yamlPackageDocuments));
    }),
    { numRuns: Math.ceil(RUNS / 4), seed: SEED },
  );
});
