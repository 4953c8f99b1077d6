/**
 * What each seed document asks of its stack, checked on the synthesized manifests: the routing
 * of the reverse proxy or HTTPS front, scaling, the JetDrive host network, optional profiles,
 * resource limits and reservations, and data kept on volumes.
 */
import { containerListeningOn, containers, cpuCores, ingressRoutes, memoryBytes, synthSeed } from './synth';
import type { Manifest } from '../support/references';

function hasService(manifests: readonly Manifest[], name: string): boolean {
  return manifests.some((m) => m.kind === 'Service' && (m.metadata as { name: string }).name === name);
}

/** The pod volume that backs `mountPath` in the container listening on `port`. */
function volumeAt(manifests: readonly Manifest[], port: number, mountPath: string): Record<string, unknown> {
  const view = containerListeningOn(manifests, port);
  const mounts = (view.container.volumeMounts ?? []) as { name: string; mountPath: string }[];
  const mount = mounts.find((m) => m.mountPath === mountPath);
  if (!mount) throw new Error(`${view.owner} mounts nothing at ${mountPath}`);
  const volumes = (view.podSpec.volumes ?? []) as { name: string }[];
  return volumes.find((v) => v.name === mount.name) ?? {};
}

/** Names of the init containers of the pod listening on `port`. */
function initContainerNames(manifests: readonly Manifest[], port: number): string[] {
  return ((containerListeningOn(manifests, port).podSpec.initContainers ?? []) as { name: string }[]).map(
    (c) => c.name,
  );
}

describe('Story 12.1', () => {
  const stack = synthSeed('story-12-1');

  test('the Ingress routes like the nginx proxy: / to the frontend, the Django paths to the backend', () => {
    expect(ingressRoutes(stack, 'story-12-1')).toEqual({
      'Prefix /api': 'backend:8000',
      'Prefix /admin': 'backend:8000',
      'Prefix /static': 'backend:8000',
      'Prefix /media': 'backend:8000',
      'Prefix /': 'frontend:5173',
    });
  });

  test.each([
    // service port, cpu limit, cpu reservation, memory limit MB, memory reservation MB
    [80, 0.5, 0.25, 256, 128],
    [5173, 2, 1, 2048, 512],
    [8000, 2, 0.5, 1024, 512],
    [5432, 1, 0.5, 512, 256],
    [6379, 0.5, 0.25, 256, 128],
  ])('the service on %i keeps the documented limits and reservations', (port, cpu, cpuReq, mem, memReq) => {
    const resources = containerListeningOn(stack, port).container.resources as {
      limits: Record<string, unknown>;
      requests: Record<string, unknown>;
    };
    expect(cpuCores(resources.limits.cpu)).toBe(cpu);
    expect(cpuCores(resources.requests.cpu)).toBe(cpuReq);
    expect(memoryBytes(resources.limits.memory)).toBe(mem * 2 ** 20);
    expect(memoryBytes(resources.requests.memory)).toBe(memReq * 2 ** 20);
  });

  test('PostgreSQL and Redis keep their data on persistent volume claims', () => {
    expect(volumeAt(stack, 5432, '/var/lib/postgresql/data')).toHaveProperty('persistentVolumeClaim');
    expect(volumeAt(stack, 6379, '/data')).toHaveProperty('persistentVolumeClaim');
  });

  test("the frontend's node_modules volume is filled from its image before Vite starts", () => {
    expect(volumeAt(stack, 5173, '/app/node_modules')).toHaveProperty('persistentVolumeClaim');
    expect(initContainerNames(stack, 5173)).toContain('fill-app-frontend-node-modules');
  });

  test('every container_name resolves: the nginx config and tools address app-db, app-redis...', () => {
    for (const name of ['app-proxy', 'app-frontend', 'app-backend', 'app-db', 'app-redis']) {
      expect(hasService(stack, name)).toBe(true);
    }
  });

  test('the source trees are live on kind: hostPaths under the project mounted into the node', () => {
    expect(volumeAt(stack, 8000, '/app')).toEqual({
      name: 'host-app',
      hostPath: { path: '/compose-cdk8s/project/backend', type: 'DirectoryOrCreate' },
    });
    expect(volumeAt(stack, 5173, '/app/src')).toHaveProperty('hostPath.path', '/compose-cdk8s/project/frontend/src');
  });

  test('the Celery worker runs only when its profile is enabled', () => {
    const isWorker = (c: { container: Record<string, unknown> }) =>
      JSON.stringify([c.container.command, c.container.args]).includes('celery');
    expect(containers(stack).filter(isWorker)).toHaveLength(0);
    expect(containers(synthSeed('story-12-1-worker')).filter(isWorker)).toHaveLength(1);
  });
});

describe('WildID', () => {
  test('production is served over HTTPS through the Ingress, with the TLS Secret the operator provides', () => {
    const prod = synthSeed('wildid-prod');
    expect(ingressRoutes(prod, 'wildid')).toEqual({ 'Prefix /': 'app:3000' });
    const ingress = prod.find((m) => m.kind === 'Ingress') as { spec: Record<string, unknown> };
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['wildid.example.com'], secretName: 'wildid-tls' }]);
  });

  test('production runs two app replicas, development one', () => {
    expect(containerListeningOn(synthSeed('wildid-prod'), 3000).replicas).toBe(2);
    expect(containerListeningOn(synthSeed('wildid-dev'), 3000).replicas ?? 1).toBe(1);
  });

  test('the two production app replicas have no container_name; development keeps wildid-app', () => {
    expect(hasService(synthSeed('wildid-prod'), 'wildid-app')).toBe(false);
    expect(hasService(synthSeed('wildid-prod'), 'wildid-db')).toBe(true);
    expect(hasService(synthSeed('wildid-dev'), 'wildid-app')).toBe(true);
  });

  test('an unhealthy app is restarted after 3 failed checks, never while it starts', () => {
    const app = containerListeningOn(synthSeed('wildid-prod'), 3000).container as Record<
      string,
      { failureThreshold?: number }
    >;
    expect(app.livenessProbe.failureThreshold).toBe(3);
    expect(app.startupProbe).toBeDefined();
  });

  test('Mailhog exists in development only', () => {
    expect(hasService(synthSeed('wildid-dev'), 'mailhog')).toBe(true);
    expect(hasService(synthSeed('wildid-prod'), 'mailhog')).toBe(false);
  });

  test('production keeps uploads, sessions and the database on persistent volume claims', () => {
    const prod = synthSeed('wildid-prod');
    expect(volumeAt(prod, 3000, '/app/uploads')).toHaveProperty('persistentVolumeClaim');
    expect(volumeAt(prod, 3000, '/app/flask_session')).toHaveProperty('persistentVolumeClaim');
    expect(volumeAt(prod, 5432, '/var/lib/postgresql/data')).toHaveProperty('persistentVolumeClaim');
  });
});

describe('DynoAI', () => {
  test('production routes /api to the Flask API and the rest to the nginx frontend', () => {
    expect(ingressRoutes(synthSeed('dynoai-prod'), 'dynoai')).toEqual({
      'Prefix /api': 'api:5001',
      'Prefix /': 'frontend:80',
    });
  });

  test('JetDrive runs the api on the host network, listening on UDP 22344, and reaches Redis by its Service', () => {
    const jetdrive = synthSeed('dynoai-jetdrive');
    const api = containerListeningOn(jetdrive, 22344, 'UDP');
    expect(api.podSpec.hostNetwork).toBe(true);
    const manifestsText = JSON.stringify(jetdrive);
    expect(manifestsText).toContain('redis://redis:6379/0');
    expect(manifestsText).not.toContain('redis://localhost');
  });

  test('the api keeps uploads, outputs and runs on persistent volume claims in production', () => {
    const prod = synthSeed('dynoai-prod');
    for (const dir of ['/app/uploads', '/app/outputs', '/app/runs']) {
      expect(volumeAt(prod, 5001, dir)).toHaveProperty('persistentVolumeClaim');
    }
  });

  test('the api and frontend run as dynoai (1000:1000), and the frontend may still listen on 80', () => {
    const prod = synthSeed('dynoai-prod');
    for (const port of [5001, 80]) {
      expect(containerListeningOn(prod, port).container.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000 });
    }
    expect(containerListeningOn(prod, 80).podSpec.securityContext).toEqual({
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
    });
  });

  test('the Ingress accepts the 100 MB uploads the nginx front accepted', () => {
    const ingress = synthSeed('dynoai-prod').find((m) => m.kind === 'Ingress') as {
      metadata: { annotations?: Record<string, string> };
    };
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '100m' });
  });

  test('Redis is capped at 256 MB', () => {
    const redis = containerListeningOn(synthSeed('dynoai-prod'), 6379).container.resources as {
      limits: Record<string, unknown>;
    };
    expect(memoryBytes(redis.limits.memory)).toBe(256 * 2 ** 20);
  });
});

describe('InPactAI', () => {
  test('development keeps its code live on kind, and node_modules from the image', () => {
    const dev = synthSeed('inpactai-dev');
    expect(volumeAt(dev, 8000, '/app')).toHaveProperty('hostPath.path', '/compose-cdk8s/project/Backend');
    expect(volumeAt(dev, 5173, '/app')).toHaveProperty('hostPath.path', '/compose-cdk8s/project/Frontend');
    expect(initContainerNames(dev, 5173)).toEqual(['wait-for-backend', 'fill-anon-app-node-modules']);
    expect(dev.filter((m) => m.kind === 'Secret').map((m) => (m.metadata as { name: string }).name)).not.toContain(
      'backend-app',
    );
  });

  test('development mounts no source tree in production', () => {
    const prodMounts = containers(synthSeed('inpactai-prod')).flatMap(
      (c) => (c.container.volumeMounts ?? []) as { mountPath: string }[],
    );
    expect(prodMounts.map((m) => m.mountPath)).not.toContain('/app');
  });
});

describe('Carbon Nexus', () => {
  test('every service of the chain is health-checked, so the next one can wait for it', () => {
    for (const port of [8001, 8002, 8003, 8004]) {
      expect(containerListeningOn(synthSeed('carbon-nexus'), port).container.readinessProbe).toBeDefined();
    }
  });

  test('the ML engine keeps its models on a persistent volume claim, filled from its image', () => {
    expect(volumeAt(synthSeed('carbon-nexus'), 8001, '/app/models')).toHaveProperty('persistentVolumeClaim');
    expect(initContainerNames(synthSeed('carbon-nexus'), 8001)).toEqual(['fill-ml-models', 'fill-ml-data']);
  });

  test('a slow engine gets its 40 s start period before liveness counts, then 3 failures restart it', () => {
    const ml = containerListeningOn(synthSeed('carbon-nexus'), 8001).container as Record<
      string,
      { periodSeconds: number; failureThreshold: number }
    >;
    expect(ml.startupProbe.periodSeconds * ml.startupProbe.failureThreshold).toBeGreaterThanOrEqual(40 + 3 * 30);
    expect(ml.livenessProbe).toMatchObject({ periodSeconds: 30, failureThreshold: 3 });
  });

  test('production adds the monitoring profile, the base stack does not', () => {
    expect(hasService(synthSeed('carbon-nexus-prod'), 'prometheus')).toBe(true);
    expect(hasService(synthSeed('carbon-nexus'), 'prometheus')).toBe(false);
  });
});
