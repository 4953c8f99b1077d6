/**
 * `build`: the image Compose would build. The manifests name it (`<project>-<service>` when
 * `image` is not given) and never pull it on local clusters; load-images.sh builds it with the
 * context, Dockerfile, target and arguments. Build options `docker build` is not given there are
 * reported, since the image built would differ from the one Compose builds.
 */
import { container, each, noEquivalent, part, translated, type KeyRule, type KeyRules } from './key-rules';

const NOT_PASSED = (what: string): KeyRule =>
  noEquivalent(`${what}: load-images.sh does not pass it to the build; build the image with docker compose build`);

export const BUILD_KEYS: KeyRules = {
  build: translated([container('image'), container('imagePullPolicy')], {
    doc: 'the image name Compose gives a built service, never pulled on kind and minikube; load-images.sh builds it',
  }),
  ...each(['build.context', 'build.dockerfile', 'build.target', 'build.args'], part),
  'build.dockerfile_inline': NOT_PASSED('an inline Dockerfile'),
  'build.additional_contexts': NOT_PASSED('additional build contexts'),
  'build.cache_from': NOT_PASSED('cache sources'),
  'build.cache_to': NOT_PASSED('cache destinations'),
  'build.entitlements': NOT_PASSED('build entitlements'),
  'build.extra_hosts': NOT_PASSED('extra hosts of the build'),
  'build.isolation': NOT_PASSED('build isolation'),
  'build.labels': NOT_PASSED('image labels'),
  'build.network': NOT_PASSED('the build network'),
  'build.no_cache': NOT_PASSED('no_cache'),
  'build.no_cache_filter': NOT_PASSED('no_cache_filter'),
  'build.platforms': NOT_PASSED('build platforms'),
  'build.privileged': NOT_PASSED('a privileged build'),
  'build.provenance': NOT_PASSED('provenance attestations'),
  'build.pull': NOT_PASSED('pull'),
  'build.sbom': NOT_PASSED('SBOM attestations'),
  'build.secrets': NOT_PASSED('build secrets'),
  ...each(
    [
      'build.secrets[]',
      'build.secrets[].source',
      'build.secrets[].target',
      'build.secrets[].uid',
      'build.secrets[].gid',
      'build.secrets[].mode',
    ],
    part,
  ),
  'build.shm_size': NOT_PASSED('the build shm size'),
  'build.ssh': NOT_PASSED('SSH agent forwarding'),
  'build.tags': NOT_PASSED('extra tags'),
  'build.ulimits': NOT_PASSED('build ulimits'),
  ...each(['build.ulimits.*', 'build.ulimits.*.soft', 'build.ulimits.*.hard'], part),
};
