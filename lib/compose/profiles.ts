/**
 * Services left out because none of their profiles is enabled, and the resources they name: the
 * account lists them with the `--profile` that would bring them in, so that a service missing from
 * the output is never a surprise.
 */
import type { SourceLocation } from './diagnostics';
import { isRecord } from './merge';

export interface InactiveService {
  readonly name: string;
  /** Its profiles: any one of them enables it. */
  readonly profiles: readonly string[];
  readonly location?: SourceLocation;
  /** The top-level resources it names, which stay out with it when no enabled service uses them. */
  readonly uses: {
    readonly volumes: readonly string[];
    readonly networks: readonly string[];
    readonly secrets: readonly string[];
    readonly configs: readonly string[];
  };
}

/** Whether a service with `profiles` runs when `enabled` are: no profile, `*`, or one in common. */
export function isActive(profiles: readonly string[], enabled: readonly string[]): boolean {
  return profiles.length === 0 || enabled.includes('*') || profiles.some((p) => enabled.includes(p));
}

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => String(v)) : isRecord(value) ? Object.keys(value) : [];

const sources = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap((v) =>
        typeof v === 'string' ? [v] : isRecord(v) && typeof v.source === 'string' ? [v.source] : [],
      )
    : [];

/** Named volumes of a service's `volumes` (short `name:/path` and long `type: volume`). */
function namedVolumes(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    if (typeof v === 'string') {
      const source = v.split(':')[0];
      return v.includes(':') && !/^[./~]/.test(source) && !/^[A-Za-z]$/.test(source) ? [source] : [];
    }
    return isRecord(v) && (v.type ?? 'volume') === 'volume' && typeof v.source === 'string' ? [v.source] : [];
  });
}

export function inactiveService(
  name: string,
  raw: Record<string, unknown>,
  profiles: readonly string[],
  location?: SourceLocation,
): InactiveService {
  return {
    name,
    profiles,
    ...(location ? { location } : {}),
    uses: {
      volumes: namedVolumes(raw.volumes),
      networks: names(raw.networks),
      secrets: sources(raw.secrets),
      configs: sources(raw.configs),
    },
  };
}
