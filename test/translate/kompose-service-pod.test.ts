/** kompose labels on Services, probes, pod fields and volumes: one label in, the field it sets out. */
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

const web = (labels: string, extra = '') =>
  `services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n${extra}    labels:\n${labels}`;

describe('Service labels', () => {
  test('service.type nodeport + nodeport.port + external-traffic-policy: the publishing Service, pinned', () => {
    const s = synthProject(
      web(
        '      kompose.service.type: nodeport\n      kompose.service.nodeport.port: "30099"\n      kompose.service.external-traffic-policy: local\n',
      ),
      { target: 'generic' },
    );
    expect(s.find('Service', 'web-published').spec).toMatchObject({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      ports: [{ port: 8080, targetPort: 80, nodePort: 30099 }],
    });
    // The Compose name keeps answering on the container port inside the stack.
    expect(s.find('Service', 'web').spec).toMatchObject({ ports: [{ port: 80 }] });
    expect(s.find('Service', 'web').spec.type).toBeUndefined();
  });

  test('the pinned NodePort is what the kind cluster maps the host port to', () => {
    const s = synthProject(web('      kompose.service.type: nodeport\n      kompose.service.nodeport.port: "30099"\n'));
    expect(s.chart.exposure.published).toEqual([expect.objectContaining({ published: 8080, nodePort: 30099 })]);
  });

  test('service.type loadbalancer on kind: the publishing Service is a LoadBalancer', () => {
    const s = synthProject(web('      kompose.service.type: LoadBalancer\n'));
    expect(s.find('Service', 'web-published').spec.type).toBe('LoadBalancer');
  });

  test('service.type headless: the Service named after the service has no cluster IP, same ports', () => {
    const s = synthProject(web('      kompose.service.type: headless\n'));
    expect(s.find('Service', 'web').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: 80 }] });
  });

  test('service.type nodeport on a service that publishes nothing: a warning, no Service type changed', () => {
    const s = synthProject(
      'services:\n  api:\n    image: api\n    expose: ["80"]\n    labels: { kompose.service.type: nodeport }\n',
    );
    expect(s.all('Service').map((x) => x.spec.type)).toEqual([undefined]);
    expect(s.warnings().join('\n')).toContain(
      'services.api.labels.kompose.service.type: not translated: the service publishes no port',
    );
  });

  test('service.expose with tls-secret and ingress-class-name: an Ingress', () => {
    const s = synthProject(
      web(
        '      kompose.service.expose: "shop.localhost/api"\n      kompose.service.expose.tls-secret: shop-tls\n      kompose.service.expose.ingress-class-name: traefik\n',
      ),
    );
    expect(s.find('Ingress', 'web').spec).toMatchObject({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['shop.localhost'], secretName: 'shop-tls' }],
      rules: [{ host: 'shop.localhost', http: { paths: [{ path: '/api', backend: { service: { name: 'web' } } }] } }],
    });
  });
});

describe('probe labels', () => {
  test('readiness http_get_path/port with interval, timeout, retries, start_period', () => {
    const s = synthProject(
      web(
        '      kompose.service.healthcheck.readiness.http_get_path: /ready\n      kompose.service.healthcheck.readiness.http_get_port: "80"\n      kompose.service.healthcheck.readiness.interval: 10s\n      kompose.service.healthcheck.readiness.timeout: 2s\n      kompose.service.healthcheck.readiness.retries: "5"\n      kompose.service.healthcheck.readiness.start_period: 1m\n',
      ),
    );
    expect(s.container('web').readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 80 },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 5,
      initialDelaySeconds: 60,
    });
    expect(s.container('web').livenessProbe).toBeUndefined();
  });

  test('readiness tcp_port and test', () => {
    const tcp = synthProject(web('      kompose.service.healthcheck.readiness.tcp_port: "80"\n'));
    expect(tcp.container('web').readinessProbe).toEqual({ tcpSocket: { port: 80 } });
    const test = synthProject(web('      kompose.service.healthcheck.readiness.test: "curl -f localhost"\n'));
    expect(test.container('web').readinessProbe).toEqual({ exec: { command: ['curl', '-f', 'localhost'] } });
  });

  test('readiness.disable drops the readinessProbe the healthcheck would give; liveness stays', () => {
    const s = synthProject(
      web(
        '      kompose.service.healthcheck.readiness.disable: "true"\n',
        '    healthcheck: { test: ["CMD", "true"] }\n',
      ),
    );
    expect(s.container('web').readinessProbe).toBeUndefined();
    expect(s.container('web').livenessProbe.exec).toEqual({ command: ['true'] });
  });

  test("readiness timings without a handler of their own use the healthcheck's test", () => {
    const s = synthProject(
      web('      kompose.service.healthcheck.readiness.interval: 5s\n', '    healthcheck: { test: ["CMD", "true"] }\n'),
    );
    expect(s.container('web').readinessProbe).toEqual({
      exec: { command: ['true'] },
      periodSeconds: 5,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
  });

  test("liveness http_get_path/port and tcp_port replace the liveness and startup handlers, with the healthcheck's timings", () => {
    const s = synthProject(
      web(
        '      kompose.service.healthcheck.liveness.http_get_path: /health\n      kompose.service.healthcheck.liveness.http_get_port: "80"\n',
        '    healthcheck: { test: ["CMD", "true"], interval: 10s, start_period: 30s }\n',
      ),
    );
    const c = s.container('web');
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/health', port: 80 },
      periodSeconds: 10,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 80 });
    expect(c.readinessProbe.exec).toEqual({ command: ['true'] });
    const tcp = synthProject(web('      kompose.service.healthcheck.liveness.tcp_port: "80"\n'));
    expect(tcp.container('web').livenessProbe).toEqual({
      tcpSocket: { port: 80 },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
  });
});

describe('pod labels', () => {
  test('image-pull-policy, image-pull-secret, security-context.fsgroup, controller.port.expose', () => {
    const s = synthProject(
      web(
        '      kompose.image-pull-policy: Always\n      kompose.image-pull-secret: regcred\n      kompose.security-context.fsgroup: "2000"\n      kompose.controller.port.expose: "true"\n',
      ),
    );
    expect(s.container('web').imagePullPolicy).toBe('Always');
    expect(s.container('web').ports).toEqual([{ name: 'tcp-80', containerPort: 80, protocol: 'TCP', hostPort: 8080 }]);
    expect(s.pod('web')).toMatchObject({ imagePullSecrets: [{ name: 'regcred' }], securityContext: { fsGroup: 2000 } });
  });

  test('serviceaccount-name: the pod runs as it, and the start-order Role is bound to it', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    expose: ["5432", "5433"]\n  migrate:\n    image: app\n    restart: "no"\n  web:\n    image: nginx\n    depends_on:\n      migrate: { condition: service_completed_successfully }\n    labels: { kompose.serviceaccount-name: web-sa }\n',
    );
    expect(s.pod('web').serviceAccountName).toBe('web-sa');
    expect(s.find('RoleBinding', 'web-wait').subjects).toEqual([{ kind: 'ServiceAccount', name: 'web-sa' }]);
    expect(s.all('ServiceAccount')).toEqual([]);
    expect(s.chart.diagnostics.find((d) => d.path === 'services.web.labels.kompose.serviceaccount-name')).toMatchObject(
      {
        code: 'external-object',
        message: expect.stringContaining('create the ServiceAccount "web-sa" before applying'),
      },
    );
  });
});

describe('volume labels', () => {
  const db = (labels: string, volume = '  pgdata: {}\n') =>
    `services:\n  db:\n    image: postgres\n    volumes: [pgdata:/var/lib/postgresql/data]\n    labels:\n${labels}volumes:\n${volume}`;

  test('volume.size, storage-class-name and subpath', () => {
    const s = synthProject(
      db(
        '      kompose.volume.size: 5Gi\n      kompose.volume.storage-class-name: fast\n      kompose.volume.subpath: pg\n',
      ),
    );
    expect(s.find('PersistentVolumeClaim', 'pgdata').spec).toMatchObject({
      storageClassName: 'fast',
      resources: { requests: { storage: '5Gi' } },
    });
    expect(s.container('db').volumeMounts[0]).toMatchObject({ subPath: 'pg' });
  });

  test('kompose.volume.size and kompose.volume.selector written on the volume, as kompose also reads them', () => {
    const s = synthProject(
      db(
        '      app: db\n',
        '  pgdata:\n    labels:\n      kompose.volume.size: 3Gi\n      kompose.volume.selector: pg-pv\n',
      ),
    );
    expect(s.find('PersistentVolumeClaim', 'pgdata').spec).toMatchObject({
      resources: { requests: { storage: '3Gi' } },
      selector: { matchLabels: { 'io.kompose.service': 'pg-pv' } },
    });
  });

  test('volume.type emptyDir: the named volume is an emptyDir, no claim, with a warning', () => {
    const s = synthProject(db('      kompose.volume.type: emptyDir\n'));
    expect(s.pod('db').volumes).toEqual([{ name: 'pgdata', emptyDir: {} }]);
    expect(s.all('PersistentVolumeClaim')).toEqual([]);
    expect(s.warnings()).toContain(
      'services.db.volumes[0]: an emptyDir (kompose.volume.type: emptyDir): the data lives as long as the pod',
    );
  });

  test('volume.type hostPath: named volumes stay claims, with a warning saying why', () => {
    const s = synthProject(db('      kompose.volume.type: hostPath\n'));
    expect(s.find('PersistentVolumeClaim', 'pgdata')).toBeDefined();
    expect(s.warnings().join('\n')).toContain(
      'services.db.labels.kompose.volume.type: hostPath applies to bind mounts only',
    );
  });
});

describe('deploy labels', () => {
  test('kompose.ephemeral-storage.limit and .request under deploy.labels: ephemeral-storage resources', () => {
    const s = synthProject(
      'services:\n  app:\n    image: app\n    deploy:\n      labels:\n        kompose.ephemeral-storage.limit: 2Gi\n        kompose.ephemeral-storage.request: 1Gi\n',
    );
    expect(s.container('app').resources).toEqual({
      limits: { 'ephemeral-storage': '2Gi' },
      requests: { 'ephemeral-storage': '1Gi' },
    });
  });

  test('a volume label on a service without named volumes is reported', () => {
    const s = synthProject('services:\n  app:\n    image: app\n    labels: { kompose.volume.size: 2Gi }\n');
    expect(s.warnings()).toContain(
      'services.app.labels.kompose.volume.size: not translated: applies to claims, which only named volumes (and bind-mounted data with --host-mounts=drop) become here; kompose also makes claims of bind mounts and anonymous volumes',
    );
  });
});

describe('volume labels on bind mounts', () => {
  test('kompose.volume.size and storage-class-name size the claim of a bind-mounted data directory (--host-mounts=drop)', () => {
    const s = synthProject(
      'services:\n  db:\n    image: postgres\n    volumes: ["./pgdata:/var/lib/postgresql/data"]\n    labels:\n      kompose.volume.size: 200Mi\n      kompose.volume.storage-class-name: fast\n',
      { target: 'generic' },
    );
    const claim = s.all('PersistentVolumeClaim')[0];
    expect(claim.spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '200Mi' } } });
  });

  test('kompose.volume.type configMap on configuration bind mounts: they are ConfigMaps already, nothing to report', () => {
    const s = synthProject(
      'services:\n  web:\n    image: nginx\n    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]\n    labels: { kompose.volume.type: configMap }\n',
      { workingDir: tempProject({ 'nginx.conf': 'events {}\n' }) },
    );
    expect(s.pod('web').volumes[0].configMap).toBeDefined();
    expect(s.warnings()).toEqual([]);
  });

  test('kompose.volume.type emptyDir on a bind mount: it keeps its class, with a warning', () => {
    const s = synthProject(
      'services:\n  app:\n    image: app\n    volumes: ["./src:/app"]\n    labels: { kompose.volume.type: emptyDir }\n',
      { workingDir: tempProject({ 'src/main.py': 'print(1)\n' }) },
    );
    expect(s.warnings().join('\n')).toContain(
      'services.app.labels.kompose.volume.type: bind mounts keep their class, not emptyDir: ./src -> hostPath',
    );
  });
});
