/**
 * `provider` services: Compose does not run a container for them; it asks a provider plugin
 * (Docker Model Runner for `type: model`) to set something up, waits for it, and passes what it
 * reports to the services that depend on it as variables (`LLM_URL`, `LLM_MODEL` for a service
 * `llm`). A cluster has no such plugin, so the stack is translated without them: no workload, no
 * Service, no wait in their dependents, each said where it is written.
 */
import type { SourceLocation } from '../compose/diagnostics';
import type { ComposeProject, ComposeService } from '../compose/model';
import { childPath } from '../compose/parse';
import type { KeyExplanation } from './account';
import { dropped, type Finding } from './findings';

/** A provider service, as the account reports it: every key it sets, none run. */
export interface ProviderService {
  readonly service: string;
  readonly type: string;
  readonly location?: SourceLocation;
  readonly keys: readonly KeyExplanation[];
}

/** Compose's variable prefix for a provider service: its name upper-cased, `-` as `_`. */
export const providerPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

export function providerReason(service: ComposeService): string {
  const type = service.provider?.type ?? '';
  const plugin = type === 'model' ? 'Docker Model Runner' : `the ${type} provider plugin`;
  return `Compose has ${plugin} set it up instead of running a container; the cluster runs no such provider, so nothing is created (run the equivalent in the cluster and set its address in the dependent services' environment)`;
}

function providerRows(service: ComposeService): KeyExplanation[] {
  return service.keys
    .filter((k) => k.path === 'provider' || !k.path.startsWith('provider'))
    .map((k) => ({
      key: k.path,
      status: 'dropped' as const,
      objects: [],
      fields: [],
      becomes: [],
      note:
        k.path === 'provider' ? providerReason(service) : `part of provider service ${service.name}, which is not run`,
      ...(k.location ? { location: k.location } : {}),
    }));
}

/** The project the cluster runs: provider services left out, and the dependencies on them. */
export function withoutProviders(project: ComposeProject): {
  readonly project: ComposeProject;
  readonly providers: readonly ProviderService[];
  /** Per dependent service: its `depends_on` entries on a provider service, reported. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
} {
  const providerServices = Object.values(project.services).filter((s) => s.provider !== undefined);
  if (providerServices.length === 0) return { project, providers: [], findings: new Map() };
  const names = new Set(providerServices.map((s) => s.name));
  const findings = new Map<string, Finding[]>();
  const services: Record<string, ComposeService> = {};
  for (const service of Object.values(project.services)) {
    if (names.has(service.name)) continue;
    const onProviders = Object.keys(service.dependsOn).filter((d) => names.has(d));
    if (onProviders.length === 0) {
      services[service.name] = service;
      continue;
    }
    findings.set(
      service.name,
      onProviders.map((d) =>
        dropped(
          childPath('depends_on', d),
          `${d} is a provider service, which the cluster does not run: nothing to wait for, and the variables its provider would set here (${providerPrefix(d)}_URL, ${providerPrefix(d)}_MODEL for a model) are not set`,
        ),
      ),
    );
    services[service.name] = {
      ...service,
      dependsOn: Object.fromEntries(Object.entries(service.dependsOn).filter(([d]) => !names.has(d))),
    };
  }
  return {
    project: { ...project, services },
    providers: providerServices.map((s) => ({
      service: s.name,
      type: s.provider?.type ?? '',
      ...(s.location ? { location: s.location } : {}),
      keys: providerRows(s),
    })),
    findings,
  };
}
