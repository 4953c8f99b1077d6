/**
 * Offline, strict validation of Kubernetes manifests: the 1.27 schema with unknown fields
 * rejected, what an API server checks beyond it, and references between the objects of a set.
 */
import { checkObject, newCheckContext } from './api-checks';
import type { ManifestInput, ManifestProblem } from './problems';
import { checkReferences } from './references';
import { validateSchema } from './schema';

export { formatProblem, type ManifestInput, type ManifestProblem } from './problems';
export { parseManifests, readManifestFiles, type ManifestRead } from './read';
export { validateSchema } from './schema';
export { isIanaServiceName } from './api-checks';

export interface ValidateOptions {
  /** Check that referenced ConfigMaps, Secrets, claims, Services... are in the set (default true). */
  readonly checkReferences?: boolean;
}

export function validateManifests(inputs: readonly ManifestInput[], options: ValidateOptions = {}): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const ctx = newCheckContext();
  for (const input of inputs) {
    const schema = validateSchema(input.object);
    problems.push(...schema.map((p) => ({ ...p, file: input.file })));
    problems.push(...checkObject(input.object, ctx).map((p) => ({ ...p, file: input.file })));
  }
  if (options.checkReferences ?? true) {
    for (const p of checkReferences(inputs.map((i) => i.object))) {
      const { index, ...rest } = p;
      problems.push({ ...rest, file: inputs[index]?.file });
    }
  }
  return problems;
}
