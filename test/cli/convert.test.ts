import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { validateManifests } from '../../lib/validate';
import { cli, project, read, tree, SHOP } from './run';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };

const shop = () => project({ 'compose.yaml': SHOP, 'api/Dockerfile': 'FROM python:3.12\n' });
const objects = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj);
const names = (objs: readonly Obj[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('convert', () => {
  test('writes dist/<project>/ with the manifests, a kustomization and the kind files, and sums up', async () => {
    const dir = shop();
    const run = await cli(['convert'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(tree(path.join(dir, 'dist', 'shop'))).toEqual([
      '.compose-cdk8s',
      'NOTES.md',
      'diagram.svg',
      'down.sh',
      'kind-cluster.yaml',
      'kustomization.yaml',
      'load-images.sh',
      'manifests.yaml',
      'up.sh',
    ]);
    expect(run.stdout).toMatch(/\d+ objects written to dist\/shop:/);
    expect(run.stdout).toMatch(/Deployment\s+3/);
    expect(run.stdout).toMatch(/db\s+1/); // one untranslated key (logging) on db
    expect(run.stderr).toContain('services.db.logging');
    const manifests = objects(read(path.join(dir, 'dist', 'shop'), 'manifests.yaml'));
    expect(names(manifests)).toEqual(
      expect.arrayContaining(['Deployment/api', 'Service/api', 'Service/web-published']),
    );
    expect(names(manifests)).not.toContain('Deployment/worker');
    const problems = validateManifests(manifests.map((object) => ({ object })));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  test('NOTES.md carries the Mermaid diagram of the stack, diagram.svg the same graph drawn', async () => {
    const dir = shop();
    expect((await cli(['convert', '-q'], { cwd: dir })).code).toBe(0);
    const out = path.join(dir, 'dist', 'shop');
    const notes = read(out, 'NOTES.md');
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(notes)?.[1];
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid).toContain('svc_web -->|"healthy"| svc_api');
    const explained = await cli(['explain', '--format', 'mermaid'], { cwd: dir });
    expect(mermaid).toBe(explained.stdout);
    const svg = read(out, 'diagram.svg');
    expect(svg).toBe((await cli(['explain', '--format', 'svg'], { cwd: dir })).stdout);
    for (const name of ['web', 'api', 'db']) expect(svg).toContain(`>${name}</text>`);
  });

  test('-f files merge in order, -p names the project, -o chooses the directory', async () => {
    const dir = shop();
    fs.writeFileSync(path.join(dir, 'prod.yaml'), 'services:\n  web:\n    deploy: { replicas: 3 }\n');
    const run = await cli(['convert', '-f', 'compose.yaml', '-f', 'prod.yaml', '-p', 'store', '-o', 'k8s'], {
      cwd: dir,
    });
    expect(run.code).toBe(0);
    const web = objects(read(path.join(dir, 'k8s'), 'manifests.yaml')).find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'web',
    );
    expect(web?.spec?.replicas).toBe(3);
    expect(read(path.join(dir, 'k8s'), 'manifests.yaml')).toContain('app.kubernetes.io/part-of: store');
  });

  test('--project-directory, --env-file and --profile are read as docker compose reads them', async () => {
    const dir = shop();
    fs.writeFileSync(path.join(dir, 'secrets.env'), 'DB_PASSWORD=s3cret\n');
    const run = await cli(
      ['convert', '--project-directory', dir, '--env-file', 'secrets.env', '--profile', 'jobs', '--stdout'],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const manifests = objects(run.stdout);
    expect(names(manifests)).toContain('Job/worker');
    const secret = manifests.find((o) => o.kind === 'Secret') as { data?: Record<string, string> } | undefined;
    expect(Object.values(secret?.data ?? {})).toContain(Buffer.from('s3cret').toString('base64'));
    expect(run.stdout).not.toContain('s3cret');
  });

  test('--namespace puts every object in the namespace and emits the Namespace first', async () => {
    const run = await cli(['convert', '-n', 'shop-dev', '--stdout', '-q'], { cwd: shop() });
    const manifests = objects(run.stdout);
    // First, so `kubectl apply -f` creates it before what goes in it.
    expect(manifests[0].kind).toBe('Namespace');
    expect(manifests[0].metadata).toEqual({
      name: 'shop-dev',
      labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'compose-cdk8s' },
    });
    for (const o of manifests.slice(1)) expect(o.metadata.namespace).toBe('shop-dev');
  });

  test('--split: one file per object in manifests/, which holds nothing else, the Namespace first, for kubectl apply -f <dir>/manifests', async () => {
    const dir = shop();
    expect((await cli(['convert', '-n', 'shop-dev', '--split', '-q'], { cwd: dir })).code).toBe(0);
    const files = fs.readdirSync(path.join(dir, 'dist', 'shop', 'manifests')).sort();
    expect(files[0]).toBe('00-namespace-shop-dev.yaml');
    // kubectl apply -f reads every .yaml/.json file of a directory: each must be a Kubernetes object.
    for (const f of files)
      expect(objects(read(path.join(dir, 'dist', 'shop', 'manifests'), f))[0].metadata.name).toBeTruthy();
    expect(tree(path.join(dir, 'dist', 'shop')).filter((f) => !f.startsWith('manifests/'))).toEqual(
      expect.arrayContaining(['kustomization.yaml', 'kind-cluster.yaml']),
    );
  });

  test('every object carries part-of and managed-by: one label selector deletes the whole stack', async () => {
    const run = await cli(['convert', '-n', 'shop-dev', '--stdout', '-q'], { cwd: shop() });
    const manifests = objects(run.stdout) as { kind: string; metadata: { labels?: Record<string, string> } }[];
    for (const o of manifests) {
      expect([o.kind, o.metadata.labels]).toEqual([
        o.kind,
        expect.objectContaining({
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/managed-by': 'compose-cdk8s',
        }),
      ]);
    }
    expect(new Set(manifests.map((o) => o.kind))).toEqual(
      new Set(['Namespace', 'Deployment', 'Service', 'NetworkPolicy', 'PersistentVolumeClaim', 'Secret']),
    );
  });

  test('--target minikube: NodePorts and no kind config; generic: LoadBalancer on the published port', async () => {
    const dir = shop();
    expect((await cli(['convert', '--target', 'minikube', '-q'], { cwd: dir })).code).toBe(0);
    expect(tree(path.join(dir, 'dist', 'shop'))).not.toContain('kind-cluster.yaml');
    expect(read(path.join(dir, 'dist', 'shop'), 'load-images.sh')).toContain('image build');
    const generic = objects((await cli(['convert', '--target', 'generic', '--stdout', '-q'], { cwd: dir })).stdout);
    const published = generic.find((o) => o.metadata.name === 'web-published');
    expect(published?.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 8080, targetPort: 80 }] });
  });

  test('--format json and --split write one JSON file per object', async () => {
    const dir = shop();
    expect((await cli(['convert', '--format', 'json', '--split', '-q'], { cwd: dir })).code).toBe(0);
    const files = tree(path.join(dir, 'dist', 'shop'));
    expect(files).toContain('manifests/deployment-api.json');
    expect(JSON.parse(read(path.join(dir, 'dist', 'shop'), 'manifests/deployment-api.json')).kind).toBe('Deployment');
    expect(read(path.join(dir, 'dist', 'shop'), 'kustomization.yaml')).toContain('- manifests/deployment-api.json');
  });

  test('--quiet prints nothing on success', async () => {
    const run = await cli(['convert', '-q'], { cwd: shop() });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('colors only on a terminal, and never with --no-color or NO_COLOR', async () => {
    const esc = '\u001b[';
    expect((await cli(['convert', '--stdout'], { cwd: shop(), isTTY: true })).stderr).toContain(esc);
    expect((await cli(['convert', '--stdout', '--no-color'], { cwd: shop(), isTTY: true })).stderr).not.toContain(esc);
    expect(
      (await cli(['convert', '--stdout'], { cwd: shop(), isTTY: true, env: { NO_COLOR: '1' } })).stderr,
    ).not.toContain(esc);
  });

  test('bad input: exit 2, file:line:col and key path, a caret on a terminal, nothing written', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports:\n      - "abc:80"\n' });
    const run = await cli(['convert'], { cwd: dir, isTTY: true, env: { NO_COLOR: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: compose\.yaml:5:9: services\.web\.ports\[0\]: .*abc:80/m);
    expect(run.stderr).toContain('5 |       - "abc:80"');
    expect(run.stderr).toMatch(/\n\s+\^/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('an empty Compose file: exit 2, the file named, nothing written', async () => {
    const dir = project({ 'compose.yaml': '# to do\n' });
    const run = await cli(['convert'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: compose.yaml:1:1: empty Compose file: no services');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('a failing run leaves the previous output untouched', async () => {
    const dir = shop();
    expect((await cli(['convert', '-q'], { cwd: dir })).code).toBe(0);
    const before = read(path.join(dir, 'dist', 'shop'), 'manifests.yaml');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), SHOP.replace('image: postgres:16', 'image: [broken'));
    expect((await cli(['convert', '-q'], { cwd: dir })).code).toBe(2);
    expect(read(path.join(dir, 'dist', 'shop'), 'manifests.yaml')).toBe(before);
  });

  test('refuses to replace a directory it did not write', async () => {
    const dir = shop();
    fs.mkdirSync(path.join(dir, 'mine'));
    fs.writeFileSync(path.join(dir, 'mine', 'notes.txt'), 'keep me');
    const run = await cli(['convert', '-o', 'mine'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('was not written by compose-cdk8s; refusing to replace it');
    expect(tree(path.join(dir, 'mine'))).toEqual(['notes.txt']);
  });

  test('the same input gives byte-identical output', async () => {
    const dir = shop();
    const a = (await cli(['convert', '--stdout', '-q'], { cwd: dir })).stdout;
    const b = (await cli(['convert', '--stdout', '-q'], { cwd: dir })).stdout;
    expect(a).toBe(b);
  });
});

describe('the "next:" line names the first command the stack needs', () => {
  const files = {
    'compose.yaml': 'services:\n  api:\n    build: ./api\n  db:\n    image: postgres:16\n',
    'api/Dockerfile': 'FROM busybox\n',
  };

  test('without build: services, kubectl apply -k comes first', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n' });
    const run = await cli(['convert', '-o', 'out'], { cwd: dir });
    expect(run.stdout).toContain('next: kubectl apply -k out   (or out/up.sh; see out/NOTES.md)');
  });

  test('with build: services on kind, up.sh (or load-images.sh) comes before kubectl apply', async () => {
    const run = await cli(['convert', '-o', 'out'], { cwd: project(files) });
    expect(run.stdout).toMatch(
      /^next: out\/up\.sh {3}\(builds and loads the 1 image \(api\), then applies; by hand: out\/load-images\.sh, then kubectl apply -k out/m,
    );
  });

  test('with build: services on a generic cluster, the images go to a registry first, as NOTES.md shows', async () => {
    const dir = project(files);
    const run = await cli(['convert', '-o', 'out', '--target', 'generic'], { cwd: dir });
    expect(run.stdout).toMatch(
      /^next: build and push the 1 image \(api\) to a registry the cluster pulls from, then kubectl apply -k out/m,
    );
    const notes = fs.readFileSync(path.join(dir, 'out', 'NOTES.md'), 'utf8');
    expect(notes).toMatch(/^docker build -t \S+ \.\.\/api && docker push \S+$/m);
  });
  test('services that share a build count as one image', async () => {
    const shared = 'services:\n  api:\n    build: ./api\n  worker:\n    build: ./api\n  beat:\n    build: ./api\n';
    const run = await cli(['convert', '-o', 'out'], { cwd: project({ ...files, 'compose.yaml': shared }) });
    expect(run.stdout).toContain(
      '(builds and loads the 1 image for 3 services (one for api, beat, worker), then applies',
    );
  });
});

test('a stack of more services than a picture holds gets no diagram.svg, and NOTES.md says how to draw it', async () => {
  const services = Array.from({ length: 61 }, (_, i) => `  s${i}:\n    image: busybox:1.36\n`).join('');
  const dir = project({ 'compose.yaml': `services:\n${services}` });
  const run = await cli(['convert', '-o', 'out', '-q'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(fs.existsSync(path.join(dir, 'out', 'diagram.svg'))).toBe(false);
  expect(read(path.join(dir, 'out'), 'NOTES.md')).toContain('Not drawn: 61 services');
});
