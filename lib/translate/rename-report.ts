/**
 * What the user is told about a renamed name: where the stack connects to it (rewritten to the
 * new name), where the same word means something else (left as written, with the reason), and
 * what cannot be seen from here (a host name built into an image's defaults).
 */
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeProject } from '../compose/model';
import { renamedExtraNameMessage, type DnsNamePlan } from './dns-names';
import { note, partial, type Finding } from './findings';
import type { HostRename } from './host-references';
import { dnsLabel } from './names';
import { formatSiteLocation, type ReferenceSite, type RenamedReferences } from './renamed-references';

/** How many places a warning lists; explain has them all, each under its key. */
const LISTED = 8;

const place = (s: ReferenceSite): string =>
  `${s.at ? `${formatSiteLocation(s.at)} ` : ''}(${s.what}${s.kept ? `: ${s.kept}` : ''})`;

function listed(sites: readonly ReferenceSite[]): string {
  const shown = sites.slice(0, LISTED).map(place);
  const more = sites.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more (explain lists each under its key)` : shown.join(', ');
}

const sitesOf = (rename: HostRename, sites: readonly ReferenceSite[]) =>
  sites.filter((s) => s.rename.from === rename.from && s.rename.to === rename.to);

/**
 * Services that wait for `service` (depends_on) yet name it nowhere this tool reads: they reach
 * it by a name their image holds, which nothing here can see or rewrite.
 */
function blindDependents(project: ComposeProject, service: string, sites: readonly ReferenceSite[]): string[] {
  return Object.values(project.services)
    .filter((s) => s.name !== service && s.dependsOn[service] !== undefined)
    .filter((s) => !sites.some((site) => site.kept === undefined && site.users.some((u) => u.service === s.name)))
    .map((s) => s.name);
}

/**
 * The end of the warning about a rename: the places rewritten, the places kept, and for a renamed
 * service what its dependents' images may still say. Empty when the names differ only in case
 * (DNS ignores case) and the stack uses neither.
 */
export function renameReferences(
  rename: HostRename,
  sites: readonly ReferenceSite[],
  renamedService?: { readonly project: ComposeProject; readonly service: string },
): string {
  if (rename.from.toLowerCase() === rename.to) return '';
  const own = sitesOf(rename, sites);
  const rewritten = own.filter((s) => s.kept === undefined);
  const kept = own.filter((s) => s.kept !== undefined);
  const parts: string[] = [];
  if (rewritten.length > 0)
    parts.push(`where the stack connects to "${rename.from}" it now says "${rename.to}": ${listed(rewritten)}`);
  if (kept.length > 0) parts.push(`"${rename.from}" left as written where it is not a host name: ${listed(kept)}`);
  if (renamedService) {
    const blind = blindDependents(renamedService.project, renamedService.service, own);
    parts.push(
      blind.length === 0
        ? 'names inside images (their default settings) cannot be seen from here and are not rewritten'
        : `${blind.join(', ')} ${blind.length > 1 ? 'depend' : 'depends'} on it but ${
            blind.length > 1 ? 'name' : 'names'
          } it in no variable, command or mounted file: ${
            blind.length > 1 ? "their images' own defaults" : "its image's own defaults"
          } cannot be seen from here and are not rewritten; if they connect to "${
            rename.from
          }", set the variable the image reads the host from in environment, with "${rename.to}"`,
    );
  }
  return parts.map((p) => `; ${p}`).join('');
}

/** Per service, a note on each key holding a renamed name: what became of it, and where it is. */
export function referenceFindings(sites: readonly ReferenceSite[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const site of sites) {
    const at = site.at ? ` (${formatSiteLocation(site.at)})` : '';
    const message =
      site.kept === undefined
        ? `"${site.rename.from}" is a host name here${at}: written "${site.rename.to}", the name its Service has`
        : `"${site.rename.from}" left as written${at}: ${site.kept}`;
    for (const user of site.users) out.set(user.service, [...(out.get(user.service) ?? []), note(user.key, message)]);
  }
  return out;
}

/** The warning about a renamed service, with where the stack uses its old name. */
export function withReferences(d: Diagnostic, project: ComposeProject, renamed: RenamedReferences): Diagnostic {
  if (d.code !== 'renamed-service' || d.service === undefined) return d;
  const rename = { from: d.service, to: dnsLabel(d.service) };
  return { ...d, message: d.message + renameReferences(rename, renamed.sites, { project, service: d.service }) };
}

/** The warning about each renamed `container_name` or alias of a service, with where the stack uses it. */
export function renamedExtraNames(plan: DnsNamePlan, service: string, renamed: RenamedReferences): Finding[] {
  return plan.renamed
    .filter((r) => r.service === service)
    .map((r) => partial(r.key, renamedExtraNameMessage(r, renameReferences(r, renamed.sites))));
}
