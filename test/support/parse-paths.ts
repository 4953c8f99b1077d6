/** What a parse gives, in a form two parses can be compared by (the fast YAML path against the yaml package's). */
import type { ParseResult } from '../../lib/compose/parse';

export const comparableParse = (r: ParseResult) =>
  r.ok
    ? r.documents.map((d) => ({
        value: d.value,
        locations: [...d.locations].sort(([a], [b]) => a.localeCompare(b)),
        valueLocations: [...d.valueLocations].sort(([a], [b]) => a.localeCompare(b)),
        resets: [...d.resets],
        overrides: [...d.overrides],
      }))
    : r.diagnostics;
