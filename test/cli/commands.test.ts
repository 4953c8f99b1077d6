import * as fs from 'fs';
import * as path from 'path';
import { packageVersion } from '../../lib/package-root';
import { cli, project, SHOP } from './run';

const shop = () => project({ 'compose.yaml': SHOP, 'api/Dockerfile': 'FROM python:3.12\n' });

describe('help and version', () => {
  test('--version prints the package version', async () => {
    const run = await cli(['--version'], { cwd: shop() });
    expect(run).toEqual({ code: 0, stdout: `${packageVersion()}\n`, stderr: '' });
  });

  test.each(['convert', 'validate', 'explain'])('%s --help lists its options and examples', async (command) => {
    const run = await cli([command, '--help'], { cwd: shop() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: compose-cdk8s ${command}`);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes:');
  });

  test('an unknown option is a usage error with exit code 2', async () => {
    const run = await cli(['convert', '--bogus'], { cwd: shop() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });
});

describe('explain', () => {
  test('reports, per service, what each Compose key became and what was dropped', async () => {
    const run = await cli(['explain', '--width', '400'], { cwd: shop() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^db -> Deployment\/db$/m);
    expect(run.stdout).toMatch(/^\s+logging\s+dropped\s+-/m);
    expect(run.stdout).toMatch(/^\s+ports\S*\s+translated\s+.*Service\/web/m);
    expect(run.stdout).toMatch(/^\s+healthcheck\s+translated\s+.*readinessProbe/m);
  });

  test('kompose labels: one row each, with what it became or why not', async () => {
    const cwd = project({
      'compose.yaml':
        'services:\n  db:\n    image: postgres\n    ports: ["5432:5432"]\n    labels:\n      app: db\n      kompose.service.type: loadbalancer\n      kompose.controller.type: statefulset\n      kompose.service.group: data\n',
    });
    // Wide enough for every row to be one line.
    const run = await cli(['explain', '--width', '400'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^db -> StatefulSet\/db$/m);
    expect(run.stdout).toMatch(/^\s+labels\s+translated\s+StatefulSet\/db: spec.template.metadata.annotations/m);
    expect(run.stdout).toMatch(/^\s+labels.kompose.service.type\s+translated\s+Service\/db-published: spec.type/m);
    expect(run.stdout).toMatch(
      /^\s+labels.kompose.controller.type\s+translated\s+StatefulSet\/db: kind; Service\/db\s/m,
    );
    expect(run.stdout).toMatch(/^\s+labels.kompose.service.group\s+dropped\s+-\s+one pod per Compose service/m);
  });

  test('--format json is machine-readable', async () => {
    const run = await cli(['explain', '--format', 'json'], { cwd: shop() });
    const report = JSON.parse(run.stdout) as {
      services: { service: string; keys: { key: string; status: string }[] }[];
    };
    const db = report.services.find((s) => s.service === 'db');
    expect(db?.keys).toContainEqual(expect.objectContaining({ key: 'logging', status: 'dropped' }));
  });

  test('--format markdown gives a table per service', async () => {
    const run = await cli(['explain', '--format', 'markdown'], { cwd: shop() });
    expect(run.stdout).toContain('## api (`Deployment/api`)');
    expect(run.stdout).toContain('| Compose key | Status | Becomes | Note |');
  });

  test('--format mermaid draws the stack: entry point, services, depends_on with its condition, volume', async () => {
    const run = await cli(['explain', '--format', 'mermaid'], { cwd: shop() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^flowchart LR\n/);
    expect(run.stdout).toContain('port_web_127_0_0_1_8080_tcp(["127.0.0.1:8080 -#62; web:80"]):::entry');
    expect(run.stdout).toContain('svc_web -->|"healthy"| svc_api');
    expect(run.stdout).toContain('svc_db -.->|"/var/lib/postgresql/data"| pvc_dbdata');
    expect(run.stdout).not.toContain('svc_worker'); // profile not enabled
  });

  test('--format dot prints Graphviz DOT, --format svg the same graph drawn', async () => {
    const dot = await cli(['explain', '--format', 'dot'], { cwd: shop() });
    expect(dot.stdout).toMatch(/^digraph stack \{\n/);
    expect(dot.stdout).toMatch(/^ {2}svc_web -> svc_api \[color="#4a6fa5", label=<<table .*>healthy<\/td>.*>\];$/m);
    const svg = await cli(['explain', '--format', 'svg'], { cwd: shop() });
    expect(svg.code).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml /);
    for (const name of ['web', 'api', 'db']) expect(svg.stdout).toContain(`>${name}</text>`);
  });

  test('bad input exits 2 like convert', async () => {
    const run = await cli(['explain'], { cwd: project({ 'compose.yaml': 'services:\n  web: {}\n' }) });
    expect(run.code).toBe(2);
  });
});

describe('validate', () => {
  test("passes the project's own output, and exits 1 with one line per problem otherwise", async () => {
    const dir = shop();
    expect((await cli(['convert', '-q'], { cwd: dir })).code).toBe(0);
    const ok = await cli(['validate', 'dist/shop'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toMatch(/^\d+ objects checked: 0 errors/);

    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name}\nspec:\n  ports: [{port: 80}]\n  selector: {app: x}\n',
    );
    const bad = await cli(['validate', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^bad\.yaml: Service\/Bad_Name: metadata\.name: /m);
  });

  test('--no-references skips the checks between objects; -q prints errors only', async () => {
    const dir = project({
      'deploy.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec:\n  ports: [{port: 80}]\n  selector: {app: nobody}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x, envFrom: [{configMapRef: {name: absent}}]}]\n',
    });
    const all = await cli(['validate', 'deploy.yaml'], { cwd: dir });
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(
      'deploy.yaml: Pod/p: spec.containers[0].envFrom[0].configMapRef.name: ConfigMap "absent" is not in the set',
    );
    expect(all.stdout).toContain('deploy.yaml: Service/lonely: spec.selector: selects no pod template in the set');
    const quiet = await cli(['validate', '-q', 'deploy.yaml'], { cwd: dir });
    expect(quiet.stdout).not.toContain('selects no pod template');
    expect(quiet.stderr).toBe('');
    const noRefs = await cli(['validate', '--no-references', 'deploy.yaml'], { cwd: dir });
    expect(noRefs).toMatchObject({ code: 0, stdout: '' });
  });

  test('each kustomization directory is validated as its own stack', async () => {
    const dir = shop();
    expect((await cli(['convert', '-q', '-o', 'out/a'], { cwd: dir })).code).toBe(0);
    expect((await cli(['convert', '-q', '-o', 'out/b'], { cwd: dir })).code).toBe(0);
    const run = await cli(['validate', 'out'], { cwd: dir });
    expect(run).toMatchObject({ code: 0, stdout: '' });
  });

  test('an unreadable file exits 2', async () => {
    const run = await cli(['validate', 'missing.yaml'], { cwd: shop() });
    expect(run.code).toBe(2);
  });
});

describe('internal errors', () => {
  test('exit 1 with a short message and a hint; the stack trace only with --debug', async () => {
    const dir = shop();
    jest.resetModules();
    jest.doMock('../../lib/cli/convert', () => ({
      convert: () => {
        throw new Error('boom');
      },
    }));
    const { runCli } = await import('../../lib/cli/main');
    const capture = async (args: string[]) => {
      let stderr = '';
      const code = await runCli(args, {
        stdout: () => undefined,
        stderr: (t) => (stderr += t),
        cwd: dir,
        env: {},
        isTTY: false,
      });
      return { code, stderr };
    };
    const plain = await capture(['convert']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('internal error: boom');
    expect(plain.stderr).toContain('please report it');
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await capture(['--debug', 'convert']);
    expect(debug.stderr).toMatch(/\n\s+at /);
    jest.dontMock('../../lib/cli/convert');
  });
});

describe('explain shows what loading said about each service', () => {
  const files = { 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n  db:\n    image: postgres:16\n' };

  test('text: the warning under the service it concerns, with its line', async () => {
    const run = await cli(['explain'], { cwd: project(files) });
    expect(run.code).toBe(0);
    const web = run.stdout.slice(run.stdout.indexOf('web -> '));
    expect(web).toContain('  loading: compose.yaml:3: variable "TAG" is not set, defaulting to a blank string');
    const db = run.stdout.slice(run.stdout.indexOf('db -> '), run.stdout.indexOf('web -> '));
    expect(db).not.toContain('loading:');
  });

  test('json: loadWarnings per service', async () => {
    const run = await cli(['explain', '--format', 'json'], { cwd: project(files) });
    const report = JSON.parse(run.stdout) as { services: { service: string; loadWarnings: { message: string }[] }[] };
    const web = report.services.find((s) => s.service === 'web');
    expect(web?.loadWarnings.map((d) => d.message)).toEqual([
      'variable "TAG" is not set, defaulting to a blank string',
    ]);
  });
});
