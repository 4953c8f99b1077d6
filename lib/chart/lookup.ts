/**
 * Accessors of generated objects take Compose names; a wrong name is a programming error in the
 * user's app, so it throws, naming the valid choices instead of leaving the user to guess.
 */
export function lookup<T>(objects: ReadonlyMap<string, T>, name: string, what: string, where: string): T {
  const found = objects.get(name);
  if (found !== undefined) return found;
  const valid = [...objects.keys()].sort();
  throw new Error(
    `no ${what} "${name}" in ${where}; ${valid.length > 0 ? `valid names: ${valid.join(', ')}` : `it has none`}`,
  );
}
