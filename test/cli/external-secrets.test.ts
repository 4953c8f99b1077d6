/**
 * `convert --secrets external`: a stack directory with no secret value in it, whose up.sh
 * creates the Secrets at deploy time from the project's own files (`--secrets only --stdout`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { cli, project, read, tree } from './run';

const COMPOSE = [
  'name: vault',
  'services:',
  '  api:',
  '    image: api:1',
  '    env_file: common.env',
  '    environment: { _APP_DB_PASS: inline-pass-8f3e }',
  '    secrets: [tls_key]',
  '  worker:',
  '    image: api:1',
  '    env_file: common.env',
  'secrets:',
  '  tls_key: { file: ./tls.key }',
  '',
].join('\n');
const FILES = {
  'compose.yaml': COMPOSE,
  'common.env': 'PG_PASS=file-pass-7d21\nLOG_LEVEL=info\n',
  'tls.key': 'tls-key-contents-3c9a\n',
};
const VALUES = ['inline-pass-8f3e', 'file-pass-7d21', 'tls-key-contents-3c9a'];

const secretsOf = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJSON() as { kind: string; metadata: { name: string }; data?: Record<string, string> })
    .filter((o) => o && o.kind === 'Secret');

test('no secret value is written, in any file; the workloads name the Secrets as user-created', async () => {
  const dir = project(FILES);
  const run = await cli(['convert', '--secrets', 'external', '-o', 'k8s'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Secrets not written (--secrets external): k8s/up.sh creates them');
  const out = path.join(dir, 'k8s');
  for (const file of tree(out)) {
    const content = read(out, file);
    for (const value of VALUES) {
      expect({ file, value, found: content.includes(value) }).toEqual({ file, value, found: false });
      expect(content).not.toContain(Buffer.from(value).toString('base64'));
    }
  }
  const manifests = read(out, 'manifests.yaml');
  expect(secretsOf(manifests)).toEqual([]);
  expect(manifests).toContain('compose-cdk8s.io/user-created: Secret/api-env Secret/common.env Secret/tls-key');
});

test('up.sh creates them from the project before applying: the same Secrets an inline conversion writes', async () => {
  const dir = project(FILES);
  await cli(['convert', '--secrets', 'external', '-o', 'k8s'], { cwd: dir });
  const up = read(path.join(dir, 'k8s'), 'up.sh');
  const line = up.split('\n').find((l) => l.includes('--secrets only'));
  expect(line).toBe(
    '${COMPOSE_CDK8S:-npx --yes compose-cdk8s} convert --secrets only --stdout -q -f ../compose.yaml --project-directory .. -p vault --target kind | kubectl apply -f -',
  );
  expect(up.indexOf('--secrets only')).toBeLessThan(up.indexOf('kubectl apply -k .'));
  // What that line prints, run from the stack directory as up.sh does.
  const args = (line as string).split(' | ')[0].split('} ')[1].split(' ');
  const created = await cli(args, { cwd: path.join(dir, 'k8s') });
  expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
  const inline = await cli(['convert', '--stdout', '-q'], { cwd: dir });
  expect(secretsOf(created.stdout)).toEqual(secretsOf(inline.stdout));
  expect(secretsOf(created.stdout).map((s) => s.metadata.name)).toEqual(['api-env', 'tls-key', 'common.env']);
});

test('--secrets only needs --stdout', async () => {
  const dir = project(FILES);
  const only = await cli(['convert', '--secrets', 'only', '-o', 'k8s'], { cwd: dir });
  expect(only.code).toBe(2);
  expect(only.stderr).toContain('--secrets only prints the Secrets: it needs --stdout');
  expect(fs.existsSync(path.join(dir, 'k8s'))).toBe(false);
});

test('a Helm chart with --secrets external holds no Secret; its README and NOTES.txt say how to create them', async () => {
  const dir = project(FILES);
  const run = await cli(['convert', '--secrets', 'external', '--format', 'helm', '-o', 'chart'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("create them from the project's files before helm install, as chart/README.md says");
  const out = path.join(dir, 'chart');
  for (const file of tree(out)) {
    const content = read(out, file);
    for (const value of VALUES) expect({ file, found: content.includes(value) }).toEqual({ file, found: false });
  }
  expect(tree(out)).not.toContain('templates/secrets.yaml');
  const command =
    'compose-cdk8s convert --secrets only --stdout -q -f ../compose.yaml --project-directory .. -p vault --target kind -n vault | kubectl apply -f -';
  expect(read(out, 'README.md')).toContain(command);
  expect(read(out, 'templates/NOTES.txt')).toContain(command);
});

test('a stack without Secrets gets no Secret step: kubectl apply refuses an empty input', async () => {
  const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n' });
  const run = await cli(['convert', '--secrets', 'external', '-o', 'k8s'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain('Secrets not written');
  expect(read(path.join(dir, 'k8s'), 'up.sh')).not.toContain('--secrets only');
});
