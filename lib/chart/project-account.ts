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
function users(project: ComposeProject, kind: ElementKind, name: string): { active: boolean; inactive: string[] } {
  const active = Object.values(project.services).some((s) => {
    switch (kind) {
      case 'volumes':
        return s.volumes.some((v) => v.type === 'volume' && v.source === name);
      case 'networks':
        return name in s.networks;
      case 'secrets':
        return s.secrets.some((r) => r.source === name);
      default:
        return s.configs.some((r) => r.source === name);
    }
  });
  return { active, inactive: project.inactive.filter((s) => s.uses[kind].includes(name)).map((s) => s.name) };
}

export function inactiveReports(project: ComposeProject): InactiveReport[] {
  return project.inactive.map((s) => ({
    service: s.name,
    profiles: s.profiles,
    enableWith: `--profile ${s.profiles[0]}`,
    resources: ELEMENTS.flatMap((kind) =>
      s.uses[kind]
        .filter((n) => n in elementsOf(project, kind) && !users(project, kind, n).active)
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
    for (const name of Object.keys(elementsOf(project, kind))) {
      const { active, inactive } = users(project, kind, name);
      if (active) continue;
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
    locate: (key) => project.keys.find((k) => k.path === key)?.location,
  });
}
