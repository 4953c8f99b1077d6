/** The closing summary of `convert`: what was written, per kind, and what did not translate, per service. */
import type { Diagnostic } from '../compose/diagnostics';
import { isManifestObject } from '../output/render';
import type { ComposeChart } from '../chart/compose-chart';
import type { BindReport } from '../translate/volumes';
import type { Style } from './io';
import { isLost, type KeyExplanation } from '../translate/account';
import { inactiveReports, type InactiveReport } from '../chart/project-account';
import type { ComposeProject } from '../compose/model';
import { localImages } from '../targets/image-builds';
import { imageCount, imageList } from '../targets/plan';
import { imageOf } from '../translate/container';

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

export interface ServiceBind {
  readonly service: string;
  readonly bind: BindReport;
}

export function bindMountsOf(chart: ComposeChart): ServiceBind[] {
  return [...chart.services.values()]
    .sort((a, b) => a.serviceName.localeCompare(b.serviceName))
    .flatMap((s) => s.bindMounts.map((bind) => ({ service: s.serviceName, bind })));
}

/**
 * The images the stack builds, each distinct build once as load-images.sh builds them:
 * `2 images for 4 services (api; one for beat, web, worker)`; undefined when nothing is built.
 */
export function builtImages(project: ComposeProject): string | undefined {
  const images = localImages(project, project.workingDir, (name) => imageOf(project, project.services[name]));
  return images.length === 0 ? undefined : `${imageCount(images)} (${imageList(images)})`;
}

/** One line per bind mount: what it is, why, and what it became, so nothing about the host goes unseen. */
export function bindMountLines(binds: readonly ServiceBind[], style: Style): string[] {
  if (binds.length === 0) return [];
  return [
    'bind mounts:',
    ...binds.map(
      ({ service, bind }) =>
        `  ${service}: ${bind.hostPath} -> ${bind.target}: ${bind.credentials ? style.yellow(bind.class) : bind.class} (${bind.reason}): ${bind.becomes}`,
    ),
  ];
}

/** What the account says about the whole stack: every key's status, and what profiles left out. */
export interface StackAccount {
  readonly keys: readonly KeyExplanation[];
  readonly inactive: readonly InactiveReport[];
}

export function stackAccount(chart: ComposeChart): StackAccount {
  return {
    keys: [
      ...[...chart.services.values()].flatMap((s) => s.explanations),
      ...chart.providers.flatMap((p) => p.keys),
      ...chart.projectExplanations,
    ],
    inactive: inactiveReports(chart.project),
  };
}

/** The account's verdict: "every key translated" only when the account says so, key by key. */
function accountLines(diagnostics: readonly Diagnostic[], account: StackAccount, style: Style): string[] {
  const lines: string[] = [];
  const warnings = warningsByService(diagnostics);
  const partial = account.keys.filter((k) => k.status === 'partial').length;
  const dropped = account.keys.filter((k) => k.status === 'dropped').length;
  if (warnings.size > 0) {
    lines.push(style.yellow('warnings') + ' (see above):');
    for (const [service, n] of warnings) lines.push(`  ${service.padEnd(24)} ${n}`);
  }
  for (const k of account.keys.filter(isLost)) lines.push(`  ${style.red('lost')}: ${k.key}: ${k.note ?? ''}`);
  if (account.inactive.length > 0) {
    lines.push('left out by inactive profiles:');
    for (const i of account.inactive)
      lines.push(
        `  ${i.service.padEnd(24)} ${i.enableWith}${i.resources.length > 0 ? ` (with ${i.resources.join(', ')})` : ''}`,
      );
  }
  if (partial + dropped > 0)
    lines.push(`${partial} keys partly translated, ${dropped} dropped: compose-cdk8s explain says why`);
  else if (warnings.size === 0) lines.push('no warnings: every Compose key was translated');
  return lines;
}

export function summarize(
  objects: readonly unknown[],
  diagnostics: readonly Diagnostic[],
  outDir: string | undefined,
  style: Style,
  chart: ComposeChart,
): string {
  const kinds = countByKind(objects);
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  const lines = [style.bold(`${total} objects`) + (outDir ? ` written to ${outDir}` : '') + ':'];
  for (const [kind, n] of kinds) lines.push(`  ${kind.padEnd(24)} ${n}`);
  lines.push(...bindMountLines(bindMountsOf(chart), style));
  lines.push(...accountLines(diagnostics, stackAccount(chart), style));
  return lines.join('\n') + '\n';
}
