/** The closing summary of `convert`: what was written, per kind, and what did not translate, per service. */
import type { Diagnostic } from '../compose/diagnostics';
import { isManifestObject } from '../output/render';
import type { Style } from './io';

export function countByKind(objects: readonly unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of objects) {
    if (!isManifestObject(o)) continue;
    counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function warningsByService(diagnostics: readonly Diagnostic[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of diagnostics) {
    if (d.severity !== 'warning') continue;
    const key = d.service ?? '(project)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function summarize(
  objects: readonly unknown[],
  diagnostics: readonly Diagnostic[],
  outDir: string | undefined,
  style: Style,
): string {
  const kinds = countByKind(objects);
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  const lines = [style.bold(`${total} objects`) + (outDir ? ` written to ${outDir}` : '') + ':'];
  for (const [kind, n] of kinds) lines.push(`  ${kind.padEnd(24)} ${n}`);
  const warnings = warningsByService(diagnostics);
  if (warnings.size > 0) {
    lines.push(style.yellow('warnings') + ' (see above):');
    for (const [service, n] of warnings) lines.push(`  ${service.padEnd(24)} ${n}`);
  } else {
    lines.push('no warnings: every Compose key was translated');
  }
  return lines.join('\n') + '\n';
}
