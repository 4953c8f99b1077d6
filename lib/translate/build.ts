/**
 * `build`: the image Compose would build. The manifests name it (`<project>-<service>` when
 * `image` is not given) and never pull it on local clusters; load-images.sh builds it with every
 * build option `docker compose build` passes (lib/targets/build-args.ts), and on a generic
 * cluster NOTES.md gives the build-and-push commands. What a target cannot pass is reported
 * per key when converting for it (buildFindings): minikube builds inside its node, which cannot
 * reach this machine's files, variables or SSH agent.
 */
import type { BuildConfig, ComposeProject, ComposeService } from '../compose/model';
import { childPath } from '../compose/parse';
import type { Target } from './container';
import { partial, type Finding } from './findings';
import { container, each, noEquivalent, part, stackFile, translated, type KeyRules } from './key-rules';

export const BUILD_KEYS: KeyRules = {
  build: translated([container('image'), container('imagePullPolicy')], {
    doc: 'the image name Compose gives a built service, never pulled on kind and minikube; load-images.sh builds it with every build option (minikube: see its findings)',
  }),
  // The build's own options change the image, not an object: load-images.sh passes each to the build.
  ...each(
    [
      'build.context',
      'build.dockerfile',
      'build.dockerfile_inline',
      'build.target',
      'build.args',
      'build.additional_contexts',
      'build.cache_from',
      'build.cache_to',
      'build.entitlements',
      'build.extra_hosts',
      'build.labels',
      'build.network',
      'build.no_cache',
      'build.no_cache_filter',
      'build.platforms',
      'build.privileged',
      'build.provenance',
      'build.pull',
      'build.sbom',
      'build.secrets',
      'build.shm_size',
      'build.ssh',
      'build.tags',
      'build.ulimits',
    ],
    stackFile('load-images.sh', 'passed to the image build (on --target generic, to the build commands of NOTES.md)'),
  ),
  // Nothing to carry, as under Compose: say so on the row, without a warning.
  'build.isolation': translated([], {
    unless: () => 'Windows container isolation: BuildKit ignores it, as docker compose build does',
  }),
  ...each(
    ['build.secrets[].uid', 'build.secrets[].gid', 'build.secrets[].mode'],
    noEquivalent(
      'docker compose build passes no owner or mode with a build secret either: set them on the RUN --mount',
    ),
  ),
  ...each(
    [
      'build.secrets[]',
      'build.secrets[].source',
      'build.secrets[].target',
      'build.ulimits.*',
      'build.ulimits.*.soft',
      'build.ulimits.*.hard',
    ],
    part,
  ),
};

/** A secret nobody can hand to a build: Compose passes only file and environment secrets. */
function unpassableSecrets(project: ComposeProject, build: BuildConfig): Finding[] {
  return build.secrets.flatMap((s, i): Finding[] => {
    const def = project.secrets[s.source];
    const key = `build.secrets[${i}]`;
    if (!def) return [partial(key, `no top-level secret ${s.source}: the build gets no such secret`)];
    if (def.external || (!def.file && !def.environment))
      return [
        partial(key, `secret ${s.source} is external: docker compose build passes nothing for it, nor does this build`),
      ];
    return [];
  });
}

const IN_NODE = 'minikube image build runs the build in the minikube node';

/** What the minikube node cannot reach; lib/targets/build-args.ts leaves exactly these out. */
export function minikubeBuildFindings(project: ComposeProject, build: BuildConfig): Finding[] {
  const findings: Finding[] = [];
  const passable = build.secrets.filter((s) => {
    const def = project.secrets[s.source];
    return def && !def.external && (def.file || def.environment);
  });
  if (passable.length > 0)
    findings.push(
      partial(
        'build.secrets',
        `${IN_NODE}, which cannot read this machine's secret files and variables: it builds without ${passable.map((s) => s.id).join(', ')} (build with docker compose build, then minikube image load)`,
      ),
    );
  if (build.ssh.length > 0)
    findings.push(partial('build.ssh', `${IN_NODE}, which has no SSH agent or keys of this machine to forward`));
  for (const [name, ref] of Object.entries(build.additionalContexts)) {
    if (ref.kind === 'path')
      findings.push(
        partial(
          childPath('build.additional_contexts', name),
          `${IN_NODE}, which cannot read a directory of this machine: the context is left out`,
        ),
      );
  }
  for (const key of ['cache_from', 'cache_to'] as const) {
    const list = key === 'cache_from' ? build.cacheFrom : build.cacheTo;
    list.forEach((entry, i) => {
      if (entry.split(',').includes('type=local'))
        findings.push(partial(`build.${key}[${i}]`, `${IN_NODE}: a local cache directory of this machine is left out`));
    });
  }
  if (build.network === 'host')
    findings.push(partial('build.network', `${IN_NODE}: host is the node's network there, not this machine's`));
  return findings;
}

/**
 * What converting for `target` leaves out of the build. kind and minikube run one platform: they
 * build the one `docker compose up` would, not the multi-platform image of `docker compose build`.
 */
export function buildFindings(project: ComposeProject, service: ComposeService, target: Target): Finding[] {
  const build = service.build;
  if (!build) return [];
  const findings = unpassableSecrets(project, build);
  if (target === 'generic') return findings;
  if (build.platforms.length > 1 && service.platform === undefined)
    findings.push(
      partial(
        'build.platforms',
        `the ${target} node runs one platform: load-images.sh builds the node's (as docker compose up does), not ${build.platforms.join(', ')}`,
      ),
    );
  return target === 'minikube' ? [...findings, ...minikubeBuildFindings(project, build)] : findings;
}
