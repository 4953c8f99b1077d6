/**
 * The fill init container's script, run for real: in the shells images have (dash for Debian
 * images, busybox sh for Alpine ones), on real directories, as root like the init container.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  fillInitContainer,
  fillScript,
  lostFoundInitContainer,
  lostFoundScript,
  FILL_MOUNT_PATH,
} from '../../lib/translate/volume-fill';
import { synthProject } from '../support/synth';
import { kubernetesExpand } from '../support/kubernetes-expand';
import { tempProject } from '../support/project';

const isRoot = process.getuid?.() === 0;
const shells = [
  ['sh', ['sh']],
  ['busybox sh', ['busybox', 'sh']],
].filter(([, argv]) => spawnSync(argv[0], [...argv.slice(1), '-c', 'true']).status === 0) as [string, string[]][];

function tree(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fill-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** The root of a freshly made ext4 filesystem: `lost+found`, empty, root's and closed to others, as mkfs leaves it. */
function newFilesystem(files: Record<string, string> = {}): string {
  const dir = tree(files);
  fs.mkdirSync(path.join(dir, 'lost+found'), { mode: 0o700 });
  return dir;
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(full);
      if (st.isSymbolicLink()) out.push(`${r} -> ${fs.readlinkSync(full)}`);
      else if (st.isDirectory()) {
        out.push(`${r}/`);
        walk(full, r);
      } else out.push(`${r} ${(st.mode & 0o777).toString(8)} ${fs.readFileSync(full, 'utf8')}`);
    }
  };
  walk(dir, '');
  return out;
}

describe.each(shells)('the fill script in %s', (_name, shell) => {
  // A claim's fill: an emptyDir's is the same, without the removal of lost+found.
  const run = (image: string, volume: string) => {
    // What the kubelet runs: the emitted command after Kubernetes' own `$$` / `$(` expansion.
    const container = fillInitContainer({ volume: 'data', target: image, claim: true }, 'x', undefined);
    const emitted = (container.command as string[])[2];
    const script = kubernetesExpand(emitted).replace(`dst='${FILL_MOUNT_PATH}'`, `dst='${volume}'`);
    expect(script).toBe(fillScript(image, 'fill-data', volume, true));
    return spawnSync(shell[0], [...shell.slice(1), '-c', script], { encoding: 'utf8' });
  };

  test("copies the image's files, dotfiles, modes and symlinks into an empty volume", () => {
    const image = tree({ 'index.html': 'hello', '.hidden': 'h', 'assets/app.js': 'js' });
    fs.chmodSync(path.join(image, 'assets/app.js'), 0o755);
    fs.symlinkSync('/dev/stdout', path.join(image, 'access.log'));
    fs.chmodSync(image, 0o1777);
    const volume = tree();
    const r = run(image, volume);
    expect(r.stdout).toContain(`fill-data: copying the image's ${image} into the new volume`);
    expect(r.status).toBe(0);
    expect(listing(volume)).toEqual(listing(image));
    expect((fs.statSync(volume).mode & 0o7777).toString(8)).toBe('1777');
  });

  (isRoot ? test : test.skip)('keeps ownership, and gives the volume root the owner of the image directory', () => {
    const image = tree({ 'node_modules/.bin/vite': 'x' });
    fs.chownSync(path.join(image, 'node_modules'), 1000, 1000);
    fs.chownSync(image, 1000, 1000);
    const volume = tree();
    expect(run(image, volume).status).toBe(0);
    expect([fs.statSync(volume).uid, fs.statSync(path.join(volume, 'node_modules')).gid]).toEqual([1000, 1000]);
  });

  test('does nothing when the volume already holds data', () => {
    const image = tree({ 'index.html': 'image' });
    const volume = tree({ 'index.html': 'mine' });
    const r = run(image, volume);
    expect(r.stdout).toContain('the volume already holds data');
    expect(listing(volume)).toEqual(['index.html 644 mine']);
  });

  test('a new filesystem: its empty lost+found is removed, and the image fills the volume', () => {
    const image = tree({ 'model.bin': 'weights' });
    const volume = newFilesystem();
    const r = run(image, volume);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('fill-data: removed the empty lost+found of the new filesystem');
    expect(listing(volume)).toEqual(['model.bin 644 weights']);
  });

  test('a new filesystem over a directory the image does not have: empty afterwards, as a new Docker volume', () => {
    const volume = newFilesystem();
    expect(run('/nonexistent/path', volume).status).toBe(0);
    expect(listing(volume)).toEqual([]);
  });

  test('a lost+found holding files is left in place, and the rest of the volume is still filled', () => {
    const image = tree({ 'model.bin': 'weights' });
    const volume = tree({ 'lost+found/#1234': 'saved by fsck' });
    const r = run(image, volume);
    expect(r.stdout).toContain('lost+found holds files (#1234...): left in place');
    expect(listing(volume)).toEqual(['lost+found/', 'lost+found/#1234 644 saved by fsck', 'model.bin 644 weights']);
  });

  test('a volume holding data keeps its empty lost+found', () => {
    const image = tree({ 'model.bin': 'weights' });
    const volume = newFilesystem({ PG_VERSION: '16' });
    expect(run(image, volume).stdout).toContain('the volume already holds data');
    expect(listing(volume)).toEqual(['PG_VERSION 644 16', 'lost+found/']);
  });

  test('does nothing when the image has no such directory', () => {
    const volume = tree();
    const r = run('/nonexistent/path', volume);
    expect([r.status, r.stdout.trim()]).toEqual([
      0,
      'fill-data: the image has no directory /nonexistent/path: the volume starts empty',
    ]);
    expect(listing(volume)).toEqual([]);
  });

  test('a copy interrupted before it was complete is started again', () => {
    const image = tree({ a: '1', b: '2' });
    const volume = tree({ '.compose-cdk8s-copying/a': '1' });
    expect(run(image, volume).status).toBe(0);
    expect(listing(volume)).toEqual(['a 644 1', 'b 644 2']);
  });

  test('a fill interrupted while moving the copy into place is finished, not taken for data', () => {
    const image = tree({ a: '1', b: '2' });
    const volume = tree({ a: '1', '.compose-cdk8s-copied/b': '2' });
    const r = run(image, volume);
    expect(r.stdout).toContain('finishing an interrupted fill');
    expect(listing(volume)).toEqual(['a 644 1', 'b 644 2']);
  });

  test('paths with spaces and quotes stay one word', () => {
    const image = tree({ "it's here/f": 'x' });
    const volume = tree();
    expect(run(path.join(image, "it's here"), volume).status).toBe(0);
    expect(listing(volume)).toEqual(['f 644 x']);
  });
});

describe.each(shells)('the lost+found script of a claim that starts empty, in %s', (_name, shell) => {
  const run = (volume: string, options: { uid?: number } = {}) => {
    const container = lostFoundInitContainer('data');
    const emitted = (container.command as string[])[2];
    const script = kubernetesExpand(emitted).replace(`dst='${FILL_MOUNT_PATH}'`, `dst='${volume}'`);
    expect(script).toBe(lostFoundScript('lost-found-data', volume));
    return spawnSync(shell[0], [...shell.slice(1), '-c', script], { encoding: 'utf8', ...options });
  };

  test('a new filesystem (nothing but an empty lost+found) is empty afterwards', () => {
    const volume = newFilesystem();
    const r = run(volume);
    expect([r.status, r.stdout.trim()]).toEqual([
      0,
      'lost-found-data: removed the empty lost+found of the new filesystem: a new Docker volume is empty',
    ]);
    expect(listing(volume)).toEqual([]);
  });

  test('a lost+found holding files is left as it is', () => {
    const volume = tree({ 'lost+found/#12': 'saved by fsck' });
    const r = run(volume);
    expect([r.status, r.stdout.trim()]).toEqual([0, 'lost-found-data: lost+found holds files (#12...): left in place']);
    expect(listing(volume)).toEqual(['lost+found/', 'lost+found/#12 644 saved by fsck']);
  });

  test('a volume holding data is left as it is, its empty lost+found too', () => {
    const volume = newFilesystem({ 'base/1/PG_VERSION': '16', '.hidden': 'x' });
    const before = listing(volume);
    const r = run(volume);
    expect([r.status, r.stdout.trim()]).toEqual([0, 'lost-found-data: the volume holds data: left as it is']);
    expect(listing(volume)).toEqual(before);
  });

  test('an empty volume without lost+found (a directory provisioner) needs nothing', () => {
    const volume = tree();
    expect([run(volume).status, run(volume).stdout]).toEqual([0, '']);
  });

  test('not allowed to remove it: says so and why, and the pod still starts', () => {
    const volume = newFilesystem();
    // As mkfs leaves it: the root is root's; a non-root user cannot remove what it holds.
    fs.chmodSync(volume, 0o755);
    const r = isRoot ? run(volume, { uid: 65534 }) : (fs.chmodSync(volume, 0o555), run(volume));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^lost-found-data: could not remove the empty lost\+found \(as uid \d+: not root, or the volume is read-only\): the service sees it, and postgres or mysql refuse to initialize a directory that is not empty/,
    );
    expect(listing(volume)).toEqual(['lost+found/']);
  });
});

describe('filling volumes from the image', () => {
  test('a named volume gets a fill init container running the service image as root, after the waits', () => {
    const s = synthProject(
      'services:\n  cache:\n    image: redis\n  web:\n    image: nginx:1.27\n    depends_on: [cache]\n    volumes: ["html:/usr/share/nginx/html:ro"]\nvolumes:\n  html: {}\n',
    );
    const pod = s.pod('web');
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-cache', 'fill-html']);
    expect(pod.initContainers[1]).toMatchObject({
      image: 'nginx:1.27',
      securityContext: { runAsUser: 0 },
      volumeMounts: [{ name: 'html', mountPath: FILL_MOUNT_PATH }],
    });
    // Read-only is on the service's mount only, so the fill can write.
    expect(pod.volumes).toEqual([{ name: 'html', persistentVolumeClaim: { claimName: 'html' } }]);
    expect(s.container('web').volumeMounts).toEqual([
      { name: 'html', mountPath: '/usr/share/nginx/html', readOnly: true },
    ]);
  });

  test('an anonymous volume is filled too; a built image is used with its pull policy', () => {
    const s = synthProject('services:\n  frontend:\n    build: .\n    volumes: ["/app/node_modules"]\n', {
      target: 'kind',
    });
    expect(s.pod('frontend').initContainers[0]).toMatchObject({
      name: 'fill-anon-app-node-modules',
      image: expect.stringMatching(/-frontend$/),
      imagePullPolicy: 'Never',
    });
  });

  test('nocopy, subpath, tmpfs and bind mounts are not filled', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    volumes:\n      - { type: volume, source: d, target: /d, volume: { nocopy: true } }\n      - { type: volume, source: e, target: /e, volume: { subpath: sub } }\n    tmpfs: [/tmp]\nvolumes:\n  d: {}\n  e: {}\n',
    );
    const names = s.pod('a').initContainers.map((c: { name: string }) => c.name);
    expect(names.filter((n: string) => n.startsWith('fill-'))).toEqual([]);
    const explained = s.chart.service('a').explanations.find((k) => k.key === 'volumes');
    expect(explained?.note).toContain('nocopy: the volume starts empty');
  });
});

describe('a claim that starts empty without a fill loses the lost+found of a new filesystem', () => {
  test('nocopy: an init container lost-found-<volume> on busybox, as root, mounting the claim (read-only or not)', () => {
    const s = synthProject(
      'services:\n  db:\n    image: mysql:8\n    volumes: ["data:/var/lib/mysql:nocopy", "seed:/seed:ro,nocopy"]\nvolumes:\n  data: {}\n  seed: {}\n',
    );
    expect(s.pod('db').initContainers).toMatchObject([
      {
        name: 'lost-found-data',
        image: 'busybox:1.36',
        securityContext: { runAsUser: 0 },
        volumeMounts: [{ name: 'data', mountPath: FILL_MOUNT_PATH }],
      },
      { name: 'lost-found-seed', volumeMounts: [{ name: 'seed', mountPath: FILL_MOUNT_PATH }] },
    ]);
    const explained = s.chart.service('db').explanations.find((k) => k.key === 'volumes');
    expect(explained?.note).toContain(
      'volumes[0]: nocopy: the volume starts empty, the image files at the path are hidden; init container lost-found-data removes the empty lost+found a new filesystem holds, so it starts as empty as a new Docker volume',
    );
    expect(explained?.fields).toContain('spec.template.spec.initContainers[name=lost-found-*]');
  });

  test("a StatefulSet's claim template: mounted by the template's name", () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    volumes: ["pgdata:/var/lib/postgresql/data:nocopy"]\n    labels: { kompose.controller.type: statefulset }\nvolumes:\n  pgdata: {}\n',
    );
    expect(s.find('StatefulSet', 'db').spec.volumeClaimTemplates[0].metadata.name).toBe('pgdata');
    expect(s.pod('db').initContainers).toMatchObject([
      { name: 'lost-found-pgdata', volumeMounts: [{ name: 'pgdata', mountPath: FILL_MOUNT_PATH }] },
    ]);
  });

  test('a bind-mounted data directory on a claim (generic): the same', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres:16\n    volumes: ["./pgdata:/var/lib/postgresql/data"]\n',
      {
        workingDir: tempProject(),
        target: 'generic',
      },
    );
    expect(s.pod('db').initContainers).toMatchObject([
      { name: 'lost-found-db-var-lib-postgresql-data', volumeMounts: [{ name: 'db-var-lib-postgresql-data' }] },
    ]);
    expect(s.warnings().join('\n')).toContain(
      'PersistentVolumeClaim db-var-lib-postgresql-data holds it, starting empty (init container lost-found-db-var-lib-postgresql-data removes the empty lost+found',
    );
  });

  test('a filled claim: the fill removes it; an emptyDir and a subPath mount never see one', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    volumes: ["d:/d", "/anon", "sub:/sub:nocopy"]\n    x-k8s:\n      volumes:\n        sub: { subPath: s }\nvolumes:\n  d: {}\n  sub: {}\n',
    );
    expect(s.pod('a').initContainers.map((c: { name: string }) => c.name)).toEqual(['fill-d', 'fill-anon-anon']);
    const note = s.chart.service('a').explanations.find((k) => k.key === 'volumes')?.note;
    expect(note).toContain(
      "volumes[0]: filled from the image's /d at first start (init container fill-d, after removing the empty lost+found a new filesystem holds)",
    );
    expect(note).toContain(
      "volumes[1]: filled from the image's /anon at every pod start (init container fill-anon-anon)",
    );
    const script = (name: string) =>
      s.pod('a').initContainers.find((c: { name: string }) => c.name === name).command[2] as string;
    expect(script('fill-d')).toContain('rmdir "$lf"');
    expect(script('fill-anon-anon')).not.toContain('lost+found"');
  });
});

test('explain names the fill init containers only where a volume is filled', () => {
  const fields = (yaml: string) =>
    synthProject(yaml)
      .chart.service('a')
      .explanations.find((k) => k.key === 'volumes')?.fields;
  expect(fields('services:\n  a:\n    image: x\n    volumes: ["d:/d"]\nvolumes:\n  d: {}\n')).toContain(
    'spec.template.spec.initContainers[name=fill-*]',
  );
  expect(
    fields('services:\n  a:\n    image: x\n    tmpfs: ["/t"]\n    volumes: ["data:/d:nocopy"]\nvolumes:\n  data: {}\n'),
  ).not.toContain('spec.template.spec.initContainers[name=fill-*]');
});
