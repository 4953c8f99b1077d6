/**
 * The checks of examples/kompose-labels on a cluster: each kompose label must do at run time what
 * kompose users rely on (a StatefulSet with its own claim, a fixed NodePort, an autoscaler, a
 * readiness probe from labels, a CronJob, a DaemonSet), while compose-cdk8s keeps the Compose
 * behaviour (names, health-gated start). The expected values are read from the example's file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { check, httpFromHere, type CheckResult } from './check-kit';
import { condition, Kubectl, KubeObject, REPO_ROOT } from './cluster';

export const KOMPOSE_EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'kompose-labels');

interface ComposeService {
  labels: Record<string, string>;
  volumes?: string[];
}

export interface KomposeFacts {
  composeFile: string;
  claimSize: string;
  nodePort: number;
  hpa: { cpu: number; min: number; max: number };
  readinessPath: string;
  readinessPort: number;
}

export function readKomposeFacts(): KomposeFacts {
  const composeFile = path.join(KOMPOSE_EXAMPLE_DIR, 'compose.yaml');
  const services = (parse(fs.readFileSync(composeFile, 'utf8')) as { services: Record<string, ComposeService> })
    .services;
  const db = services.db.labels;
  const web = services.web.labels;
  return {
    composeFile,
    claimSize: db['kompose.volume.size'],
    nodePort: Number(web['kompose.service.nodeport.port']),
    hpa: {
      cpu: Number(web['kompose.hpa.cpu']),
      min: Number(web['kompose.hpa.replicas.min']),
      max: Number(web['kompose.hpa.replicas.max']),
    },
    readinessPath: web['kompose.service.healthcheck.readiness.http_get_path'],
    readinessPort: Number(web['kompose.service.healthcheck.readiness.http_get_port']),
  };
}

/** The loosely typed parts of objects these checks read. */
type Loose = Record<string, unknown> & KubeObject;
const at = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[k]),
    o,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runKomposeChecks(kubectl: Kubectl, facts: KomposeFacts): Promise<CheckResult[]> {
  const get = (what: string) => kubectl.json<Loose>(['get', what]);
  const results: CheckResult[] = [];

  results.push(
    await check('db: StatefulSet, claim from its template', () => {
      const st = get('statefulset/db');
      const claim = get('pvc/data-db-0');
      const size = at(claim, 'spec', 'resources', 'requests', 'storage');
      const phase = at(claim, 'status', 'phase');
      const ok = st.status?.readyReplicas === 1 && phase === 'Bound' && size === facts.claimSize;
      return {
        ok,
        detail: `${st.status?.readyReplicas ?? 0}/1 ready; claim data-db-0 ${String(phase)}, ${String(size)}`,
      };
    }),
    await check('db: governed by a headless Service named db', () => {
      const st = get('statefulset/db');
      const svc = get('service/db');
      const ok = at(st, 'spec', 'serviceName') === 'db' && at(svc, 'spec', 'clusterIP') === 'None';
      return {
        ok,
        detail: `serviceName ${String(at(st, 'spec', 'serviceName'))}, clusterIP ${String(at(svc, 'spec', 'clusterIP'))}`,
      };
    }),
    await check('web: started after db was healthy', () => {
      const pod = kubectl.items('pods', 'app.kubernetes.io/name=web')[0];
      const wait = pod?.status?.initContainerStatuses?.find((c) => c.name === 'wait-for-db');
      const exit = wait?.state?.terminated?.exitCode;
      return { ok: exit === 0, detail: wait ? `init container wait-for-db exited ${String(exit)}` : 'no wait-for-db' };
    }),
    await check('web: readiness probe from the labels, pod ready', () => {
      const deployment = get('deployment/web');
      const probe = at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'readinessProbe', 'httpGet');
      const pod = kubectl.items('pods', 'app.kubernetes.io/name=web')[0];
      const ok =
        at(probe, 'path') === facts.readinessPath &&
        at(probe, 'port') === facts.readinessPort &&
        pod !== undefined &&
        condition(pod, 'Ready') === 'True';
      return { ok, detail: `httpGet ${JSON.stringify(probe)}, pod Ready=${pod ? condition(pod, 'Ready') : '-'}` };
    }),
    await check(`web: NodePort ${facts.nodePort} answers from this machine`, async () => {
      const svc = get('service/web-published');
      const nodePort = at(svc, 'spec', 'ports', 0, 'nodePort');
      if (svc.spec?.type !== 'NodePort' || nodePort !== facts.nodePort)
        return { ok: false, detail: `${String(svc.spec?.type)} with nodePort ${String(nodePort)}` };
      const nodes = kubectl.json<{ items: KubeObject[] }>(['get', 'nodes']).items;
      const ip = nodes[0]?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
      const answer = await httpFromHere(`http://${ip}:${facts.nodePort}/`);
      return {
        ok: answer.status === 200,
        detail: `HTTP ${answer.status ?? answer.error} from ${ip}:${facts.nodePort}`,
      };
    }),
    await check('web: HorizontalPodAutoscaler from the labels', () => {
      const hpa = get('hpa/web');
      const metrics = (at(hpa, 'spec', 'metrics') ?? []) as unknown[];
      const cpu = metrics.find((m) => at(m, 'resource', 'name') === 'cpu');
      const ok =
        at(hpa, 'spec', 'scaleTargetRef', 'name') === 'web' &&
        at(hpa, 'spec', 'minReplicas') === facts.hpa.min &&
        at(hpa, 'spec', 'maxReplicas') === facts.hpa.max &&
        at(cpu, 'resource', 'target', 'averageUtilization') === facts.hpa.cpu;
      return {
        ok,
        detail: `${String(at(hpa, 'apiVersion'))} ${String(at(hpa, 'spec', 'minReplicas'))}-${String(at(hpa, 'spec', 'maxReplicas'))} replicas, cpu ${String(at(cpu, 'resource', 'target', 'averageUtilization'))}%`,
      };
    }),
    await check('agent: a DaemonSet pod on every node', () => {
      const ds = get('daemonset/agent');
      const want = ds.status?.desiredNumberScheduled ?? 0;
      const ready = ds.status?.numberReady ?? 0;
      return { ok: want > 0 && ready === want, detail: `${ready}/${want} ready` };
    }),
    await check('tick: the CronJob runs and reaches db by its Compose name', async () => {
      // The schedule is every minute: wait for a run to finish.
      for (let waited = 0; waited <= 150; waited += 5) {
        const done = kubectl
          .items('jobs')
          .filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'tick'))
          .find((j) => condition(j, 'Complete') === 'True' || condition(j, 'Failed') === 'True');
        if (done) {
          const logs = kubectl.run(['logs', `job/${done.metadata.name}`]).stdout.trim();
          const ok = condition(done, 'Complete') === 'True' && logs.includes('db-reachable');
          return { ok, detail: `job ${done.metadata.name} ${ok ? 'complete' : 'failed'}: ${logs || '(no output)'}` };
        }
        await sleep(5000);
      }
      return { ok: false, detail: 'no run of the CronJob finished within 150 s' };
    }),
  );
  return results;
}
