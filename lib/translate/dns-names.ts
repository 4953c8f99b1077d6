/**
 * Every name other containers use to reach a service under Compose, besides the service name:
 * its `container_name` and its network aliases. Config files address containers by these names
 * (a Logstash pipeline pointing at `es:9200`), so each becomes one more Service selecting the
 * same pods with the same ports. A name can belong to one Service only: the first service (in
 * name order) that claims it keeps it, and the others are told.
 */
import type { ComposeProject } from '../compose/model';
import { childPath } from '../compose/parse';
import { note, partial, type Finding } from './findings';
import { dnsLabel } from './names';
import { on, translated, type KeyRules } from './key-rules';

export interface ExtraServiceName {
  /** The Kubernetes Service name. */
  readonly name: string;
  /** The Compose key it comes from: `container_name` or `networks.<network>`. */
  readonly key: string;
}

/** An extra name that the cluster knows by its sanitized form (`app_proxy` -> Service `app-proxy`). */
export interface RenamedExtraName {
  readonly service: string;
  /** The Compose key it comes from. */
  readonly key: string;
  /** `container_name "app_proxy"` */
  readonly what: string;
  readonly from: string;
  readonly to: string;
}

export interface DnsNamePlan {
  /** Per Compose service, the extra Service names it gets. */
  readonly extraNames: ReadonlyMap<string, readonly ExtraServiceName[]>;
  /** The extra names whose Service is named otherwise: the chart tells the user, with where the stack uses them. */
  readonly renamed: readonly RenamedExtraName[];
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
}

/** What the user is told about a renamed extra name; `references` lists where the stack uses it. */
export const renamedExtraNameMessage = (r: RenamedExtraName, references = ''): string =>
  `${r.what} is reachable as "${r.to}" in the cluster (Service names are DNS labels)${references}`;

interface Candidate {
  readonly wanted: string;
  readonly key: string;
  readonly what: string;
}

function candidates(project: ComposeProject, service: string): Candidate[] {
  const s = project.services[service];
  const out: Candidate[] = [];
  if (s.containerName !== undefined) {
    out.push({ wanted: s.containerName, key: 'container_name', what: `container_name "${s.containerName}"` });
  }
  if (!s.networkMode) {
    for (const net of Object.keys(s.networks).sort()) {
      for (const alias of s.networks[net].aliases) {
        out.push({
          wanted: alias,
          key: `${childPath(childPath('networks', net), 'aliases')}`,
          what: `alias "${alias}"`,
        });
      }
    }
  }
  return out;
}

/**
 * `serviceNames` maps each Compose service to its Kubernetes name (the main Service), so an
 * extra name can never take over another service's own name.
 */
export function planDnsNames(project: ComposeProject, serviceNames: ReadonlyMap<string, string>): DnsNamePlan {
  const ownerOfServiceName = new Map([...serviceNames].map(([service, name]) => [name, service]));
  const claimed = new Map<string, string>();
  const extraNames = new Map<string, ExtraServiceName[]>();
  const renamed: RenamedExtraName[] = [];
  const findings = new Map<string, Finding[]>();
  const report = (service: string, f: Finding) => findings.set(service, [...(findings.get(service) ?? []), f]);

  for (const service of [...serviceNames.keys()].sort()) {
    const own = serviceNames.get(service);
    const names: ExtraServiceName[] = [];
    for (const c of candidates(project, service)) {
      const name = dnsLabel(c.wanted);
      if (name === own) {
        report(service, note(c.key, `${c.what} is the service's own name: the Service named after it answers to it`));
        continue;
      }
      if (names.some((n) => n.name === name)) {
        report(service, note(c.key, `${c.what} is already one of its names: that Service answers to it`));
        continue;
      }
      const rename = { service, key: c.key, what: c.what, from: c.wanted, to: name };
      const otherService = ownerOfServiceName.get(name);
      const other = claimed.get(name);
      if (name !== c.wanted && (otherService !== undefined || other !== undefined))
        report(service, partial(c.key, renamedExtraNameMessage(rename)));
      if (otherService !== undefined) {
        report(service, partial(c.key, `${c.what} is the name of service "${otherService}": it keeps that meaning`));
        continue;
      }
      if (other !== undefined) {
        report(
          service,
          partial(c.key, `${c.what} is already a name of service "${other}": one Service cannot select both`),
        );
        continue;
      }
      claimed.set(name, service);
      names.push({ name, key: c.key });
      if (name !== c.wanted) renamed.push(rename);
    }
    if (names.length > 0) extraNames.set(service, names);
  }
  return { extraNames, renamed, findings };
}

/** Each name is one more Service: `container_name`, and aliases (under the networks' keys). */
export const NAME_KEYS: KeyRules = {
  container_name: translated(on('names')),
  'networks.*.aliases': translated(on('names'), {
    unless: (v) => (Array.isArray(v) && v.length === 0 ? 'empty: nothing to translate' : undefined),
  }),
};
