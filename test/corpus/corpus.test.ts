/**
 * Real-world Compose projects (awesome-compose, CC0) and hand-written feature projects: each
 * converts with no error, its output passes the strict Kubernetes 1.27 validation, matches its
 * snapshot, and its stack directory works on kind (ports mapped, images loadable, kustomize).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { writeCharts } from '../../lib/output/stack';
import { CORPUS_PROJECTS, loadCorpusProject } from '../fixtures/corpus';
import { accountProblems } from '../support/account';
import { expectValidManifests } from '../support/k8s-schema';
import { expectReferencesResolve } from '../support/references';
import { describeKindTargetChecks } from '../support/target-checks';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-'));

describe.each(CORPUS_PROJECTS.map((p) => [p.name, p] as const))('%s', (_name, fixture) => {
  let chart: ComposeChart;
  let dir: string;
  beforeAll(async () => {
    chart = new ComposeChart(new App({ outdir: out }), fixture.name.replace(/\//g, '-'), {
      project: loadCorpusProject(fixture),
    });
    [dir] = await writeCharts([chart], out);
  });

  test('converts without errors', () => {
    expect(chart.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  });

  test('passes the strict Kubernetes 1.27 validation, and every reference resolves', () => {
    const manifests = Testing.synth(chart);
    expectValidManifests(manifests);
    expectReferencesResolve(manifests);
  });

  test('every Compose key is translated, or reported at its line with the reason', () => {
    expect(accountProblems(chart)).toEqual([]);
  });

  test('synthesizes the same manifests as before', () => {
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  describeKindTargetChecks(() => ({ chart, dir }));
});
