/**
 * Every synthesis test ends here: the objects must pass the strict Kubernetes 1.27 validation
 * (unknown fields rejected) and the API-server checks, exactly as `compose-cdk8s validate` runs them.
 */
import { formatProblem, validateManifests } from '../../lib/validate';

export function expectValidManifests(manifests: readonly unknown[], options: { checkReferences?: boolean } = {}): void {
  const problems = validateManifests(
    manifests.map((object) => ({ object })),
    options,
  ).filter((p) => p.severity === 'error');
  if (problems.length > 0) {
    throw new Error(`${problems.length} invalid manifest field(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}
