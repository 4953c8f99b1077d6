/**
 * `pre_start` -> init containers `pre-start-<n>`, after the start-order waits, the volume fills
 * and kompose's, so each runs once the service's dependencies are up and its volumes are filled,
 * as Compose runs the hooks just before it starts the service's container.
 *
 * Compose runs each entry to completion, in order, in a container of the service: the service's
 * image unless the entry names one, the service's environment with the entry's added, the
 * service's volumes (`volumes_from` the service container), the service's working directory and
 * (with the service's image) its user, unless the entry says otherwise. So does each init
 * container here: it is the service's container with the entry's settings.
 */
import type { ComposeService, ServiceHook } from '../compose/model';
import { escapeDollar, numericUser } from './container';
import { dropped, note, partial, type Finding } from './findings';
import { emptyIsNothing, falseIsDefault, on, part, pod, translated, type KeyRules } from './key-rules';
import type { WorkloadDecision } from './workload';

type Json = Record<string, unknown>;

export const preStartName = (index: number): string => `pre-start-${index}`;

/**
 * The security context of an entry's container: the service container's, then the entry's own
 * user and privileges. With an image of its own it runs as that image's user, as the Compose
 * specification says, unless it names one.
 */
function entrySecurity(hook: ServiceHook, main: Json | undefined): Json | undefined {
  const ctx: Json = { ...main };
  // A user name leaves it as it would be without one (reported by preStartFindings).
  const ids = hook.user !== undefined ? numericUser(hook.user) : undefined;
  if (ids || hook.image !== undefined) {
    delete ctx.runAsUser;
    delete ctx.runAsGroup;
  }
  Object.assign(ctx, ids);
  if (hook.privileged) ctx.privileged = true;
  return Object.keys(ctx).length > 0 ? ctx : undefined;
}

/**
 * One entry's init container, from the service's main container: its own image (no pull policy
 * then: the service's is for the service's image), command, working directory, user and
 * privileges; the service's entrypoint, env sources, mounts and resources. `env` is the
 * service's with the entry's variables (environment.ts decides which go to a Secret).
 */
export function preStartContainer(hook: ServiceHook, index: number, main: Json, env: readonly Json[]): Json {
  const ownImage = hook.image === undefined || hook.image === main.image;
  const args = hook.command?.map(escapeDollar) ?? (ownImage ? main.args : undefined);
  const security = entrySecurity(hook, main.securityContext as Json | undefined);
  const has = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);
  const fields: Json = {
    name: preStartName(index),
    image: hook.image ?? main.image,
    imagePullPolicy: ownImage ? main.imagePullPolicy : undefined,
    // The service's entrypoint is its image's: another image keeps its own.
    command: ownImage ? main.command : undefined,
    args,
    workingDir: hook.workingDir ?? main.workingDir,
    envFrom: main.envFrom,
    env,
    resources: main.resources,
    volumeMounts: main.volumeMounts,
    securityContext: security,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => has(v)));
}

/** The init containers of `pre_start`, in declared order; `env[i]` is entry i's env. */
export function preStartContainers(service: ComposeService, main: Json, env: readonly (readonly Json[])[]): Json[] {
  return service.preStart.map((hook, i) => preStartContainer(hook, i, main, env[i] ?? []));
}

/** How many pods run the service's init containers: more than one unless it runs one replica. */
const manyPods = (service: ComposeService, workload: WorkloadDecision): string | undefined =>
  workload.kind === 'DaemonSet'
    ? 'a DaemonSet runs a pod per node'
    : (service.deploy.replicas ?? 1) > 1
      ? `the service runs ${service.deploy.replicas} replicas`
      : undefined;

/** What the init containers cannot carry: user names, and running once for several replicas. */
export function preStartFindings(service: ComposeService, workload: WorkloadDecision): Finding[] {
  if (service.preStart.length === 0) return [];
  const findings: Finding[] = [];
  const many = manyPods(service, workload);
  service.preStart.forEach((hook, i) => {
    const at = `pre_start[${i}]`;
    if (hook.user !== undefined && !numericUser(hook.user)) {
      const fallback =
        hook.image === undefined && service.user ? `the service's user "${service.user}"` : "the image's user";
      findings.push(
        dropped(
          `${at}.user`,
          `"${hook.user}" is a name; Kubernetes needs numeric IDs: ${preStartName(i)} runs as ${fallback}`,
        ),
      );
    }
    if (!hook.perReplica && many) {
      const written = service.keys.some((k) => k.path === `${at}.per_replica`);
      findings.push(
        partial(
          written ? `${at}.per_replica` : at,
          `Compose runs it once for the whole service; an init container runs in every pod, and ${many}: it runs once per pod (make it safe to run concurrently, or set per_replica: true to say so)`,
        ),
      );
    }
  });
  findings.push(
    note(
      'pre_start',
      'a failing entry is retried by Kubernetes with a growing delay, and the service never starts until it succeeds, where Compose stops `up` with the error; like Compose, the entries run again whenever a pod is created',
    ),
  );
  return findings;
}

const entry = (path: string) => pod(`initContainers[name=pre-start-*].${path}`);

export const PRE_START_KEYS: KeyRules = {
  pre_start: translated(pod('initContainers[name=pre-start-*]'), { unless: emptyIsNothing }),
  'pre_start[]': part,
  'pre_start[].command': translated(entry('args'), { unless: emptyIsNothing }),
  'pre_start[].image': translated(entry('image')),
  'pre_start[].user': translated([entry('securityContext.runAsUser'), entry('securityContext.runAsGroup')]),
  'pre_start[].privileged': translated(entry('securityContext.privileged'), { unless: falseIsDefault }),
  'pre_start[].working_dir': translated(entry('workingDir')),
  'pre_start[].environment': translated([entry('env'), on('env', 'data')], { unless: emptyIsNothing }),
  'pre_start[].per_replica': translated(pod('initContainers[name=pre-start-*]'), {
    doc: 'an init container runs in every pod: once for the whole service only with one replica',
    unless: (v) => (v === true || v === 'true' ? 'true: what an init container does, once in every pod' : undefined),
  }),
};
