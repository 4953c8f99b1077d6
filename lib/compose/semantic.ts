/**
 * Stage 7: what the schema cannot express: references between services and to top-level
 * definitions, `depends_on` cycles, and services with nothing to run. Linear in services.
 */
import type { ComposeProject, ComposeService } from './model';
import type { Severity } from './diagnostics';
import { childPath } from './parse';
import { suggest } from './schema';

export type Report = (path: string, message: string, code: string, severity?: Severity, service?: string) => void;

/** Services left out by profiles, with the profiles that would enable them. */
export type DisabledServices = ReadonlyMap<string, readonly string[]>;

function checkReferences(s: ComposeService, project: ComposeProject, disabled: DisabledServices, report: Report): void {
  const p = childPath('services', s.name);
  if (!s.image && !s.build && !s.provider)
    report(p, `service "${s.name}" has neither an image nor a build section`, 'no-image', 'error', s.name);
  for (const model of Object.keys(s.models)) {
    if (project.models[model]) continue;
    report(
      childPath(childPath(p, 'models'), model),
      `model "${model}" is not defined in the top-level models`,
      'undefined-model',
      'error',
      s.name,
    );
  }
  for (const [dep, d] of Object.entries(s.dependsOn)) {
    if (project.services[dep]) continue;
    const where = childPath(childPath(p, 'depends_on'), dep);
    const profiles = disabled.get(dep);
    if (!d.required) continue;
    if (profiles) {
      report(
        where,
        `depends on "${dep}", which is only enabled by profile ${profiles.map((x) => `"${x}"`).join(', ')} (add --profile ${profiles[0]})`,
        'undefined-service',
        'error',
        s.name,
      );
    } else report(where, `depends on undefined service "${dep}"`, 'undefined-service', 'error', s.name);
  }
  if (s.networkMode?.kind === 'service' && !project.services[s.networkMode.service]) {
    report(
      childPath(p, 'network_mode'),
      `network_mode refers to undefined service "${s.networkMode.service}"`,
      'undefined-service',
      'error',
      s.name,
    );
  }
  const targets = new Set<string>();
  s.volumes.forEach((v, i) => {
    if (targets.has(v.target)) {
      report(
        childPath(childPath(p, 'volumes'), i),
        `duplicate mount target ${v.target}`,
        'duplicate-mount',
        'error',
        s.name,
      );
    }
    targets.add(v.target);
    if (v.type === 'volume' && v.source !== undefined && !project.volumes[v.source]) {
      report(
        childPath(childPath(p, 'volumes'), i),
        `volume "${v.source}" is not defined in the top-level volumes`,
        'undefined-volume',
        'error',
        s.name,
      );
    }
  });
  for (const net of Object.keys(s.networks)) {
    if (net !== 'default' && !project.networks[net]) {
      report(
        childPath(childPath(p, 'networks'), net),
        `network "${net}" is not defined in the top-level networks`,
        'undefined-network',
        'error',
        s.name,
      );
    }
  }
  for (const kind of ['secrets', 'configs'] as const) {
    const defined = kind === 'secrets' ? project.secrets : project.configs;
    const noun = kind === 'secrets' ? 'secret' : 'config';
    s[kind].forEach((r, i) => {
      if (defined[r.source]) return;
      report(
        childPath(childPath(p, kind), i),
        `${noun} "${r.source}" is not defined in the top-level ${kind}`,
        `undefined-${noun}`,
        'error',
        s.name,
      );
    });
  }
}

/** Reports each depends_on cycle once, as `a -> b -> a`. */
function checkCycles(project: ComposeProject, report: Report): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of Object.keys(project.services[name].dependsOn)) {
      if (!project.services[dep]) continue;
      const st = state.get(dep);
      if (st === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        report(
          childPath(childPath(childPath('services', name), 'depends_on'), dep),
          `depends_on cycle: ${cycle.join(' -> ')}`,
          'depends-on-cycle',
          'error',
          name,
        );
      } else if (st === undefined) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(project.services)) if (!state.has(name)) visit(name);
}

function checkPublishedPorts(project: ComposeProject, report: Report): void {
  const owners = new Map<string, string>();
  for (const s of Object.values(project.services)) {
    s.ports.forEach((port, i) => {
      if (port.published === undefined) return;
      const key = `${port.hostIp ?? '*'}/${port.published}/${port.protocol}`;
      const owner = owners.get(key);
      if (owner && owner !== s.name) {
        report(
          childPath(childPath(childPath('services', s.name), 'ports'), i),
          `host port ${port.published}/${port.protocol} is also published by "${owner}": Compose could not start both`,
          'port-conflict',
          'warning',
          s.name,
        );
      } else owners.set(key, s.name);
    });
  }
}

/** `container_name` names one container: Docker refuses a second one, whether a replica or another service. */
function checkContainerNames(project: ComposeProject, report: Report): void {
  const owners = new Map<string, string>();
  for (const s of Object.values(project.services)) {
    if (s.containerName === undefined) continue;
    const where = childPath(childPath('services', s.name), 'container_name');
    const replicas = s.deploy.replicas ?? 1;
    if (replicas > 1) {
      report(
        where,
        `container_name "${s.containerName}" with ${replicas} replicas: container name must be unique (docker compose refuses it); remove container_name or run one replica`,
        'container-name-replicas',
        'error',
        s.name,
      );
    }
    const owner = owners.get(s.containerName);
    if (owner !== undefined) {
      report(
        where,
        `container_name "${s.containerName}" is also the container name of "${owner}": container name must be unique`,
        'container-name-conflict',
        'error',
        s.name,
      );
    } else owners.set(s.containerName, s.name);
  }
}

/** `x-k8s.volumes.<name>` options apply to a named volume the service mounts; any other name does nothing. */
function checkK8sVolumes(s: ComposeService, report: Report): void {
  const mounted = s.volumes.flatMap((v) => (v.type === 'volume' && v.source !== undefined ? [v.source] : []));
  for (const name of Object.keys(s.k8s.volumes ?? {})) {
    if (mounted.includes(name)) continue;
    const hint = suggest(name, mounted);
    report(
      childPath(childPath(childPath(childPath('services', s.name), 'x-k8s'), 'volumes'), name),
      `the service mounts no named volume "${name}": ignored${hint ? ` (did you mean "${hint}"?)` : ''}`,
      'unknown-x-k8s-key',
      'warning',
      s.name,
    );
  }
}

export function checkProject(project: ComposeProject, disabled: DisabledServices, report: Report): void {
  for (const s of Object.values(project.services)) {
    checkReferences(s, project, disabled, report);
    checkK8sVolumes(s, report);
  }
  checkCycles(project, report);
  checkPublishedPorts(project, report);
  checkContainerNames(project, report);
}
