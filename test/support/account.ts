/**
 * The account's promise, checked on a whole chart: every key each service and the top level set
 * is translated, or reported with a warning at the key (or under it) with a file:line:col; and no
 * key that the registry says is translated left nothing in the output.
 */
import type { ComposeChart } from '../../lib/chart/compose-chart';
import { childPath } from '../../lib/compose/parse';
import type { Diagnostic } from '../../lib/compose/diagnostics';
import { isLost, isUnder, type KeyExplanation } from '../../lib/translate/account';

function unreported(rows: readonly KeyExplanation[], base: string, warnings: readonly Diagnostic[]): string[] {
  return rows.flatMap((row) => {
    if (isLost(row)) return [`${childPath(base, row.key)}: ${row.note}`];
    if (row.status === 'translated') return [];
    const full = base ? `${base}.${row.key}` : row.key;
    const warned = warnings.some((d) => d.path !== undefined && d.location !== undefined && isUnder(d.path, full));
    return warned ? [] : [`${full}: ${row.status} with no warning at the key (${row.note ?? 'no note'})`];
  });
}

export function accountProblems(chart: ComposeChart, loadDiagnostics: readonly Diagnostic[] = []): string[] {
  const warnings = [...loadDiagnostics, ...chart.diagnostics].filter((d) => d.severity === 'warning');
  return [
    ...[...chart.services.values()].flatMap((s) =>
      unreported(s.explanations, childPath('services', s.serviceName), warnings),
    ),
    ...unreported(chart.projectExplanations, '', warnings),
  ];
}
