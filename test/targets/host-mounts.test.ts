/**
 * Host directories behind hostPath volumes reach the node from this machine: kind through
 * extraMounts (relative to the stack directory; `${HOME}` written in by up.sh at run time),
 * minikube through `minikube mount` processes that up.sh starts before applying. The scripts run
 * here against stub tools that record what they were asked.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { kindClusterConfig, planKindCluster } from '../../lib/targets/kind';
import { renderNotes } from '../../lib/targets/notes';
import type { NodeMount, StackPlan } from '../../lib/targets/plan';
import { renderUpScript } from '../../lib/targets/scripts';
import { tempProject } from '../support/project';

const mounts: NodeMount[] = [
  { hostPath: '${HOME}/.aws', nodePath: '/compose-cdk8s/home/.aws', display: '~/.aws' },
  { hostPath: '..', nodePath: '/compose-cdk8s/project', display: '.' },
];

const plan = (over: Partial<StackPlan> = {}): StackPlan => ({
  name: 'shop',
  project: 'shop',
  objects: [],
  target: 'kind',
  images: [],
  published: [],
  hostNetwork: [],
  ingressHosts: [],
  // The wait at the end has its own tests (wait.test.ts): these stubs answer no `kubectl get`.
  workloads: [],
  nodeMounts: mounts,
  sourceMounts: [{ service: 'api', hostPath: './api', target: '/app' }],
  externalVolumes: [],
  projectDir: '..',
  ...over,
});

/** A stack directory inside a project, and a bin directory of stubs that log their arguments. */
function sandbox(files: Record<string, string>, stubs: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mounts-'));
  const stack = path.join(root, 'project', 'k8s');
  fs.mkdirSync(stack, { recursive: true });
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(stack, name), content, { mode: 0o755 });
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(root, 'log');
  for (const [tool, body] of Object.entries(stubs)) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/bash\necho "${tool} $*" >>${log}\n${body}\n`, { mode: 0o755 });
  }
  return { root, stack, bin, log, read: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '') };
}

describe('kind', () => {
  test('extraMounts mount each host directory at its node path', () => {
    const config = kindClusterConfig(planKindCluster('shop', [], [], false, mounts)) as {
      nodes: { extraMounts: unknown[] }[];
    };
    expect(config.nodes[0].extraMounts).toEqual([
      { hostPath: '${HOME}/.aws', containerPath: '/compose-cdk8s/home/.aws' },
      { hostPath: '..', containerPath: '/compose-cdk8s/project' },
    ]);
  });

  test('up.sh writes $HOME into the config it gives kind, from the stack directory', () => {
    const kindConfig = `# x\n${JSON.stringify(kindClusterConfig(planKindCluster('shop', [], [], false, mounts)))}\n`;
    const box = sandbox(
      { 'up.sh': renderUpScript(plan()), 'kind-cluster.yaml': kindConfig },
      {
        docker: 'exit 0',
        // `kind get clusters` lists none; `create` records the config it was given and where it ran.
        kind: 'if [ "$1" = create ]; then cat "${@: -1}" >>"$(dirname "$0")/../created"; pwd >>"$(dirname "$0")/../cwd"; fi',
        kubectl: 'exit 0',
      },
    );
    fs.mkdirSync(path.join(box.root, 'project', 'api'));
    fs.writeFileSync(path.join(box.root, 'project', 'api', 'main.py'), '');
    const run = spawnSync('bash', [path.join(box.stack, 'up.sh')], {
      // `&` and `|` are special in a sed replacement; the home directory must arrive as written.
      env: { PATH: `${box.bin}:/usr/bin:/bin`, HOME: '/home/al&ice|x' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const created = parse(fs.readFileSync(path.join(box.root, 'created'), 'utf8').replace(/^#.*\n/, ''));
    expect(created.nodes[0].extraMounts[0]).toEqual({
      hostPath: '/home/al&ice|x/.aws',
      containerPath: '/compose-cdk8s/home/.aws',
    });
    // Relative host paths are relative to where kind runs: the stack directory.
    expect(fs.readFileSync(path.join(box.root, 'cwd'), 'utf8').trim()).toBe(box.stack);
    expect(box.read()).toContain('kubectl apply -k .');
  });

  test('without a home path, kind reads kind-cluster.yaml itself', () => {
    const script = renderUpScript(plan({ nodeMounts: [mounts[1]] }));
    expect(script).toContain('kind create cluster --name "$CLUSTER" --config kind-cluster.yaml');
    expect(script).not.toContain('ENVIRON["HOME"]');
  });
});

describe('minikube', () => {
  test('up.sh starts one minikube mount per directory before applying, and waits for it', () => {
    const box = sandbox(
      { 'up.sh': renderUpScript(plan({ target: 'minikube' })) },
      {
        // `ssh -- mountpoint` answers "mounted" once a mount process has been started for that path.
        minikube: [
          'state="$(dirname "$0")/../mounted"',
          'if [ "$3" = mount ]; then echo "${4##*:}" >>"$state"; sleep 0.2; exit 0; fi',
          'if [ "$3" = ssh ]; then grep -qx "${@: -1}" "$state" 2>/dev/null; exit $?; fi',
          'exit 0',
        ].join('\n'),
        kubectl: 'exit 0',
      },
    );
    const home = path.join(box.root, 'home-bob');
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    const run = spawnSync('bash', [path.join(box.stack, 'up.sh')], {
      env: { PATH: `${box.bin}:/usr/bin:/bin`, HOME: home, TMPDIR: box.root },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const calls = box.read().split('\n');
    const mountCalls = calls.filter((c) => / mount /.test(c));
    expect(mountCalls).toEqual([
      `minikube -p shop mount ${home}/.aws:/compose-cdk8s/home/.aws`,
      `minikube -p shop mount ${path.join(box.root, 'project')}:/compose-cdk8s/project`,
    ]);
    const applied = calls.findIndex((c) => c === 'kubectl apply -k .');
    expect(applied).toBeGreaterThan(calls.lastIndexOf(mountCalls[1]));
  });

  test('minikube mount serves directories: a single file is copied in with minikube cp, a socket is left out', () => {
    const file = path.join(tempProject({ 'app.conf': 'x' }), 'app.conf');
    const box = sandbox(
      {
        'up.sh': renderUpScript(
          plan({
            target: 'minikube',
            nodeMounts: [
              { hostPath: file, nodePath: '/compose-cdk8s/host/app.conf', display: file },
              {
                hostPath: '/nonexistent/docker.sock',
                nodePath: '/compose-cdk8s/host/docker.sock',
                display: 'docker.sock',
              },
            ],
          }),
        ),
      },
      { minikube: 'exit 0', kubectl: 'exit 0' },
    );
    const run = spawnSync('bash', [path.join(box.stack, 'up.sh')], {
      env: { PATH: `${box.bin}:/usr/bin:/bin`, HOME: '/tmp' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(box.read().split('\n')).toContain(`minikube -p shop cp ${file} /compose-cdk8s/host/app.conf`);
    expect(box.read()).not.toContain(' mount ');
    expect(run.stderr).toContain(
      'up.sh: not mounting /nonexistent/docker.sock: minikube mount serves directories, minikube cp regular files',
    );
  });
});

describe('source checkouts', () => {
  test.each([
    ['missing', {}, true],
    ['holding only .env', { '.env': 'X=1' }, true],
    ['holding code', { 'main.py': '' }, false],
  ])(
    'up.sh warns, before anything starts, when a source directory is %s',
    (_, files: Record<string, string>, warns) => {
      const box = sandbox(
        { 'up.sh': renderUpScript(plan({ target: 'minikube', nodeMounts: [] })) },
        { minikube: 'exit 0', kubectl: 'exit 0' },
      );
      if (Object.keys(files).length > 0) fs.mkdirSync(path.join(box.root, 'project', 'api'));
      for (const [name, content] of Object.entries(files))
        fs.writeFileSync(path.join(box.root, 'project', 'api', name), content);
      const run = spawnSync('bash', [path.join(box.stack, 'up.sh')], {
        env: { PATH: `${box.bin}:/usr/bin:/bin`, HOME: '/tmp' },
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect(run.stderr).toBe(
        warns
          ? "up.sh: warning: ../api holds no code: api:/app sees it instead of the image's code (check the code out there, see NOTES.md)\n"
          : '',
      );
    },
  );
});

describe('NOTES.md', () => {
  test('lists each host directory, how the node gets it, and the source to check out', () => {
    const kind = renderNotes(plan(), planKindCluster('shop', [], [], false, mounts));
    expect(kind).toContain('| `~/.aws` | `/compose-cdk8s/home/.aws` | `${HOME}/.aws` |');
    expect(kind).toContain('`${HOME}` is filled in by `up.sh`');
    expect(kind).toContain("Check the application's code out there before `./up.sh`");
    expect(kind).toContain('- api: `./api` -> `/app`');
    const minikube = renderNotes(plan({ target: 'minikube' }));
    expect(minikube).toContain('minikube -p shop mount "$HOME/.aws":/compose-cdk8s/home/.aws &');
    expect(minikube).toContain('minikube -p shop mount "$(cd .. && pwd)":/compose-cdk8s/project &');
    const file: NodeMount = {
      hostPath: '../../app.conf',
      nodePath: '/compose-cdk8s/outside/_parent/app.conf',
      display: '../app.conf',
    };
    // `cd` into a file fails: its directory is made absolute, then the name appended.
    expect(renderNotes(plan({ target: 'minikube', nodeMounts: [file] }))).toContain(
      `minikube -p shop cp "$(cd ../.. && pwd)/"app.conf /compose-cdk8s/outside/_parent/app.conf   # a file: copied, not live`,
    );
    expect(renderNotes(plan({ target: 'generic' }))).toContain(
      'every node that may run these pods must hold the directories at those paths',
    );
  });
});
