/**
 * The account of the top level: what each key of `volumes`, `networks`, `secrets`, `configs`
 * (and `name`, `include`, `models`...) became, and the services that inactive profiles left out,
 * with the resources that went with them.
 */
import type { ComposeProject } from '../compose/model';
import { pathSegments } from '../compose/written-keys';
import { account, type KeyExplanation } from '../translate/account';
import { note, partial, type Finding } from '../translate/findings';
import { projectRule } from '../translate/registry';
import type { ComposeChart } from './compose-chart';
import { objectReader } from './service-account';

const ELEMENTS = ['volumes', 'networks', 'secrets', 'configs'] as const;
type ElementKind = (typeof ELEMENTS)[number];

/** A service left out by its profiles, and what it would have brought. */
export interface InactiveReport {
  readonly service: string;
  readonly profiles: readonly string[];
  /** `--profile <first>`: what enables it. */
  readonly enableWith: string;
  /** Top-level resources no enabled service uses that it does (`volumes.jobs-data`). */
  readonly resources: readonly string[];
}

/** Who uses each top-level element: enabled services, or only inactive ones. */
interface Usage {
  readonly active: ReadonlySet<string>;
  readonly inactive: ReadonlyMap<string, readonly string[]>;
}

/**
 * Every element's users, found in one pass over the services: asking per element was
 * elements x services (10^8 steps for a 10 000-service stack with a volume each).
 */
function usage(project: ComposeProject, kind: ElementKind): Usage {
  const active = new Set<string>();
  for (const s of Object.values(project.services)) {
    if (kind === 'volumes') for (const v of s.volumes) if (v.type === 'volume' && v.source) active.add(v.source);
    if (kind === 'networks') for (const n of Object.keys(s.networks)) active.add(n);
    if (kind === 'secrets') for (const r of s.secrets) active.add(r.source);
    if (kind === 'configs') for (const r of s.configs) active.add(r.source);
  }
  const inactive = new Map<string, string[]>();
  for (const s of project.inactive) for (const n of s.uses[kind]) inactive.set(n, [...(inactive.get(n) ?? []), s.name]);
  return { active, inactive };
}

export function inactiveReports(project: ComposeProject): InactiveReport[] {
  const used = new Map(ELEMENTS.map((kind) => [kind, usage(project, kind)]));
  return project.inactive.map((s) => ({
    service: s.name,
    profiles: s.profiles,
    enableWith: `--profile ${s.profiles[0]}`,
    resources: ELEMENTS.flatMap((kind) =>
      s.uses[kind]
        .filter((n) => n in elementsOf(project, kind) && !used.get(kind)?.active.has(n))
        .map((n) => `${kind}.${n}`),
    ),
  }));
}

function elementsOf(project: ComposeProject, kind: ElementKind): Readonly<Record<string, unknown>> {
  return project[kind];
}

/** Services whose build reads the secret (it is a build secret, not a pod's). */
function buildsUsing(project: ComposeProject, secret: string): string[] {
  return Object.values(project.services)
    .filter((s) => s.build?.secrets.some((r) => r.source === secret))
    .map((s) => s.name);
}

/** Notes for elements that nothing enabled uses: nothing is created for them, and why. */
function unusedElements(project: ComposeProject): Finding[] {
  const out: Finding[] = [];
  for (const kind of ELEMENTS) {
    const used = usage(project, kind);
    for (const name of Object.keys(elementsOf(project, kind))) {
      if (used.active.has(name)) continue;
      const inactive = used.inactive.get(name) ?? [];
      const profiles = project.inactive.filter((s) => inactive.includes(s.name)).flatMap((s) => s.profiles);
      const builds = kind === 'secrets' ? buildsUsing(project, name) : [];
      out.push(
        note(
          `${kind}.${name}`,
          inactive.length > 0
            ? `used only by ${inactive.join(', ')}, left out by inactive profiles: nothing is created (--profile ${profiles[0]} brings it in)`
            : builds.length > 0
              ? `used only to build images (build.secrets of ${builds.join(', ')}): handed to the build, no object is created for it`
              : 'no service uses it: nothing is created for it',
        ),
      );
    }
  }
  return out;
}

export function explainProject(chart: ComposeChart): KeyExplanation[] {
  const project = chart.project;
  const read = objectReader();
  // The first written place of each key, as a search of the list would find it.
  const locations = new Map<string, (typeof project.keys)[number]['location']>();
  for (const k of project.keys) if (!locations.has(k.path)) locations.set(k.path, k.location);
  const findings: Finding[] = [
    ...chart.diagnostics
      .filter((d) => d.service === undefined && d.severity === 'warning' && d.path !== undefined)
      .map((d) => partial(d.path as string, d.message)),
    ...unusedElements(project),
  ];
  return account({
    keys: project.keys,
    ruleOf: projectRule,
    findings,
    objects: (role, rowKey) => {
      if (role !== 'element') return [];
      const [kind, name] = pathSegments(rowKey);
      return chart.elementObjects(String(kind), String(name)).map(read);
    },
    locate: (key) => locations.get(key),
  });
}
