import { synthProject } from '../support/synth';

describe('networks', () => {
  const stack = `services:
  proxy:
    image: traefik
    ports: ["80:80"]
    networks: [front]
  app:
    image: app
    networks:
      front: { aliases: [shop] }
      back: {}
    expose: ["8080"]
  db:
    image: mariadb
    networks: [back]
    expose: ["3306"]
networks:
  front: {}
  back: { internal: true }
`;

  test('pods carry one label per Compose network, and each network admits only its own pods', () => {
    const s = synthProject(stack);
    expect(s.find('Deployment', 'app').spec.template.metadata.labels).toMatchObject({
      'compose-cdk8s.io/network-front': 'true',
      'compose-cdk8s.io/network-back': 'true',
    });
    expect(s.find('NetworkPolicy', 'front-network').spec).toEqual({
      podSelector: { matchLabels: { 'compose-cdk8s.io/network-front': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'compose-cdk8s.io/network-front': 'true' } } }] }],
    });
  });

  test('pods only on internal networks cannot reach outside them (DNS excepted)', () => {
    const s = synthProject(stack);
    expect(s.find('Deployment', 'db').spec.template.metadata.labels['compose-cdk8s.io/internal-only']).toBe('true');
    expect(s.find('Deployment', 'app').spec.template.metadata.labels['compose-cdk8s.io/internal-only']).toBeUndefined();
    expect(s.find('NetworkPolicy', 'back-network-egress').spec).toMatchObject({
      podSelector: {
        matchLabels: { 'compose-cdk8s.io/network-back': 'true', 'compose-cdk8s.io/internal-only': 'true' },
      },
      policyTypes: ['Egress'],
    });
  });

  test('published ports stay reachable from outside', () => {
    const s = synthProject(stack);
    expect(s.find('NetworkPolicy', 'proxy-from-outside').spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'proxy', 'app.kubernetes.io/part-of': expect.any(String) },
      },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
    });
  });

  test('a network alias is an extra Service with the same pods and ports', () => {
    const s = synthProject(stack);
    expect(s.find('Service', 'shop').spec.selector).toEqual(s.find('Service', 'app').spec.selector);
    expect(s.find('Service', 'shop').spec.ports).toEqual(s.find('Service', 'app').spec.ports);
  });

  test('network_mode: host binds on the node and still resolves Services', () => {
    const s = synthProject(
      'services:\n  agent:\n    image: x\n    network_mode: host\n    ports: ["22344:22344/udp"]\n',
    );
    expect(s.pod('agent')).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    expect(s.container('agent').ports).toEqual([
      { name: 'udp-22344', containerPort: 22344, protocol: 'UDP', hostPort: 22344 },
    ]);
    expect(s.all('NetworkPolicy')).toEqual([]);
  });

  test('network_mode: service:x cannot be translated and says how to get the same effect', () => {
    const s = synthProject('services:\n  vpn:\n    image: vpn\n  app:\n    image: x\n    network_mode: service:vpn\n');
    expect(s.warnings()).toContain(
      "services.app.network_mode: not translated: a pod cannot join another pod's network namespace; merge the two services into one pod (containers share localhost)",
    );
  });
});

describe('exposure', () => {
  test('published ports get a NodePort companion with deterministic NodePorts; the cluster Service stays ClusterIP', () => {
    const s = synthProject('services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:8080:80", "443:443"]\n');
    expect(s.find('Service', 'web').spec.type).toBeUndefined();
    expect(s.find('Service', 'web-published').spec).toMatchObject({
      type: 'NodePort',
      ports: [
        { name: 'tcp-443', port: 443, targetPort: 443, protocol: 'TCP', nodePort: 30443 },
        { name: 'tcp-8080', port: 8080, targetPort: 80, protocol: 'TCP', nodePort: 30000 + (8080 % 2768) },
      ],
    });
  });

  test('x-k8s.ingress and kompose.service.expose labels become Ingresses', () => {
    const s = synthProject(
      'services:\n  shop:\n    image: x\n    expose: ["8080"]\n    x-k8s:\n      ingress: { host: shop.localhost, port: 8080, tls: { secretName: shop-tls } }\n  api:\n    image: y\n    expose: ["9000"]\n    labels: { kompose.service.expose: "shop.localhost/api" }\n',
    );
    expect(s.find('Ingress', 'shop').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.localhost'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.localhost',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 8080 } } } }],
          },
        },
      ],
    });
    expect(s.find('Ingress', 'api').spec.rules[0].http.paths[0].path).toBe('/api');
  });

  test('--namespace emits the Namespace and puts every object in it', () => {
    const s = synthProject('services:\n  web:\n    image: nginx\n', { namespace: 'shop' });
    expect(s.find('Namespace', 'shop').metadata.namespace).toBeUndefined();
    for (const o of s.objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('shop');
  });
});

test('the same input gives identical objects', () => {
  const yaml = 'services:\n  a:\n    image: x\n    ports: ["80:80"]\n    depends_on: [b]\n  b:\n    image: y\n';
  expect(synthProject(yaml).objects).toEqual(synthProject(yaml).objects);
});

describe('start-order waits from internal networks', () => {
  const stack = `services:
  db: { image: postgres, expose: ["5432"], networks: [back], healthcheck: { test: pg_isready } }
  migrate: { image: x, restart: "no", networks: [back] }
  vault: { image: vault, expose: ["8200"], networks: [sealed] }
  app:
    image: nginx
    networks: [front]
    depends_on: { db: { condition: service_healthy } }
  internal-app:
    image: nginx
    networks: [sealed]
    depends_on:
      migrate: { condition: service_completed_successfully }
  sealed-reader:
    image: nginx
    networks: [sealed]
    depends_on: [db]
  sealed-peer:
    image: nginx
    networks: [sealed]
    depends_on: [vault]
networks: { front: {}, back: {}, sealed: { internal: true } }
`;

  test('a pod only on internal networks whose waits ask the API may reach the API server: TCP 443 and 6443', () => {
    const s = synthProject(stack);
    expect(s.pod('internal-app').initContainers[0].command[2]).toContain(
      '/apis/batch/v1/namespaces/$POD_NAMESPACE/jobs/migrate',
    );
    const policy = s.find('NetworkPolicy', 'internal-app-wait-api-egress');
    expect(policy.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'internal-app',
      'app.kubernetes.io/part-of': expect.any(String),
      'app.kubernetes.io/managed-by': 'compose-cdk8s',
    });
    expect(policy.spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'internal-app', 'app.kubernetes.io/part-of': expect.any(String) },
      },
      policyTypes: ['Egress'],
      egress: [
        {
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 6443 },
          ],
        },
      ],
    });
  });

  test('the egress is open to any address, and a warning at its depends_on says how to narrow it', () => {
    const s = synthProject(stack);
    const warning = s.chart.diagnostics.find((d) => d.code === 'api-server-egress');
    expect(warning).toMatchObject({ service: 'internal-app', location: { line: 12 } });
    expect(s.warnings()).toContain(
      'services.internal-app.depends_on: its start-order waits ask the Kubernetes API, but it is only on internal networks (sealed): NetworkPolicy internal-app-wait-api-egress lets its pods open TCP 443 and 6443 to any address. To narrow it, give that rule a `to` with an ipBlock (/32) per address that `kubectl get endpoints kubernetes -n default` lists',
    );
  });

  test('a dependency on another network, from an internal network: Endpoints through the API, and the egress to reach it', () => {
    const s = synthProject(stack);
    expect(s.pod('sealed-reader').initContainers[0].command[2]).toContain(
      '/api/v1/namespaces/$POD_NAMESPACE/endpoints/db"',
    );
    expect(s.find('Role', 'sealed-reader-wait').rules).toEqual([
      { apiGroups: [''], resources: ['endpoints'], resourceNames: ['db'], verbs: ['get'] },
    ]);
    expect(s.find('NetworkPolicy', 'sealed-reader-wait-api-egress').spec.policyTypes).toEqual(['Egress']);
  });

  test('waits over the internal network itself need no way out', () => {
    const s = synthProject(stack);
    expect(s.pod('sealed-peer').initContainers[0].command[2]).toContain('until nc -z -w 2 vault 8200;');
    expect(s.all('NetworkPolicy').map((p) => p.metadata.name)).not.toContain('sealed-peer-wait-api-egress');
  });

  test('a pod on a normal network keeps its egress: no extra policy for its API waits', () => {
    const s = synthProject(stack);
    expect(s.pod('app').initContainers[0].command[2]).toContain('/endpoints/db"');
    expect(s.all('NetworkPolicy').map((p) => p.metadata.name)).not.toContain('app-wait-api-egress');
  });

  test('explain lists what the waits need under depends_on', () => {
    const row = synthProject(stack)
      .chart.service('internal-app')
      .explanations.find((k) => k.key === 'depends_on');
    expect(row?.objects).toEqual([
      'Deployment/internal-app',
      'ServiceAccount/internal-app-wait',
      'Role/internal-app-wait',
      'RoleBinding/internal-app-wait',
      'NetworkPolicy/internal-app-wait-api-egress',
    ]);
  });
});
