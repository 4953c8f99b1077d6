/**
 * `post_start` and `pre_stop` -> the container's lifecycle exec handlers. The handlers that need
 * a shell or env are run for real (busybox's sh and env, as in Alpine and busybox images; the
 * host's sh, dash in Debian images), after Kubernetes' `$$` / `$(` expansion, as the kubelet
 * would exec them in the container.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accountProblems } from '../support/account';
import { kubernetesExpand } from '../support/kubernetes-expand';
import { synthProject } from '../support/synth';

const web = (hooks: string, service = '') => synthProject(`services:\n  web:\n    image: app\n${service}${hooks}`);
const handler = (yaml: string, hook = 'postStart'): string[] => web(yaml).container('web').lifecycle[hook].exec.command;
const row = (s: ReturnType<typeof web>, key: string) => s.chart.service('web').explanations.find((e) => e.key === key);

/** busybox's sh and env where busybox is installed, and the host's own. */
const shells: [string, string[]][] = [
  ...(spawnSync('busybox', ['sh', '-c', 'true']).status === 0 ? [['busybox', ['busybox']] as [string, string[]]] : []),
  ['the host sh', []],
];

describe('post_start and pre_stop', () => {
  test('one entry is the exec handler, exec form as written, a string split into words as command is', () => {
    const s = web(
      '    post_start:\n      - command: ["touch", "/tmp/started"]\n    pre_stop:\n      - command: nginx -s quit\n',
    );
    expect(s.container('web').lifecycle).toEqual({
      postStart: { exec: { command: ['touch', '/tmp/started'] } },
      preStop: { exec: { command: ['nginx', '-s', 'quit'] } },
    });
    expect(s.warnings()).toEqual([]);
    expect(accountProblems(s.chart)).toEqual([]);
    expect(row(s, 'post_start')?.status).toBe('translated');
  });

  test('explain says how the hooks behave where Kubernetes and Compose differ', () => {
    const s = web('    post_start:\n      - command: ["true"]\n    pre_stop:\n      - command: ["true"]\n');
    expect(row(s, 'post_start')?.note).toContain('when it fails Kubernetes kills the container and restarts it');
    expect(row(s, 'pre_stop')?.note).toContain("its run time counts toward the pod's grace period");
  });

  test('$ is escaped, so Kubernetes passes $(...) and $$ on as written, as Compose does', () => {
    const command = handler('    post_start:\n      - command: ["echo", "$$(whoami)", "$$$$"]\n');
    expect(command).toEqual(['echo', '$$(whoami)', '$$$']);
    expect(command.map((c) => kubernetesExpand(c))).toEqual(['echo', '$(whoami)', '$$']);
  });

  test("an entry's variables go through env, reported as needing env in the image", () => {
    const s = web('    post_start:\n      - command: ["printenv", "MODE"]\n        environment: { MODE: warm }\n');
    expect(s.container('web').lifecycle.postStart.exec.command).toEqual(['env', 'MODE=warm', 'printenv', 'MODE']);
    expect(s.warnings()).toEqual([
      'services.web.post_start[0].environment: Kubernetes has no variables for a hook: they are set through env, so the image needs an env binary',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test("an entry's working_dir runs cd through /bin/sh -c, reported as needing a shell", () => {
    const s = web(
      '    post_start:\n      - command: ["chown", "-R", "1000", "."]\n        working_dir: /srv/my data\n',
    );
    expect(s.container('web').lifecycle.postStart.exec.command).toEqual([
      '/bin/sh',
      '-c',
      "cd '/srv/my data' && chown -R 1000 .",
    ]);
    expect(s.warnings()).toEqual([
      'services.web.post_start[0].working_dir: Kubernetes has no working directory for a hook: the command runs through /bin/sh -c after cd, so the image needs a shell',
    ]);
  });

  test('a user or privileges other than the container’s cannot be given to a hook: reported at the key', () => {
    const s = web(
      '    post_start:\n      - command: ["chown", "-R", "1000", "/data"]\n        user: root\n        privileged: true\n',
      '    user: "1000"\n',
    );
    expect(s.container('web').lifecycle.postStart.exec.command).toEqual(['chown', '-R', '1000', '/data']);
    expect(s.warnings()).toEqual([
      `services.web.post_start[0].user: not translated: a Kubernetes hook runs as the container's user ("1000"), not "root"; if the command needs it, the hook fails and Kubernetes restarts the container (a pre_start entry, an init container, can have its own user and privileges)`,
      'services.web.post_start[0].privileged: not translated: a Kubernetes hook has the privileges of its container, which is not privileged (privileged: true on the service gives them to the whole container); if the command needs it, the hook fails and Kubernetes restarts the container (a pre_start entry, an init container, can have its own user and privileges)',
    ]);
    expect(row(s, 'post_start[0].user')?.status).toBe('dropped');
    expect(row(s, 'post_start[0].privileged')?.status).toBe('dropped');
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('the container’s own user and privileges are what the hook gets anyway', () => {
    const s = web(
      '    pre_stop:\n      - command: ["true"]\n        user: root\n        privileged: true\n',
      '    user: "0"\n    privileged: true\n',
    );
    expect(s.warnings()).toEqual([]);
    expect(row(s, 'pre_stop[0].user')?.status).toBe('translated');
    expect(row(s, 'pre_stop[0].privileged')?.status).toBe('translated');
  });

  test("a secret-looking variable never reaches the spec: the hook reads it from a container variable set from the service's Secret", () => {
    const s = web(
      '    pre_stop:\n      - command: ["psql", "-c", "checkpoint"]\n        environment: { PGPASSWORD: hunter2 }\n',
    );
    expect(JSON.stringify(s.find('Deployment', 'web'))).not.toContain('hunter2');
    expect(s.container('web').lifecycle.preStop.exec.command).toEqual([
      '/bin/sh',
      '-c',
      'PGPASSWORD="$COMPOSE_HOOK_PRE_STOP_0_PGPASSWORD" psql -c checkpoint',
    ]);
    expect(s.container('web').env).toContainEqual({
      name: 'COMPOSE_HOOK_PRE_STOP_0_PGPASSWORD',
      valueFrom: { secretKeyRef: { name: 'web-env', key: 'pre_stop-0.PGPASSWORD' } },
    });
    expect(s.find('Secret', 'web-env').data).toEqual({
      'pre_stop-0.PGPASSWORD': Buffer.from('hunter2').toString('base64'),
    });
    expect(s.warnings()).not.toContainEqual(expect.stringContaining('clear text'));
  });

  test('an entry without a command is reported, with its user', () => {
    const s = web('    post_start:\n      - command: []\n        user: root\n');
    expect(s.container('web').lifecycle).toBeUndefined();
    expect(s.warnings()).toEqual([
      'services.web.post_start[0]: not translated: an entry without a command runs nothing',
      'services.web.post_start[0].user: not translated: its entry has no command, so nothing runs',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });

  test('several entries become one /bin/sh -c script, reported as needing a shell', () => {
    const s = web('    post_start:\n      - command: ["a"]\n      - command: b c\n        working_dir: /d\n');
    expect(s.container('web').lifecycle.postStart.exec.command).toEqual(['/bin/sh', '-c', 'set -e\na\n(cd /d && b c)']);
    expect(s.warnings()).toEqual([
      'services.web.post_start: Kubernetes takes one command per hook: the 2 entries run in order, stopping at the first that fails, through /bin/sh -c, so the image needs a shell',
    ]);
    expect(accountProblems(s.chart)).toEqual([]);
  });
});

describe.each(shells)('the handlers, run in %s', (_name, prefix) => {
  /** Execs the handler as the kubelet would: argv after Kubernetes' expansion, in the container's working directory. */
  const exec = (command: readonly string[], cwd: string) => {
    const argv = command.map((c) => kubernetesExpand(c));
    const [file, ...args] = argv[0] === '/bin/sh' ? ['sh', ...argv.slice(1)] : argv;
    const run = prefix.length > 0 ? [prefix[0], [file, ...args]] : [file, args];
    return spawnSync(run[0] as string, run[1] as string[], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/root' },
    });
  };
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hook-'));

  test('entries run in order, each in its directory with its variables, as written', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'in dir'));
    const yaml = [
      '    post_start:',
      '      - command: ["sh", "-c", "pwd > first"]',
      '      - command: ["sh", "-c", "printf %s \\"$$GREETING|$$(echo sub)|$$HOME\\" > second"]',
      `        working_dir: ${dir}/in dir`,
      `        environment: { GREETING: "it's \\"$$HOME\\" $$(x) \`y\`" }`,
      '      - command: ["sh", "-c", "pwd > third"]',
      '',
    ].join('\n');
    const r = exec(handler(yaml), dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'first'), 'utf8').trim()).toBe(dir);
    // The variable's value is taken as written: no shell expansion of its $, quotes or backquotes.
    expect(fs.readFileSync(path.join(dir, 'in dir', 'second'), 'utf8')).toBe(`it's "$HOME" $(x) \`y\`|sub|/root`);
    // The next entry starts where the container's process does, not in the previous one's directory.
    expect(fs.readFileSync(path.join(dir, 'third'), 'utf8').trim()).toBe(dir);
  });

  test('the first entry that fails stops the others, and the hook fails', () => {
    const dir = tmp();
    const yaml =
      '    pre_stop:\n      - command: ["touch", "one"]\n      - command: ["false"]\n      - command: ["touch", "three"]\n';
    const r = exec(handler(yaml, 'preStop'), dir);
    expect(r.status).not.toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['one']);
  });

  test('a working directory that does not exist fails the hook, as Compose fails the exec', () => {
    const dir = tmp();
    const yaml =
      '    post_start:\n      - command: ["touch", "x"]\n        working_dir: /no/such/dir\n      - command: ["touch", "y"]\n';
    expect(exec(handler(yaml), dir).status).not.toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('one entry with variables runs through env, its command word untouched', () => {
    const dir = tmp();
    const yaml =
      '    post_start:\n      - command: ["sh", "-c", "printf %s \\"$$A $$B\\" > out"]\n        environment: { A: "a=b", B: "$$(c)" }\n';
    expect(exec(handler(yaml), dir).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe('a=b $(c)');
  });

  test('a secret variable gets its value from the container variable, a name sh cannot assign through env', () => {
    const yaml =
      '    post_start:\n      - command: ["env"]\n        environment: { API_TOKEN: s3cr3t-v, "my.token": s3cr3t-w }\n';
    const command = handler(yaml);
    expect(command.join(' ')).not.toContain('s3cr3t');
    const argv = ['sh', ...command.slice(1)];
    const [file, args] = prefix.length > 0 ? [prefix[0], argv] : [argv[0], argv.slice(1)];
    const r = spawnSync(file, args, {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        COMPOSE_HOOK_POST_START_0_API_TOKEN: 's3cr3t-v',
        COMPOSE_HOOK_POST_START_0_MY_TOKEN: 's3cr3t-w',
      },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('API_TOKEN=s3cr3t-v');
    expect(r.stdout).toContain('my.token=s3cr3t-w');
  });

  test('variables whose names sh cannot assign go through env inside the script', () => {
    const yaml = [
      '    post_start:',
      '      - command: ["env"]',
      '        environment: { "my.var": "x y" }',
      '      - command: ["true"]',
      '',
    ].join('\n');
    expect(handler(yaml)[2]).toBe("set -e\nenv 'my.var=x y' env\ntrue");
    const r = exec(handler(yaml), tmp());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('my.var=x y');
  });
});
