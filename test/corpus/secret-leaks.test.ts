/**
 * Secret values never in plain text: for every corpus stack and seed chart, each value a Secret holds is absent
 * from every other file the conversion writes (plain manifests and the Helm chart) and from
 * explain's report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { stackGraph } from '../../lib/diagram/graph';
import { isDrawable } from '../../lib/diagram/model';
import { renderSvg } from '../../lib/diagram/svg';
import { SEED_CHARTS } from '../../charts';
import { CORPUS_PROJECTS, loadCorpusProject } from '../fixtures/corpus';
import { conversionFiles, projectNames, secretLeaks } from '../support/secret-leaks';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leaks-'));

test('the check finds a secret value outside its Secret, written or base64-encoded', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: { name: api-env }\nstringData: { PG_PASS: s3cr3t-pass }\n';
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-env }\ndata: { ALT: s3cr3t-pass }\n';
  const files = new Map([
    ['manifests.yaml', `${secret}---\n${configMap}`],
    ['NOTES.md', `token: ${Buffer.from('s3cr3t-pass').toString('base64')}`],
    ['README.md', 'nothing here'],
  ]);
  expect(secretLeaks(files).leaks).toEqual([
    { file: 'manifests.yaml', value: 's3cr3t-pass', where: 'as written' },
    { file: 'NOTES.md', value: 's3cr3t-pass', where: 'base64' },
  ]);
});

/** Every file a conversion of `chart` writes (stack directory with its diagram, Helm chart) and explain's report. */
async function leaksOf(chart: ComposeChart) {
  const files = conversionFiles(chart, out);
  const graph = stackGraph(chart, chart.toJson());
  if (isDrawable(graph)) files.set('stack/diagram.svg', await renderSvg(graph));
  return secretLeaks(files, projectNames(chart)).leaks;
}

describe.each(CORPUS_PROJECTS.map((p) => [p.name, p] as const))('%s', (_name, fixture) => {
  test('no secret value outside a Secret', async () => {
    const chart = new ComposeChart(new App({ outdir: out }), fixture.name.replace(/\//g, '-'), {
      project: loadCorpusProject(fixture),
    });
    expect(await leaksOf(chart)).toEqual([]);
  });
});

describe.each(SEED_CHARTS.map((s) => [s.id, s] as const))('seed chart %s', (_id, seed) => {
  test('no secret value outside a Secret', async () => {
    expect(await leaksOf(seed.build(new App({ outdir: out })))).toEqual([]);
  });
});
