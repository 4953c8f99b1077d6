/**
 * An external volume gets an example claim beside the manifests, as the stack would make it,
 * that nothing applies by itself: not `kubectl apply -k`, not `kubectl apply -f DIR` (with or
 * without -R: kubectl reads only .yaml, .yml and .json there), not `validate`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readManifestFiles, validateManifests } from '../../lib/validate';
import { cli, project } from '../cli/run';

const COMPOSE = `
name: shop
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
  backup:
    image: busybox:1.36
    command: sleep infinity
    volumes: [data:/data:ro]
volumes:
  data:
    external: true
    name: shop-pgdata
`;

async function convert(args: string[] = []): Promise<string> {
  const dir = project({ 'compose.yaml': COMPOSE });
  const run = await cli(['convert', '-o', 'out', '-q', ...args], { cwd: dir });
  expect(run.code).toBe(0);
  return path.join(dir, 'out');
}

const FILE = 'external-volumes/shop-pgdata.yaml.example';
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);

test('the claim the stack would make: name, access mode, default size, namespace; no stack labels', async () => {
  const out = await convert(['--namespace', 'shop']);
  const text = fs.readFileSync(path.join(out, FILE), 'utf8');
  expect(docs(text)).toEqual([
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'shop-pgdata', namespace: 'shop' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  ]);
  expect(text).toContain('# storageClassName: ""   # unset: standard (the default class of kind)');
  expect(text).toContain(`kubectl -n shop apply -f ${FILE}`);
  expect(fs.readFileSync(path.join(out, 'NOTES.md'), 'utf8')).toContain(
    `- \`shop-pgdata\` (volume \`data\`, mounted by backup, db): \`${FILE}\``,
  );
});

test('adopting a disk: uncommented, the file is the claim bound to a PersistentVolume that is valid', async () => {
  const out = await convert(['--namespace', 'shop']);
  const text = fs.readFileSync(path.join(out, FILE), 'utf8');
  // What the comments ask for: everything after the header uncommented.
  const manifest = text.slice(text.indexOf('apiVersion: v1'));
  const adopted = manifest.replace(/^(\s*)# /gm, '$1');
  const [claim, volume] = docs(adopted);
  expect(claim).toMatchObject({ spec: { storageClassName: '', volumeName: 'shop-pgdata' } });
  expect(volume).toMatchObject({
    kind: 'PersistentVolume',
    spec: { storageClassName: '', claimRef: { namespace: 'shop', name: 'shop-pgdata' } },
  });
  const problems = validateManifests(
    docs(adopted).map((object, index) => ({ object, file: FILE, index })),
    { checkReferences: false },
  );
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
});

test('nothing applies it by itself: kustomization, kubectl directory reads and validate leave it out', async () => {
  const out = await convert();
  expect(fs.existsSync(path.join(out, FILE))).toBe(true);
  expect(fs.readFileSync(path.join(out, 'kustomization.yaml'), 'utf8')).not.toContain('external-volumes');
  // kubectl's directory walk (apply -f DIR, -R too) takes these extensions only.
  expect(path.extname(FILE)).not.toMatch(/^\.(json|yaml|yml)$/);
  const read = readManifestFiles([out]);
  expect(read.inputs.map((i) => i.file ?? '').filter((f) => f.includes('external-volumes'))).toEqual([]);
  const kubectl = spawnSync('kubectl', ['kustomize', out], { encoding: 'utf8' });
  if (kubectl.status === 0) expect(docs(kubectl.stdout).map((o) => o.kind)).not.toContain('PersistentVolumeClaim');
});

test('a stack without external volumes has no such directory', async () => {
  const dir = project({
    'compose.yaml': 'services:\n  db:\n    image: postgres:16\n    volumes: [data:/d]\nvolumes:\n  data: {}\n',
  });
  await cli(['convert', '-o', 'out', '-q'], { cwd: dir });
  expect(fs.existsSync(path.join(dir, 'out', 'external-volumes'))).toBe(false);
  expect(fs.readFileSync(path.join(dir, 'out', 'NOTES.md'), 'utf8')).not.toContain('External volumes');
});

test('a Helm chart: the example beside it (helmignored), in the namespace the README installs into', async () => {
  const dir = project({ 'compose.yaml': COMPOSE });
  expect((await cli(['convert', '--format', 'helm', '-o', 'chart', '-q'], { cwd: dir })).code).toBe(0);
  const chart = path.join(dir, 'chart');
  expect(docs(fs.readFileSync(path.join(chart, FILE), 'utf8'))[0]).toMatchObject({ metadata: { namespace: 'shop' } });
  expect(fs.readFileSync(path.join(chart, '.helmignore'), 'utf8')).toMatch(/^external-volumes\/$/m);
  const readme = fs.readFileSync(path.join(chart, 'README.md'), 'utf8');
  expect(readme).toContain('helm install shop . --namespace shop');
  expect(readme).toContain('`kubectl -n shop apply -f external-volumes/<claim>.yaml.example`');
  expect(fs.readFileSync(path.join(chart, 'templates', 'NOTES.txt'), 'utf8')).toContain('shop-pgdata');
});
