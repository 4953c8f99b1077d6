/**
 * `npm run test:compat`: the packed package in a fresh cdk8s app pinned to the lowest cdk8s and
 * constructs it claims to support (peerDependencies), as a user would install it. Builds the
 * tarball, installs it with TypeScript 5.9 and ts-node into a copy of examples/library-app,
 * type-checks the app (CommonJS and node16 resolution), runs it as its cdk8s.yaml says, requires
 * the package from plain JavaScript, and runs the packed CLI from another directory.
 * Needs the npm registry (or a warm npm cache). COMPAT_CDK8S / COMPAT_CONSTRUCTS pick versions.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';

const root = path.join(__dirname, '..', '..');
const CDK8S = process.env.COMPAT_CDK8S ?? '2.68.12';
const CONSTRUCTS = process.env.COMPAT_CONSTRUCTS ?? '10.3.0';
const APP_FILES = ['main.ts', 'compose.yaml', 'db_password.txt', 'cdk8s.yaml', 'tsconfig.json'];

interface Step {
  readonly name: string;
  readonly seconds: number;
}
const steps: Step[] = [];

function step<T>(name: string, run: () => T): T {
  const started = Date.now();
  process.stdout.write(`- ${name} ... `);
  try {
    const result = run();
    const seconds = (Date.now() - started) / 1000;
    steps.push({ name, seconds });
    process.stdout.write(`ok (${seconds.toFixed(1)} s)\n`);
    return result;
  } catch (error) {
    process.stdout.write('FAILED\n');
    throw error;
  }
}

function sh(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-compat-'));
  const app = path.join(work, 'app');
  console.log(`compat: cdk8s ${CDK8S}, constructs ${CONSTRUCTS}, in ${work}`);

  const tarball = step('npm run build, npm pack', () => {
    sh('npm', ['run', 'build'], root);
    const out = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root);
    return path.join(work, (JSON.parse(out) as { filename: string }[])[0].filename);
  });

  step('create the app from examples/library-app', () => {
    fs.mkdirSync(app);
    for (const file of APP_FILES)
      fs.copyFileSync(path.join(root, 'examples', 'library-app', file), path.join(app, file));
    const devDependencies = Object.fromEntries(
      ['typescript', 'ts-node', '@types/node', '@types/jest'].map((name) => [name, devVersion(name)]),
    );
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'compat-app',
          private: true,
          dependencies: { 'compose-cdk8s': `file:${tarball}`, cdk8s: CDK8S, constructs: CONSTRUCTS },
          devDependencies,
        },
        null,
        2,
      ),
    );
  });

  step('npm install', () => sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app));

  step(`one copy of cdk8s (${CDK8S}) and constructs (${CONSTRUCTS}), the app's`, () => {
    const version = (pkg: string) =>
      (JSON.parse(fs.readFileSync(path.join(app, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
        .version;
    check(version('cdk8s') === CDK8S, `cdk8s ${version('cdk8s')} installed, wanted ${CDK8S}`);
    check(version('constructs') === CONSTRUCTS, `constructs ${version('constructs')} installed, wanted ${CONSTRUCTS}`);
    for (const nested of ['compose-cdk8s/node_modules/cdk8s', 'compose-cdk8s/node_modules/constructs'])
      check(!fs.existsSync(path.join(app, 'node_modules', nested)), `a second copy: node_modules/${nested}`);
  });

  step('tsc --noEmit (CommonJS, moduleResolution node)', () => sh('npx', ['tsc', '--noEmit', '-p', '.'], app));

  step('tsc --noEmit (module node16: the exports map and its types)', () => {
    const config = JSON.parse(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    config.compilerOptions.module = 'node16';
    config.compilerOptions.moduleResolution = 'node16';
    fs.writeFileSync(path.join(app, 'tsconfig.node16.json'), JSON.stringify(config));
    sh('npx', ['tsc', '--noEmit', '-p', 'tsconfig.node16.json'], app);
  });

  step('the app, as cdk8s.yaml runs it (ts-node main.ts)', () => {
    const command = (parse(fs.readFileSync(path.join(app, 'cdk8s.yaml'), 'utf8')) as { app: string }).app.split(' ');
    sh(command[0], command.slice(1), app, { CDK8S_OUTDIR: 'dist' });
    for (const file of ['shop.k8s.yaml', 'shop/manifests.yaml', 'shop/kustomization.yaml', 'shop/kind-cluster.yaml'])
      check(fs.existsSync(path.join(app, 'dist', file)), `dist/${file} was not written`);
    const objects = parseAllDocuments(fs.readFileSync(path.join(app, 'dist', 'shop', 'manifests.yaml'), 'utf8')).map(
      (d) => d.toJSON() as { kind: string; metadata: { name: string }; spec?: { replicas?: number } },
    );
    check(objects[0].kind === 'Namespace', 'the Namespace is not the first object');
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api');
    check(api?.spec?.replicas === 2, "the app's patch (api replicas 2) is not in the output");
  });

  step("require('compose-cdk8s') from plain JavaScript", () => {
    const script = [
      "const { App, Testing } = require('cdk8s');",
      "const { ComposeChart, loadProjectFromString } = require('compose-cdk8s');",
      "const r = loadProjectFromString('services:\\n  web:\\n    image: nginx\\n', { workingDir: process.cwd() });",
      'if (!r.ok) throw new Error("load failed");',
      "const objects = Testing.synth(new ComposeChart(new App(), 'web', { project: r.project }));",
      'console.log(objects.map((o) => o.kind).join(","));',
    ].join('\n');
    const kinds = sh('node', ['-e', script], app).trim();
    check(kinds.includes('Deployment') && kinds.includes('Service'), `unexpected objects: ${kinds}`);
  });

  step('npx compose-cdk8s convert and validate, from another directory', () => {
    // npx installs the tarball (and its peers) on its own, as for a user who never added it to an app.
    const elsewhere = fs.mkdtempSync(path.join(work, 'elsewhere-'));
    const npx = (...args: string[]) =>
      sh('npx', ['--yes', '--prefer-offline', `--package=${tarball}`, 'compose-cdk8s', ...args], elsewhere);
    const version = npx('--version').trim();
    check(version === readVersion(), `--version says ${version}`);
    npx('convert', '-f', path.join(app, 'compose.yaml'), '-o', 'out', '-q');
    check(fs.existsSync(path.join(elsewhere, 'out', 'manifests.yaml')), 'convert wrote no manifests');
    npx('validate', 'out');
  });

  const total = steps.reduce((sum, s) => sum + s.seconds, 0);
  console.log(
    `compat: all ${steps.length} steps passed in ${total.toFixed(0)} s (cdk8s ${CDK8S}, constructs ${CONSTRUCTS})`,
  );
  fs.rmSync(work, { recursive: true, force: true });
}

function readVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The app gets the same TypeScript and ts-node versions this repository is tested with. */
function devVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const version = pkg.devDependencies[name];
  if (!version) throw new Error(`no devDependency ${name}`);
  return version;
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
