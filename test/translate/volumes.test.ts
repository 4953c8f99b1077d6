import { synthProject } from '../support/synth';
import { tempProject } from '../support/project';

describe('volumes', () => {
  test('a named volume is a PersistentVolumeClaim of the default class, 1Gi unless said otherwise', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    volumes: [pgdata:/var/lib/postgresql/data]\nvolumes:\n  pgdata: {}\n',
    );
    expect(s.find('PersistentVolumeClaim', 'pgdata').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
    expect(s.pod('db').volumes).toEqual([{ name: 'pgdata', persistentVolumeClaim: { claimName: 'pgdata' } }]);
    expect(s.container('db').volumeMounts).toEqual([{ name: 'pgdata', mountPath: '/var/lib/postgresql/data' }]);
  });

  test('size, class and access modes from x-k8s; size, class and subPath from kompose labels', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    labels:\n      kompose.volume.size: 5Gi\n      kompose.volume.subpath: pgdata\n    volumes: [pgdata:/var/lib/postgresql/data]\n  app:\n    image: x\n    volumes: [uploads:/srv/uploads]\nvolumes:\n  pgdata: {}\n  uploads:\n    x-k8s: { size: 20Gi, storageClassName: fast, accessModes: [ReadWriteMany] }\n',
    );
    expect(s.find('PersistentVolumeClaim', 'pgdata').spec.resources.requests.storage).toBe('5Gi');
    expect(s.container('db').volumeMounts[0].subPath).toBe('pgdata');
    expect(s.find('PersistentVolumeClaim', 'uploads').spec).toEqual({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '20Gi' } },
      storageClassName: 'fast',
    });
  });

  test('an invalid size is an error at the volume', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    volumes: [d:/d]\nvolumes:\n  d:\n    x-k8s: { size: lots }\n',
    );
    expect(
      s.chart.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.location?.line}: ${d.message}`),
    ).toEqual(['6: volume size "lots" of d is not a Kubernetes quantity (e.g. 10Gi, 500Mi)']);
  });

  test('a volume shared by two services is one claim, with a note on ReadWriteOnce', () => {
    const s = synthProject(
      'services:\n  a:\n    image: x\n    volumes: [shared:/data]\n  b:\n    image: x\n    volumes: [shared:/data]\nvolumes:\n  shared: {}\n',
    );
    expect(s.all('PersistentVolumeClaim')).toHaveLength(1);
    expect(s.warnings().join('\n')).toContain(
      'volume shared by a, b: a ReadWriteOnce claim needs their pods on one node',
    );
  });

  test('anonymous volumes and tmpfs are emptyDirs', () => {
    const s = synthProject('services:\n  a:\n    image: x\n    volumes: ["/cache"]\n    tmpfs: ["/tmp:size=64m"]\n');
    expect(s.pod('a').volumes).toEqual([
      { name: 'anon-cache', emptyDir: {} },
      { name: 'tmpfs-tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
  });

  test('a bind-mounted config file is a ConfigMap mounted read-only at the same path', () => {
    const dir = tempProject({ 'nginx.conf': 'events {}\n' });
    const s = synthProject(
      'services:\n  proxy:\n    image: nginx\n    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]\n',
      { workingDir: dir },
    );
    expect(s.find('ConfigMap', 'proxy-etc-nginx-nginx-conf').data).toEqual({ 'nginx.conf': 'events {}\n' });
    expect(s.container('proxy').volumeMounts).toEqual([
      { name: 'proxy-etc-nginx-nginx-conf', mountPath: '/etc/nginx/nginx.conf', readOnly: true, subPath: 'nginx.conf' },
    ]);
  });

  test('a bind-mounted directory of config files is a ConfigMap; one holding secrets is a Secret', () => {
    const dir = tempProject({ 'conf.d/a.conf': 'a\n', 'conf.d/sub/b.conf': 'b\n', 'certs/server.key': 'KEY' });
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    volumes: ["./conf.d:/etc/nginx/conf.d", "./certs:/etc/certs:ro"]\n',
      { workingDir: dir },
    );
    // Read-write, but configuration: a ConfigMap, and the user is told writes fail.
    expect(s.warnings()[0]).toContain(
      './conf.d is configuration (a small directory of configuration): mounted read-only',
    );
    expect(s.pod('web').volumes[0]).toEqual({
      name: 'web-etc-nginx-conf-d',
      configMap: {
        name: 'web-etc-nginx-conf-d',
        items: [
          { key: 'a.conf', path: 'a.conf' },
          { key: 'sub__b.conf', path: 'sub/b.conf' },
        ],
      },
    });
    expect(s.find('Secret', 'web-etc-certs').data).toEqual({ 'server.key': Buffer.from('KEY').toString('base64') });
  });
});

describe('short-syntax options', () => {
  const yaml = (mode: string) =>
    `services:\n  web:\n    image: nginx\n    volumes: ["data:/data:${mode}"]\nvolumes:\n  data: {}\n`;

  test('z and rshared are reported as bind.selinux and bind.propagation are', () => {
    const s = synthProject(yaml('z,rshared'));
    expect(s.warnings()).toEqual([
      "services.web.volumes[0]: not translated: :z: SELinux relabelling is the kubelet's: it labels a pod's volumes for the pod's seLinuxOptions",
      'services.web.volumes[0]: not translated: :rshared: mount propagation is not translated',
    ]);
    expect(s.chart.service('web').explanations.find((k) => k.key === 'volumes')?.status).toBe('partial');
  });

  test('an option Compose ignores is a note, and ro, rw and nocopy are what they say (the last of ro and rw wins)', () => {
    const s = synthProject(yaml('ro,cached,rw,nocopy'));
    expect(s.warnings()).toEqual([]);
    expect(s.container('web').volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    // nocopy: not filled from the image, only rid of a new filesystem's lost+found.
    expect(s.pod('web').initContainers.map((c: { name: string }) => c.name)).toEqual(['lost-found-data']);
    expect(s.chart.service('web').explanations.find((k) => k.key === 'volumes')?.note).toContain(
      ':cached: Compose ignores this option',
    );
  });
});
