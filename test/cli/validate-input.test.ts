/**
 * What `validate` reads: standard input with `-`, and a Helm chart refused with one error that
 * says how to validate what it renders to, instead of a YAML error per template action.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeWithHelm, runHelm } from '../support/helm';
import { cli, project, SHOP } from './run';

const shop = () => project({ 'compose.yaml': SHOP, 'api/Dockerfile': 'FROM python:3.12\n' });

/** The shop project with its chart written by `convert --format helm` to dist/shop-chart. */
async function shopWithChart(): Promise<string> {
  const dir = shop();
  expect((await cli(['convert', '-q', '--format', 'helm'], { cwd: dir })).code).toBe(0);
  return dir;
}

const RENDER_FIRST =
  'error: dist/shop-chart is a Helm chart: validate checks manifests, not templates; render it first: ' +
  'helm template <release> dist/shop-chart | compose-cdk8s validate -   ' +
  '(or helm template <release> dist/shop-chart --output-dir <dir> && compose-cdk8s validate <dir>)\n';

describe('a Helm chart', () => {
  test('the chart convert --format helm writes: one error saying to render it first, exit 2', async () => {
    const run = await cli(['validate', 'dist/shop-chart'], { cwd: await shopWithChart() });
    expect(run).toEqual({ code: 2, stdout: '', stderr: RENDER_FIRST });
  });

  test('one of its templates, or its templates/ directory, means the chart', async () => {
    const dir = await shopWithChart();
    for (const p of ['dist/shop-chart/templates/services/web.yaml', 'dist/shop-chart/templates']) {
      expect(await cli(['validate', p], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: RENDER_FIRST });
    }
  });

  test('beside a stack directory: the stack is validated, the chart reported, exit 2', async () => {
    const dir = await shopWithChart();
    expect((await cli(['convert', '-q'], { cwd: dir })).code).toBe(0);
    const run = await cli(['validate', 'dist'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(RENDER_FIRST);
    expect(run.stderr).toMatch(/^\d+ objects checked: 0 errors, 0 warnings; 1 Helm chart not checked$/m);
  });

  test('a template outside a chart is one problem, not a YAML error per action', async () => {
    const dir = project({
      'web.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include "labels" . | nindent 4 }}\nspec:\n  ports: [{port: 80}]\n',
    });
    const run = await cli(['validate', 'web.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'web.yaml: a template, not a manifest (it holds {{ }} actions): render it first (helm template)\n',
    );
  });
});

describe('validate -', () => {
  test('reads the manifests from standard input', async () => {
    const dir = shop();
    const manifests = await cli(['convert', '--stdout', '-q'], { cwd: dir });
    const run = await cli(['validate', '-'], { cwd: dir, stdin: manifests.stdout });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\d+ objects checked: 0 errors, 0 warnings\n$/);
  });

  test('names problems of standard input <stdin>', async () => {
    const run = await cli(['validate', '-'], {
      cwd: shop(),
      stdin: 'apiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name}\nspec:\n  ports: [{port: 80}]\n',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^<stdin>: Service\/Bad_Name: metadata\.name: /m);
  });
});

describeWithHelm('the two ways the error gives, run with helm', (helm) => {
  test('helm template ... | validate -, and helm template ... --output-dir X && validate X: valid', async () => {
    const dir = await shopWithChart();
    const chart = path.join(dir, 'dist', 'shop-chart');
    const piped = await cli(['validate', '-'], { cwd: dir, stdin: runHelm(helm, ['template', 'shop', chart]) });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toMatch(/^[1-9]\d* objects checked: 0 errors, 0 warnings\n$/);

    runHelm(helm, ['template', 'shop', chart, '--output-dir', path.join(dir, 'rendered')]);
    expect(fs.existsSync(path.join(dir, 'rendered'))).toBe(true);
    const written = await cli(['validate', 'rendered'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stderr).toBe(piped.stderr);
  });
});
