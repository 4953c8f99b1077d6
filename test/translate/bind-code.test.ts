/**
 * Bind mounts of the image's own code are source, never data: a directory the service's
 * Dockerfile copies to the path it is mounted at, or one of a build context too big for a
 * ConfigMap, is mounted from the node on kind and minikube and left out on generic (the image
 * carries it), never an empty claim laid over the image's code. An empty read-only directory is
 * an empty directory, not a claim. Each mount says which class it is and why.
 */
import { synthProject, type Synthesized } from '../support/synth';
import { tempProject } from '../support/project';

/** `count` PHP files under `dir`, nested as a real source tree is (nothing at its top level but directories). */
function sourceTree(dir: string, count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${dir}/Appwrite/Module${i % 7}/Class${i}.php`, `<?php class C${i} {}\n`]),
  );
}

const binds = (s: Synthesized, service: string) =>
  s.chart.service(service).bindMounts.map((b) => `${b.hostPath} ${b.class} (${b.reason}): ${b.becomes}`);
const volumeAt = (s: Synthesized, service: string, mountPath: string) => {
  const mount = s.container(service).volumeMounts.find((m: { mountPath: string }) => m.mountPath === mountPath);
  return { mount, volume: s.pod(service).volumes.find((v: { name: string }) => v.name === mount.name) };
};

describe('a directory the Dockerfile copies to where it is mounted is source, whatever its size', () => {
  const files = {
    Dockerfile: 'FROM php:8.3\nWORKDIR /usr/src/code\nCOPY ./public ./public\nCOPY . .\n',
    'public/index.html': '<html></html>\n',
    'public/app.css': 'body {}\n',
    'docs/notes.txt': 'x\n',
  };

  test('the copy of the directory itself, or of a directory above it, names the instruction', () => {
    const s = synthProject(
      'services:\n  app:\n    build: .\n    volumes: ["./public:/usr/src/code/public", "./docs:/usr/src/code/docs"]\n',
      { workingDir: tempProject(files), target: 'generic' },
    );
    expect(binds(s, 'app')).toEqual([
      './public source (the image holds it: Dockerfile:3 copies ./public to /usr/src/code/public): not mounted',
      './docs source (the image holds it: Dockerfile:4 copies . to /usr/src/code): not mounted',
    ]);
    expect(s.warnings()).toContain(
      'services.app.volumes[0]: not translated: ./public is source code (the image holds it: Dockerfile:3 copies ./public to /usr/src/code/public): not mounted, the image must contain the code (--host-mounts=hostpath mounts it from the node)',
    );
    expect(s.all('ConfigMap')).toEqual([]);
  });

  test('mounted anywhere else, a small directory is still configuration', () => {
    const s = synthProject('services:\n  app:\n    build: .\n    volumes: ["./public:/var/www/html:ro"]\n', {
      workingDir: tempProject(files),
    });
    expect(binds(s, 'app')).toEqual([
      './public config (a small directory of configuration): ConfigMap app-var-www-html',
    ]);
  });

  test('a service running the image another service builds reads that Dockerfile', () => {
    const s = synthProject(
      'services:\n  app:\n    build: .\n    image: shop-dev\n  worker:\n    image: shop-dev\n    volumes: ["./public:/usr/src/code/public"]\n',
      { workingDir: tempProject(files), target: 'generic' },
    );
    expect(s.chart.service('worker').bindMounts[0]).toMatchObject({
      class: 'source',
      reason: 'the image holds it: Dockerfile:3 copies ./public to /usr/src/code/public',
    });
  });
});

describe('a directory of a build context too big for a ConfigMap is source, not data', () => {
  test('inside a build context: part of it', () => {
    const files = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`api/templates/t${i}.html`, '<p></p>']));
    const s = synthProject('services:\n  api:\n    build: ./api\n    volumes: ["./api/templates:/app/templates"]\n', {
      workingDir: tempProject(files),
      target: 'generic',
    });
    expect(binds(s, 'api')).toEqual([
      './api/templates source (part of the build context of api (./api), too big for a ConfigMap (201 files, 1407 bytes)): not mounted',
    ]);
    expect(s.all('PersistentVolumeClaim')).toEqual([]);
  });

  test('the project as build context (`build: .`) counts too', () => {
    const s = synthProject('services:\n  app:\n    build: .\n    volumes: ["./src:/usr/src/code/src"]\n', {
      workingDir: tempProject(sourceTree('src', 201)),
      target: 'generic',
    });
    expect(s.chart.service('app').bindMounts[0]).toMatchObject({
      class: 'source',
      reason: expect.stringMatching(/^part of the build context of app \(\.\), too big for a ConfigMap \(\d+ files/),
      becomes: 'not mounted',
    });
  });

  test('outside every build context it is still data', () => {
    const s = synthProject('services:\n  app:\n    image: x\n    volumes: ["./corpus:/srv/corpus"]\n', {
      workingDir: tempProject(sourceTree('corpus', 201)),
      target: 'generic',
    });
    expect(s.chart.service('app').bindMounts[0]).toMatchObject({
      class: 'data',
      becomes: 'PersistentVolumeClaim app-srv-corpus',
    });
  });

  test('data in a build context stays data: by its name, its files, or written where the Dockerfile put it', () => {
    const s = synthProject(
      'services:\n  app:\n    build: .\n    volumes: ["./storage:/usr/src/code/storage", "./db:/srv/db", "./world:/srv/world"]\n',
      {
        workingDir: tempProject({
          Dockerfile: 'FROM php\nCOPY . /usr/src/code\n',
          ...sourceTree('storage', 201),
          'db/README': 'x',
          'world/level.dat': 'x',
        }),
        target: 'generic',
      },
    );
    expect(s.chart.service('app').bindMounts.map((b) => b.class)).toEqual(['data', 'data', 'data']);
  });
});

describe('an empty directory mounted read-only is an empty directory, never a claim', () => {
  const yaml = 'services:\n  app:\n    image: x\n    volumes: ["./certificates:/storage/certificates:ro"]\n';

  test('generic: an emptyDir mounted read-only; explain says so, with no warning', () => {
    const s = synthProject(yaml, { workingDir: tempProject({ 'certificates/.gitkeep': '' }), target: 'generic' });
    const { mount, volume } = volumeAt(s, 'app', '/storage/certificates');
    expect([mount.readOnly, volume.emptyDir]).toEqual([true, {}]);
    expect(s.all('PersistentVolumeClaim')).toEqual([]);
    expect(s.warnings()).toEqual([]);
    expect(s.find('Deployment', 'app').spec.strategy).toBeUndefined();
    expect(s.chart.service('app').explanations.find((r) => r.key === 'volumes')?.note).toBe(
      'volumes[0]: ./certificates is an empty directory (nothing in it, mounted read-only): an emptyDir mounted read-only, the empty directory the container sees under Compose',
    );
  });

  test('kind: the directory itself, from the node', () => {
    const s = synthProject(yaml, { workingDir: tempProject({ 'certificates/.gitkeep': '' }), target: 'kind' });
    expect(volumeAt(s, 'app', '/storage/certificates').volume.hostPath.path).toBe(
      '/compose-cdk8s/project/certificates',
    );
  });

  test('writable, it is data the container fills (a claim on generic); with an empty subdirectory, not empty', () => {
    const dir = tempProject({ 'certificates/.gitkeep': '', 'acme/live/.gitkeep': '' });
    const s = synthProject(
      'services:\n  app:\n    image: x\n    volumes: ["./certificates:/certs", "./acme:/etc/acme:ro"]\n',
      { workingDir: dir, target: 'generic' },
    );
    expect(binds(s, 'app')[0]).toBe(
      './certificates data (an empty directory the container fills): PersistentVolumeClaim app-certs',
    );
    expect(s.chart.service('app').bindMounts[1].class).not.toBe('empty');
  });
});

describe('a stack of several services sharing `build: .`, each mounting its source and certificates', () => {
  const workers = ['worker-audits', 'worker-builds', 'worker-mails', 'worker-webhooks', 'realtime'];
  const compose = [
    'services:',
    '  appwrite:',
    '    image: appwrite-dev',
    '    build: .',
    '    volumes: ["./src:/usr/src/code/src", "./certificates:/storage/certificates:ro", "data:/storage/uploads"]',
    ...workers.flatMap((w, i) => [
      `  ${w}:`,
      '    image: appwrite-dev',
      // Some build the same image again, as real stacks do; the others only run it.
      ...(i % 2 === 0 ? ['    build: .'] : []),
      '    volumes: ["./src:/usr/src/code/src", "./certificates:/storage/certificates:ro"]',
    ]),
    'volumes:',
    '  data: {}',
    '',
  ].join('\n');
  const project = (dockerfile?: string) =>
    tempProject({
      ...sourceTree('src', 201),
      'certificates/.gitkeep': '',
      ...(dockerfile ? { Dockerfile: dockerfile } : {}),
    });

  test.each([
    [
      'with its Dockerfile',
      'FROM php:8.3\nWORKDIR /usr/src/code\nCOPY ./src /usr/src/code/src\n',
      /^the image holds it: Dockerfile:3 copies \.\/src to \/usr\/src\/code\/src$/,
    ],
    ['without one', undefined, /^part of the build context of (appwrite|worker-\w+) \(\.\), too big for a ConfigMap/],
  ])(
    'generic, %s: the code is left to the image, the certificates an empty directory, one claim',
    (_what, dockerfile, reason) => {
      const s = synthProject(compose, { workingDir: project(dockerfile), target: 'generic' });
      expect(s.all('PersistentVolumeClaim').map((c) => c.metadata.name)).toEqual(['data']);
      for (const service of ['appwrite', ...workers]) {
        expect(s.chart.service(service).bindMounts).toEqual([
          expect.objectContaining({
            hostPath: './src',
            class: 'source',
            reason: expect.stringMatching(reason),
            becomes: 'not mounted',
          }),
          expect.objectContaining({ hostPath: './certificates', class: 'empty', becomes: 'emptyDir (read-only)' }),
        ]);
        expect(s.container(service).volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain(
          '/usr/src/code/src',
        );
      }
      // Only appwrite mounts a claim: the workers keep their rolling updates.
      expect(workers.map((w) => s.find('Deployment', w).spec.strategy)).toEqual(workers.map(() => undefined));
    },
  );

  test('kind: the code is live from the node, and no worker is Recreate for it', () => {
    const s = synthProject(compose, { workingDir: project(), target: 'kind' });
    for (const service of workers) {
      expect(volumeAt(s, service, '/usr/src/code/src').volume.hostPath.path).toBe('/compose-cdk8s/project/src');
      expect(s.find('Deployment', service).spec.strategy).toBeUndefined();
    }
  });
});
