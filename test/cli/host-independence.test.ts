/**
 * The output depends only on the project directory: the same project, checked out in two places
 * by two users with different home directories, converts to byte-identical files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, read, tree } from './run';

const FILES: Record<string, string> = {
  'compose.yaml': `name: shop
services:
  api:
    build: ./api
    ports: ["8000:8000"]
    volumes:
      - ./api:/app
      - ./data:/app/data
      - ./nginx.conf:/etc/nginx.conf:ro
      - ~/.aws:/root/.aws:ro
      - \${HOME}/.config/app:/config
      - /var/run/docker.sock:/var/run/docker.sock
      - ../shared:/shared
    secrets: [token]
    env_file: [../common.env, { path: ~/app.env, required: false }]
secrets:
  token: { file: ./token.txt }
`,
  'api/main.py': 'print("hi")\n',
  'data/seed.json': '{}\n',
  'nginx.conf': 'events {}\n',
  'token.txt': 's3cret\n',
};

function checkout(user: string): { dir: string; home: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${user}-`));
  const home = path.join(root, 'home', user);
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), `[default]\naws_secret_access_key = ${user}-key\n`);
  // Both checkouts sit under their user's home, at different depths: `../shared` must still be
  // named from the project, not from $HOME.
  const dir = path.join(home, ...(user === 'alice' ? ['src'] : ['code', 'deep', 'work']), 'shop');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '..', 'common.env'), `TOKEN=${user}-key\nREGION=${user}-region\n`);
  fs.writeFileSync(path.join(home, 'app.env'), `API_TOKEN=${user}-key\n`);
  for (const [name, content] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return { dir, home };
}

test.each(['kind', 'minikube', 'generic'])(
  '%s: two checkouts, two users, two homes: the same bytes',
  async (target) => {
    const outputs = [];
    for (const user of ['alice', 'bob']) {
      const { dir, home } = checkout(user);
      const run = await cli(['convert', '--target', target, '-o', 'k8s'], { cwd: dir, env: { HOME: home } });
      expect(run.code).toBe(0);
      const out = path.join(dir, 'k8s');
      const files = tree(out);
      outputs.push(Object.fromEntries(files.map((f) => [f, read(out, f)])));
      const all = Object.values(outputs[outputs.length - 1]).join('\n');
      for (const machineSpecific of [home, path.dirname(dir), `${user}-key`, user]) {
        expect(all).not.toContain(machineSpecific);
      }
    }
    expect(outputs[1]).toEqual(outputs[0]);
  },
);
