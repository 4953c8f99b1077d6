/**
 * compose-go's consistency checks (loader/validate.go, validation/) that need the merged document
 * as written, before normalization folds one spelling into another: settings docker compose
 * refuses together, and references the model does not keep. Each one is an error, as there.
 */
import { isRecord } from './merge';
import { childPath } from './parse';
import type { Report } from './semantic';
import { parseByteSize } from './units';

type Json = Record<string, unknown>;

const isSet = (v: unknown) => v !== undefined && v !== null;

function number(value: unknown, parse: (v: string | number) => number | undefined): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parse(value) : undefined;
}

const cpus = (v: string | number) => (typeof v === 'number' ? v : Number(v));

/** A legacy key and its `deploy` twin: docker compose refuses two different values. */
const TWINS: readonly {
  readonly key: string;
  readonly deploy: readonly string[];
  readonly parse: (v: string | number) => number | undefined;
}[] = [
  { key: 'scale', deploy: ['replicas'], parse: cpus },
  { key: 'cpus', deploy: ['resources', 'limits', 'cpus'], parse: cpus },
  { key: 'mem_limit', deploy: ['resources', 'limits', 'memory'], parse: parseByteSize },
  { key: 'mem_reservation', deploy: ['resources', 'reservations', 'memory'], parse: parseByteSize },
  { key: 'pids_limit', deploy: ['resources', 'limits', 'pids'], parse: cpus },
];

function at(value: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), value);
}

function checkTwins(raw: Json, p: string, report: Report): void {
  for (const twin of TWINS) {
    const legacy = number(raw[twin.key], twin.parse);
    const deploy = number(at(raw.deploy, twin.deploy), twin.parse);
    if (legacy === undefined || deploy === undefined || legacy === deploy) continue;
    report(
      childPath(p, twin.key),
      `${twin.key} and deploy.${twin.deploy.join('.')} set different values: docker compose refuses it; keep one`,
      'conflicting-keys',
    );
  }
}

function checkBuild(raw: Json, p: string, services: Json, secrets: Json, report: Report): void {
  const build = raw.build;
  if (!isRecord(build)) return;
  const bp = childPath(p, 'build');
  if (isSet(build.dockerfile) && isSet(build.dockerfile_inline)) {
    report(
      childPath(bp, 'dockerfile_inline'),
      'dockerfile and dockerfile_inline are mutually exclusive',
      'conflicting-keys',
    );
  }
  const platforms = Array.isArray(build.platforms) ? build.platforms : [];
  if (typeof raw.platform === 'string' && platforms.length > 0 && !platforms.includes(raw.platform)) {
    report(
      childPath(bp, 'platforms'),
      `build.platforms must include the service platform "${raw.platform}"`,
      'invalid-build',
    );
  }
  const contexts = isRecord(build.additional_contexts) ? build.additional_contexts : {};
  for (const [name, context] of Object.entries(contexts)) {
    const target = typeof context === 'string' && context.startsWith('service:') ? context.slice(8) : undefined;
    if (target === undefined) continue;
    const problem = !isRecord(services[target])
      ? 'an unknown service'
      : !isSet(services[target].build)
        ? 'a service with no build'
        : undefined;
    if (problem)
      report(
        childPath(childPath(bp, 'additional_contexts'), name),
        `additional context "${name}" is ${problem} ("${target}")`,
        'undefined-service',
      );
  }
  const used = Array.isArray(build.secrets) ? build.secrets : [];
  used.forEach((s, i) => {
    const source = isRecord(s) ? s.source : s;
    if (typeof source === 'string' && !isRecord(secrets[source]) && !(source in secrets)) {
      report(
        childPath(childPath(bp, 'secrets'), i),
        `secret "${source}" is not defined in the top-level secrets`,
        'undefined-secret',
      );
    }
  });
}

function checkWatch(raw: Json, p: string, report: Report): void {
  const watch = isRecord(raw.develop) && Array.isArray(raw.develop.watch) ? raw.develop.watch : [];
  watch.forEach((w, i) => {
    if (!isRecord(w) || isSet(w.target) || w.action === 'rebuild' || w.action === 'restart') return;
    report(
      childPath(childPath(childPath(p, 'develop'), 'watch'), i),
      'target is required for non-rebuild actions',
      'invalid-develop',
    );
  });
}

/** One enabled service, as merged. */
export function checkServiceConsistency(name: string, raw: Json, merged: Json, report: Report): void {
  const p = childPath('services', name);
  const networks = raw.networks;
  const hasNetworks = Array.isArray(networks)
    ? networks.length > 0
    : isRecord(networks) && Object.keys(networks).length > 0;
  if (isSet(raw.network_mode) && hasNetworks) {
    report(childPath(p, 'networks'), 'network_mode and networks are mutually exclusive', 'conflicting-keys');
  }
  checkTwins(raw, p, report);
  const services = isRecord(merged.services) ? merged.services : {};
  checkBuild(raw, p, services, isRecord(merged.secrets) ? merged.secrets : {}, report);
  checkWatch(raw, p, report);
}

function definitions(section: unknown): [string, Json][] {
  return isRecord(section)
    ? Object.entries(section).flatMap(([k, v]) => (isRecord(v) ? [[k, v] as [string, Json]] : []))
    : [];
}

/** Top-level resources: an external volume has nothing else to say; a secret or config has one source. */
export function checkResourceConsistency(merged: Json, report: Report): void {
  for (const [name, volume] of definitions(merged.volumes)) {
    // Interpolated values arrive as text: compose-go casts `external: ${EXT}` to a boolean.
    if (volume.external !== true && volume.external !== 'true') continue;
    const other = Object.keys(volume).find((k) => k !== 'name' && k !== 'external' && !k.startsWith('x-'));
    if (other)
      report(
        childPath(childPath('volumes', name), other),
        `conflicting parameters "external" and "${other}" specified`,
        'conflicting-keys',
      );
  }
  for (const kind of ['secrets', 'configs'] as const) {
    const sources = kind === 'secrets' ? ['file', 'environment'] : ['file', 'environment', 'content'];
    for (const [name, definition] of definitions(merged[kind])) {
      const given = sources.filter((s) => s in definition);
      if (given.length < 2) continue;
      report(
        childPath(childPath(kind, name), given[1]),
        `${sources.join('|')} attributes are mutually exclusive`,
        'conflicting-keys',
      );
    }
  }
}
