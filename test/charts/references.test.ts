import {
  findAddresses,
  findMissingConfigObjects,
  findReferenceProblems,
  findServicesWithoutPods,
  findUnmountedClaims,
  findUnresolvedAddresses,
  findUnresolvedIngressBackends,
  type Manifest,
} from '../support/references';

function service(name: string, port: number, selector: Record<string, string> = { app: name }): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector, ports: [{ name: `tcp-${port}`, port, targetPort: port }] },
  };
}

interface ContainerOptions {
  readonly env?: Record<string, string>;
  readonly args?: string[];
  readonly ports?: number[];
  readonly extra?: Record<string, unknown>;
  readonly podSpec?: Record<string, unknown>;
}

function deployment(name: string, options: ContainerOptions = {}): Manifest {
  const env = Object.entries(options.env ?? {}).map(([k, value]) => ({ name: k, value }));
  const ports = (options.ports ?? []).map((containerPort) => ({ containerPort }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: `${name}:1`, env, ports, args: options.args, ...options.extra }],
          ...options.podSpec,
        },
      },
    },
  };
}

function configMap(name: string, data: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

function ingress(serviceName: string, port: number): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: port } } } },
            ],
          },
        },
      ],
    },
  };
}

const redis = [service('redis', 6379), deployment('redis', { ports: [6379] })];

describe('finding addresses in text', () => {
  test('a URL without a port means the scheme default port', () => {
    expect(findAddresses('redis://redis/0')).toEqual([{ raw: 'redis://redis', host: 'redis', port: 6379 }]);
  });

  test('credentials in a URL are not taken for the host', () => {
    expect(findAddresses('postgresql://user:pw@db:5432/app')).toEqual([
      { raw: 'postgresql://user:pw@db:5432', host: 'db', port: 5432 },
    ]);
  });

  test('bare host:port is found, image tags and IP bind addresses are not', () => {
    const found = findAddresses('server backend:8000; runserver 0.0.0.0:8000 image redis:7-alpine at 12:30');
    expect(found.map((a) => `${a.host}:${a.port}`)).toEqual(['backend:8000']);
  });

  test('an nginx upstream name in proxy_pass is not an address; its server lines are', () => {
    const conf = 'upstream api { server backend:8000; } location / { proxy_pass http://api; }';
    expect(findAddresses(conf).map((a) => `${a.host}:${a.port}`)).toEqual(['backend:8000']);
  });
});

describe('every address given to a container names a Service and port of the chart', () => {
  test('an env URL to an existing Service port passes', () => {
    const app = deployment('api', { env: { REDIS_URL: 'redis://redis:6379/0' } });
    expect(findUnresolvedAddresses([...redis, app])).toEqual([]);
  });

  test('an env URL to a missing Service fails', () => {
    const app = deployment('api', { env: { CACHE: 'redis://cache:6379/0' } });
    expect(findUnresolvedAddresses([...redis, app])).toEqual([
      'Deployment/api container api env CACHE: redis://cache:6379 names no Service of the chart',
    ]);
  });

  test('a Service on the wrong port fails', () => {
    const app = deployment('api', { args: ['--redis', 'redis:6380'] });
    expect(findUnresolvedAddresses([...redis, app])).toEqual([
      'Deployment/api container api args: redis:6380: Service redis has no port 6380 (has 6379)',
    ]);
  });

  test('external host names with dots are not checked', () => {
    const app = deployment('api', { env: { SUPABASE_URL: 'https://x.supabase.co', SMTP: 'smtp.sendgrid.net:587' } });
    expect(findUnresolvedAddresses([app])).toEqual([]);
  });

  test('a proxy_pass upstream in a ConfigMap must resolve too', () => {
    const conf = configMap('proxy-conf', { 'nginx.conf': 'upstream b { server backend:9000; }' });
    expect(findUnresolvedAddresses([conf])).toEqual([
      'ConfigMap/proxy-conf key nginx.conf: backend:9000 names no Service of the chart',
    ]);
  });

  test('a loopback address must be a port of a pod that uses it', () => {
    const own = deployment('api', { env: { SELF: 'http://localhost:5001' }, ports: [5001] });
    const other = deployment('worker', { env: { CACHE: 'redis://localhost:6379' }, ports: [5001] });
    expect(findUnresolvedAddresses([own, other])).toEqual([
      'Deployment/worker container worker env CACHE: redis://localhost:6379 is a loopback address but no pod using it listens on 6379',
    ]);
  });

  test('Secret data is decoded before it is searched', () => {
    const secret: Manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'env' },
      data: { DATABASE_URL: Buffer.from('postgres://u:p@db:5432/x').toString('base64') },
    };
    expect(findUnresolvedAddresses([secret])).toEqual([
      'Secret/env key DATABASE_URL: postgres://u:p@db:5432 names no Service of the chart',
    ]);
  });
});

describe('every Ingress backend exists', () => {
  test('a backend on an existing Service port passes', () => {
    expect(findUnresolvedIngressBackends([...redis, ingress('redis', 6379)])).toEqual([]);
  });

  test('a missing Service or port fails', () => {
    expect(findUnresolvedIngressBackends([...redis, ingress('web', 80), ingress('redis', 80)])).toEqual([
      'Ingress/web: backend Service web does not exist',
      'Ingress/web: Service redis has no port 80',
    ]);
  });
});

describe('every Service selects pods that listen on its target ports', () => {
  test('a selector that matches nothing fails', () => {
    expect(findServicesWithoutPods([service('redis', 6379, { app: 'cache' }), redis[1]])).toEqual([
      'Service/redis: selector matches no pod',
    ]);
  });

  test('a target port no container declares fails', () => {
    expect(findServicesWithoutPods([service('redis', 6379), deployment('redis', { ports: [6380] })])).toEqual([
      'Service/redis: targetPort 6379 is not a port of its pods',
    ]);
  });
});

describe('every PVC is mounted', () => {
  const claim: Manifest = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} };

  test('an unmounted claim fails, a mounted one passes', () => {
    expect(findUnmountedClaims([claim])).toEqual(['PersistentVolumeClaim/data is not mounted by any workload']);
    const db = deployment('db', {
      podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
    });
    expect(findUnmountedClaims([claim, db])).toEqual([]);
  });
});

describe('every Secret and ConfigMap a pod reads exists', () => {
  const reader = deployment('api', {
    extra: {
      envFrom: [{ secretRef: { name: 'api-env' } }],
      env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }],
    },
    podSpec: { volumes: [{ name: 'conf', configMap: { name: 'nginx', items: [{ key: 'nginx.conf', path: 'x' }] } }] },
  });

  test('missing objects and keys fail', () => {
    expect(findMissingConfigObjects([reader, configMap('settings', { other: '1' })])).toEqual([
      'Deployment/api volume conf: configMap nginx does not exist',
      'Deployment/api container api env MODE: configMap settings has no key mode',
      'Deployment/api container api envFrom: secret api-env does not exist',
    ]);
  });

  test('present objects and keys pass', () => {
    const secret: Manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-env' }, stringData: {} };
    const objects = [secret, configMap('settings', { mode: 'prod' }), configMap('nginx', { 'nginx.conf': '' })];
    expect(findMissingConfigObjects([reader, ...objects])).toEqual([]);
  });
});

test('findReferenceProblems reports problems of every kind together', () => {
  const app = deployment('api', { env: { CACHE: 'redis://cache:6379' } });
  expect(findReferenceProblems([app, ingress('web', 80)])).toHaveLength(2);
});
