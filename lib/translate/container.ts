/**
 * The container and pod fields a Compose service sets directly: image and pull policy, command,
 * working directory, user, capabilities, read-only root, tty, hostname, extra hosts, DNS,
 * sysctls and the stop grace period. Nothing is set that Compose did not ask for.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { dropped, note, partial, type Finding } from './findings';
import { supplementalGroups } from './groups';
import { nameservers } from './nameservers';
import { container, emptyIsNothing, falseIsDefault, noEquivalent, pod, translated, type KeyRules } from './key-rules';

export type Target = 'kind' | 'minikube' | 'generic';

/** The image Compose gives a built service: `<project>-<service>`. */
export function builtImageName(project: ComposeProject, service: ComposeService): string {
  return `${project.name}-${service.name}`.toLowerCase();
}

export function imageOf(project: ComposeProject, service: ComposeService): string {
  return service.image ?? builtImageName(project, service);
}

const PULL: Readonly<Record<string, string>> = {
  always: 'Always',
  never: 'Never',
  missing: 'IfNotPresent',
  if_not_present: 'IfNotPresent',
  build: 'Never',
};

/**
 * Each target's workflow decides where images come from, and a policy that contradicts it would
 * keep the pods from starting:
 * - kind and minikube: a built image exists only where load-images.sh put it (the node), a
 *   registry pull would fail, so it is never pulled, whatever `pull_policy` asks;
 * - generic: the nodes get every image by pulling it (NOTES.md pushes the built ones to a
 *   registry), so `never` and `build` become IfNotPresent: Never would leave the pods in
 *   ErrImageNeverPull.
 */
export function pullPolicy(
  service: ComposeService,
  target: Target,
  komposePolicy?: 'Always' | 'Never' | 'IfNotPresent',
): { policy?: string; findings: Finding[] } {
  const findings: Finding[] = [];
  if (komposePolicy) {
    if (service.build && target !== 'generic' && komposePolicy === 'Always')
      findings.push(
        partial(
          'labels.kompose.image-pull-policy',
          'Always pulls the built image from a registry: load-images.sh only loads it into the cluster',
        ),
      );
    return { policy: komposePolicy, findings };
  }
  const asked = service.pullPolicy;
  if (service.build && target !== 'generic') {
    if (asked !== undefined && !['Never', 'IfNotPresent'].includes(PULL[asked] ?? ''))
      findings.push(
        partial(
          'pull_policy',
          `"${asked}" pulls the image from a registry; on ${target} load-images.sh builds it and loads it into the node, so it is never pulled (imagePullPolicy: Never)`,
        ),
      );
    return { policy: 'Never', findings };
  }
  if (asked !== undefined) {
    const policy = PULL[asked];
    if (!policy)
      findings.push(partial('pull_policy', `"${asked}" has no Kubernetes equivalent; the cluster default applies`));
    if (policy === 'Never' && target === 'generic') {
      findings.push(
        partial(
          'pull_policy',
          service.build
            ? `"${asked}" would never pull the image, and on a generic cluster it reaches the nodes only from the registry NOTES.md pushes it to: imagePullPolicy IfNotPresent`
            : `"${asked}" would never pull the image, and on a generic cluster nothing but a pull puts it on the nodes: imagePullPolicy IfNotPresent`,
        ),
      );
      return { policy: 'IfNotPresent', findings };
    }
    // Compose runs the image the Docker host holds; a node has only what was loaded into it.
    if (policy === 'Never' && service.image)
      findings.push(
        partial(
          'pull_policy',
          `"${asked}" never pulls ${service.image}: it must already be on the ${target} node, where nothing loads it: \`${target === 'kind' ? 'kind load docker-image' : 'minikube image load'} ${service.image}\` before up.sh, or the pods stay in ErrImageNeverPull`,
        ),
      );
    return { policy, findings };
  }
  if (service.build) return { policy: 'IfNotPresent', findings };
  return { findings };
}

/**
 * Kubernetes expands `$(VAR)` and reduces `$$` to `$` in command, args, env values and probe
 * commands; Compose does neither. Doubling each `$` that starts either form makes the expansion
 * give back the original text.
 */
export function escapeDollar(value: string): string {
  return value.replace(/\$(?=[$(])/g, '$$$$');
}

export function commandFields(service: ComposeService): { command?: string[]; args?: string[]; findings: Finding[] } {
  const findings: Finding[] = [];
  let command = service.entrypoint?.map(escapeDollar);
  if (command && command.length === 0) {
    findings.push(
      partial('entrypoint', "an empty entrypoint cannot clear the image's ENTRYPOINT on Kubernetes; it is kept"),
    );
    command = undefined;
  }
  return { command, args: service.command?.map(escapeDollar), findings };
}

export interface ContainerSecurity {
  readonly securityContext?: Record<string, unknown>;
  readonly findings: Finding[];
}

/**
 * `uid` or `uid:gid` as the security context's numbers. `root` is uid and gid 0 in every image;
 * other names need the image's /etc/passwd, which is not readable from here: undefined.
 */
export function numericUser(user: string): { runAsUser: number; runAsGroup?: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(user.replace(/^root(?=:|$)/, '0').replace(/:root$/, ':0'));
  if (!m) return undefined;
  return { runAsUser: Number(m[1]), ...(m[2] !== undefined ? { runAsGroup: Number(m[2]) } : {}) };
}

const capability = (c: string) => c.toUpperCase().replace(/^CAP_/, '');

export function securityContext(service: ComposeService): ContainerSecurity {
  const ctx: Record<string, unknown> = {};
  const findings: Finding[] = [];
  if (service.user) {
    const ids = numericUser(service.user);
    if (ids) Object.assign(ctx, ids);
    else {
      findings.push(dropped('user', `"${service.user}" is a name; Kubernetes needs numeric IDs (user: "1000:1000")`));
    }
  }
  if (service.readOnly) ctx.readOnlyRootFilesystem = true;
  if (service.privileged) ctx.privileged = true;
  if (service.capAdd.length > 0 || service.capDrop.length > 0) {
    ctx.capabilities = {
      ...(service.capAdd.length > 0 ? { add: service.capAdd.map(capability) } : {}),
      ...(service.capDrop.length > 0 ? { drop: service.capDrop.map(capability) } : {}),
    };
  }
  return { securityContext: Object.keys(ctx).length > 0 ? ctx : undefined, findings };
}

/** Sysctls the kubelet allows by default; others need the node's allowlist. */
export const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const UNPRIVILEGED_PORT_START = 'net.ipv4.ip_unprivileged_port_start';

/**
 * Docker sets net.ipv4.ip_unprivileged_port_start=0 in every container, so a service running as
 * a non-root user can listen on 80; Kubernetes does not. Needed when Compose runs the service as
 * a non-root user and it listens below 1024 (not on the host network, where the node decides).
 */
function needsPrivilegedPorts(service: ComposeService): boolean {
  if (service.networkMode?.kind === 'host' || !service.user) return false;
  if (/^(0|root)(:|$)/.test(service.user)) return false;
  const ports = [...service.ports.map((p) => p.target), ...service.expose.map((e) => e.port)];
  return ports.some((p) => p < 1024);
}

export interface PodFields {
  readonly fields: Record<string, unknown>;
  readonly findings: Finding[];
}

export function podFields(service: ComposeService, project: ComposeProject): PodFields {
  const fields: Record<string, unknown> = {};
  const findings: Finding[] = [];
  if (service.hostname) {
    const h = service.hostname.split('.')[0].toLowerCase();
    if (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(h)) fields.hostname = h;
    else findings.push(dropped('hostname', `"${service.hostname}" is not a valid pod hostname`));
    if (h !== service.hostname)
      findings.push(partial('hostname', `only the first label "${h}" is kept as the pod hostname`));
  }
  const byIp = new Map<string, string[]>();
  service.extraHosts.forEach((h) => {
    if (h.ip === 'host-gateway') {
      findings.push(
        dropped(
          'extra_hosts',
          `${h.hostname}:host-gateway has no Kubernetes equivalent (the node's address differs per cluster)`,
        ),
      );
      return;
    }
    byIp.set(h.ip, [...(byIp.get(h.ip) ?? []), h.hostname]);
  });
  if (byIp.size > 0) {
    fields.hostAliases = [...byIp.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([ip, hostnames]) => ({ ip, hostnames }));
  }
  const dns = nameservers(project, service);
  findings.push(...dns.findings);
  if (dns.servers.length > 0 || service.dnsSearch.length > 0 || service.dnsOpt.length > 0) {
    // dnsPolicy stays ClusterFirst (the default) so Service names keep resolving; these are added.
    fields.dnsConfig = {
      ...(dns.servers.length > 0 ? { nameservers: dns.servers } : {}),
      ...(service.dnsSearch.length > 0 ? { searches: service.dnsSearch } : {}),
      ...(service.dnsOpt.length > 0
        ? {
            options: service.dnsOpt.map((o) => {
              const [name, value] = o.split(':');
              return value === undefined ? { name } : { name, value };
            }),
          }
        : {}),
    };
  }
  if (service.stopGracePeriodMs !== undefined) {
    fields.terminationGracePeriodSeconds = Math.ceil(service.stopGracePeriodMs / 1000);
  }
  const sysctls = Object.entries(service.sysctls).sort(([a], [b]) => a.localeCompare(b));
  const safe = sysctls.filter(([k]) => SAFE_SYSCTLS.has(k));
  for (const [k] of sysctls.filter(([k]) => !SAFE_SYSCTLS.has(k))) {
    findings.push(
      dropped(
        `sysctls.${k}`,
        'unsafe sysctl: the kubelet must allow it (--allowed-unsafe-sysctls) before a pod may set it',
      ),
    );
  }
  const sysctl = safe.map(([name, value]) => ({ name, value }));
  if (needsPrivilegedPorts(service) && !(UNPRIVILEGED_PORT_START in service.sysctls)) {
    sysctl.push({ name: UNPRIVILEGED_PORT_START, value: '0' });
    sysctl.sort((a, b) => a.name.localeCompare(b.name));
    findings.push(
      note(
        'user',
        `${UNPRIVILEGED_PORT_START}=0: the non-root user may listen on ports below 1024, as Docker allows in every container`,
      ),
    );
  }
  const groups = supplementalGroups(service);
  findings.push(...groups.findings);
  // One pod security context for both (kompose's fsGroup is added to it later).
  const podSecurity = {
    ...(groups.groups ? { supplementalGroups: groups.groups } : {}),
    ...(sysctl.length > 0 ? { sysctls: sysctl } : {}),
  };
  if (Object.keys(podSecurity).length > 0) fields.securityContext = podSecurity;
  return { fields, findings };
}

/** The keys this module carries into the container and pod spec. */
export const CONTAINER_KEYS: KeyRules = {
  image: translated(container('image')),
  pull_policy: translated(container('imagePullPolicy'), {
    doc: 'as the target gets images: a built image is never pulled on kind and minikube (loaded into the node); on generic `never` and `build` become IfNotPresent (the nodes pull every image)',
  }),
  pull_refresh_after: noEquivalent('the kubelet pulls by imagePullPolicy only; it has no refresh interval'),
  entrypoint: translated(container('command')),
  command: translated(container('args')),
  working_dir: translated(container('workingDir')),
  user: translated([container('securityContext.runAsUser'), container('securityContext.runAsGroup')]),
  read_only: translated(container('securityContext.readOnlyRootFilesystem'), { unless: falseIsDefault }),
  privileged: translated(container('securityContext.privileged'), { unless: falseIsDefault }),
  cap_add: translated(container('securityContext.capabilities.add'), { unless: emptyIsNothing }),
  cap_drop: translated(container('securityContext.capabilities.drop'), { unless: emptyIsNothing }),
  tty: translated(container('tty'), { unless: falseIsDefault }),
  stdin_open: translated(container('stdin'), { unless: falseIsDefault }),
  hostname: translated(pod('hostname')),
  domainname: noEquivalent('pods take their domain from the cluster DNS'),
  extra_hosts: translated(pod('hostAliases'), { unless: emptyIsNothing }),
  dns: translated(pod('dnsConfig.nameservers'), { unless: emptyIsNothing }),
  dns_search: translated(pod('dnsConfig.searches'), { unless: emptyIsNothing }),
  dns_opt: translated(pod('dnsConfig.options'), { unless: emptyIsNothing }),
  stop_grace_period: translated(pod('terminationGracePeriodSeconds')),
  stop_signal: noEquivalent('the kubelet always stops a container with SIGTERM; set STOPSIGNAL in the image', {
    unless: (v) => (v === 'SIGTERM' || v === 'TERM' ? 'SIGTERM: what the kubelet sends' : undefined),
  }),
  sysctls: translated(pod('securityContext.sysctls'), { unless: emptyIsNothing }),
  group_add: translated(pod('securityContext.supplementalGroups'), { unless: emptyIsNothing }),
  init: noEquivalent('Kubernetes has no init-process flag; add tini to the image if it needs one', {
    unless: falseIsDefault,
  }),
};
