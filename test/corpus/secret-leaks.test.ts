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
import { renderText, stackReport } from '../../lib/cli/explain';
import { makeStyle } from '../../lib/cli/io';
import { helmChartFiles } from '../../lib/helm';
import { composeStackFiles } from '../../lib/output/stack';
import { SEED_CHARTS } from '../../charts';
import { CORPUS_PROJECTS, loadCorpusProject } from '../fixtures/corpus';
import { secretLeaks } from '../support/secret-leaks';

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

/** Every file a conversion of `chart` writes (stack directory and Helm chart) and explain's report. */
async function leaksOf(chart: ComposeChart) {
  const files = new Map<string, string>();
  for (const [name, f] of await composeStackFiles(chart, path.join(out, 'stack')))
    files.set(`stack/${name}`, String(f.content));
  for (const [name, f] of helmChartFiles(chart, path.join(out, 'chart'))) files.set(`chart/${name}`, String(f.content));
  const report = stackReport(chart, chart.diagnostics);
  files.set('explain.txt', renderText(report, makeStyle(false)));
  files.set('explain.json', JSON.stringify(report));
  const project = chart.project;
  const names = new Set([
    project.name,
    ...Object.values(project.services).flatMap((s) => [s.name, ...(s.image ?? '').split(/[/:@]/)]),
    ...Object.keys(project.volumes),
    ...Object.keys(project.networks),
    ...Object.keys(project.secrets),
    ...Object.keys(project.configs),
  ]);
  return secretLeaks(files, names).leaks;
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
