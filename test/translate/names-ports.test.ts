import { synthProject } from '../support/synth';

describe('names are DNS', () => {
  test('workload and Service carry the Compose service name, with no hash suffix', () => {
    const s = synthProject('name: shop\nservices:\n  db:\n    image: postgres:16\n    expose: ["5432"]\n');
    expect(s.find('Deployment', 'db').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'db',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'compose-cdk8s',
    });
    expect(s.find('Service', 'db').spec.selector).toEqual({
      'app.kubernetes.io/name': 'db',
      'app.kubernetes.io/part-of': 'shop',
    });
    expect(s.find('Deployment', 'db').spec.template.metadata.labels).toMatchObject(
      s.find('Service', 'db').spec.selector,
    );
  });

  test('a name Kubernetes rejects is sanitized, with a warning', () => {
    const s = synthProject('services:\n  Web_App:\n    image: nginx\n');
    expect(s.find('Deployment', 'web-app')).toBeDefined();
    expect(s.warnings()).toContain(
      'services.Web_App: service "Web_App" is named "web-app" in Kubernetes (names must be DNS labels): address it by that name; names inside images (their default settings) cannot be seen from here and are not rewritten',
    );
  });

  test('two services that sanitize to one name are an error', () => {
    const s = synthProject('services:\n  web_app:\n    image: nginx\n  web.app:\n    image: nginx\n');
    expect(s.chart.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'services "web_app" and "web.app" would both be named "web-app" in Kubernetes; rename one',
    ]);
  });
});

describe('ports', () => {
  test('ports and expose become named Service ports and containerPorts on the container port, protocol kept', () => {
    const s = synthProject(
      'services:\n  dns:\n    image: coredns\n    ports: ["5353:53/udp", "8080:8080"]\n    expose: ["9153"]\n',
    );
    expect(s.find('Service', 'dns').spec.ports).toEqual([
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
      { name: 'tcp-8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
      { name: 'tcp-9153', port: 9153, targetPort: 9153, protocol: 'TCP' },
    ]);
    expect(s.container('dns').ports).toEqual([
      { name: 'udp-53', containerPort: 53, protocol: 'UDP' },
      { name: 'tcp-8080', containerPort: 8080, protocol: 'TCP' },
      { name: 'tcp-9153', containerPort: 9153, protocol: 'TCP' },
    ]);
  });

  test('a service without ports gets a headless Service, so its name resolves', () => {
    const s = synthProject('services:\n  worker:\n    image: busybox\n');
    expect(s.find('Service', 'worker').spec).toEqual({
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/part-of': expect.any(String) },
    });
  });

  test('the same port in ports and expose is declared once', () => {
    const s = synthProject('services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    expose: ["80"]\n');
    expect(s.find('Service', 'web').spec.ports).toHaveLength(1);
  });
});

test('object names built from free text are valid DNS subdomains', () => {
  const { dnsSubdomain } = jest.requireActual<typeof import('../../lib/translate/names')>('../../lib/translate/names');
  expect(dnsSubdomain('app-proxy-logs-.-nginx.conf')).toBe('app-proxy-logs.nginx.conf');
  expect(dnsSubdomain('My Volume_1')).toBe('my-volume-1');
  expect(dnsSubdomain('..')).toBe('x');
});

describe('ports[].name', () => {
  test('a name Kubernetes accepts names the Service port and the containerPort', () => {
    const s = synthProject(
      'services:\n  cam:\n    image: mediamtx\n    ports:\n      - { target: 8554, name: rtsp }\n',
    );
    expect(s.find('Service', 'cam').spec.ports).toEqual([
      { name: 'rtsp', port: 8554, targetPort: 8554, protocol: 'TCP' },
    ]);
    expect(s.container('cam').ports).toEqual([{ name: 'rtsp', containerPort: 8554, protocol: 'TCP' }]);
    expect(s.warnings()).toEqual([]);
  });

  test('a name Kubernetes refuses, or one taken, keeps the generated name and is reported at the key', () => {
    const s = synthProject(
      [
        'services:',
        '  cam:',
        '    image: mediamtx',
        '    ports:',
        '      - { target: 8554, name: RTSP_Stream }',
        '      - { target: 8000, name: web }',
        '      - { target: 8001, name: web }',
        '      - { target: 8002, name: tcp-8000 }',
        '',
      ].join('\n'),
    );
    expect(s.find('Service', 'cam').spec.ports.map((p: { name: string }) => p.name)).toEqual([
      'tcp-8554',
      'web',
      'tcp-8001',
      'tcp-8002',
    ]);
    expect(s.warnings()).toEqual([
      'services.cam.ports[0].name: "RTSP_Stream" is no Kubernetes port name (at most 15 of a-z, 0-9 and -, a letter included): the port is named tcp-8554',
      'services.cam.ports[2].name: "web" already names port tcp/8000: the port is named tcp-8001',
      'services.cam.ports[3].name: "tcp-8000" already names port tcp/8000: the port is named tcp-8002',
    ]);
  });
});

describe('ports[].host_ip', () => {
  const yaml = 'services:\n  db:\n    image: postgres:16\n    ports: ["127.0.0.1:5432:5432"]\n';

  test('kind keeps it in the cluster config; its row names that file', () => {
    const s = synthProject(yaml);
    expect(s.warnings()).toEqual([]);
    expect(s.chart.service('db').explanations.find((k) => k.key === 'ports')?.status).toBe('translated');
  });

  test('minikube and generic listen on every address: reported at the port', () => {
    for (const target of ['minikube', 'generic'] as const) {
      const s = synthProject(yaml, { target });
      expect(s.warnings()).toEqual([
        expect.stringMatching(/^services\.db\.ports\[0\]: port 5432 is published on 127\.0\.0\.1 only under Compose: /),
      ]);
      expect(s.chart.service('db').explanations.find((k) => k.key === 'ports')?.status).toBe('partial');
    }
  });

  test('0.0.0.0 is every address: nothing to report', () => {
    const s = synthProject('services:\n  web:\n    image: nginx\n    ports: ["0.0.0.0:80:80"]\n', {
      target: 'generic',
    });
    expect(s.warnings()).toEqual([]);
  });
});
