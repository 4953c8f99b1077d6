import * as path from 'path';
import { cli, project, read, tree, SHOP } from './run';

const shop = () => project({ 'compose.yaml': SHOP, 'api/Dockerfile': 'FROM python:3.12\n' });

describe('convert --format helm', () => {
  test('writes the chart directory dist/<project>-chart/ with the kind files beside it', async () => {
    const dir = shop();
    const run = await cli(['convert', '--format', 'helm'], { cwd: dir });
    expect(run.code).toBe(0);
    const chart = path.join(dir, 'dist', 'shop-chart');
    expect(tree(chart)).toEqual(
      expect.arrayContaining([
        '.compose-cdk8s',
        '.helmignore',
        'Chart.yaml',
        'README.md',
        'kind-cluster.yaml',
        'load-images.sh',
        'templates/NOTES.txt',
        'templates/_helpers.tpl',
        'templates/services/api.yaml',
        'templates/services/web.yaml',
        'values.schema.json',
        'values.yaml',
      ]),
    );
    expect(read(chart, 'Chart.yaml')).toContain('name: shop\n');
    expect(read(chart, '.helmignore')).toMatch(/^kind-cluster\.yaml$/m);
    expect(run.stdout).toContain(
      'next: dist/shop-chart/load-images.sh (builds and loads the 1 image (api)), then helm install shop ./dist/shop-chart',
    );
  });

  test('-o chooses the directory; --stdout and --split are refused', async () => {
    const dir = shop();
    expect((await cli(['convert', '--format', 'helm', '-o', 'charts/shop'], { cwd: dir })).code).toBe(0);
    expect(read(path.join(dir, 'charts', 'shop'), 'values.yaml')).toContain('services:');
    const refused = await cli(['convert', '--format', 'helm', '--stdout'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--format helm writes a chart directory');
  });
});
