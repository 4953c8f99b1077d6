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
      'services.Web_App: service "Web_App" is named "web-app" in Kubernetes (names must be DNS labels): address it by that name',
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
