/**
 * The seed stacks' Compose files on their own, before any translation: each is valid against the
 * Compose specification, and every address a service is given (environment, command, the nginx
 * and Prometheus configs the stack mounts) names a service of the same stack on one of its ports,
 * as it must for the stack to work under `docker compose up`.
 */
import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot, stackDir } from '../../charts/paths';
import { findAddresses } from '../support/references';

const STACKS = ['dynoai', 'inpactai', 'wildid', 'story-12-1', 'carbon-nexus'];

/** Config files a stack mounts into a service, relative to the stack folder. */
const MOUNTED_CONFIGS: Readonly<Record<string, readonly string[]>> = {
  dynoai: ['frontend/nginx.conf'],
  'story-12-1': ['nginx/nginx.conf'],
  'carbon-nexus': ['prometheus.yml'],
};

type Json = Record<string, unknown>;
type Text = { where: string; value: string };

function composeFiles(stack: string): string[] {
  return readdirSync(stackDir(stack))
    .filter((f) => /^compose(\.[a-z]+)?\.yaml$/.test(f))
    .sort();
}

const RESET = Symbol('!reset');

/** Drops `!reset` keys, as the merge does: what is left is a file Compose validates. */
function withoutResets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutResets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== RESET)
      .map(([k, v]) => [k, withoutResets(v)]),
  );
}

function readCompose(stack: string, file: string): Json {
  const text = readFileSync(join(stackDir(stack), file), 'utf8');
  // Compose's merge tag: `!reset` removes what earlier files set.
  return withoutResets(parse(text, { merge: true, customTags: [{ tag: '!reset', resolve: () => RESET }] })) as Json;
}

const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'compose-spec.json'), 'utf8')) as Json;
// The schema declares draft-07 by URL; ajv's default meta-schema is the same draft.
const validateCompose = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);

/** Container ports of a `ports:` or `expose:` entry: "8080:80/udp" -> 80, { target: 80 } -> 80. */
function containerPort(entry: unknown): number | undefined {
  if (typeof entry === 'number') return entry;
  if (typeof entry === 'string') return Number(entry.split('/')[0].split(':').pop());
  const target = (entry as Json | null)?.target;
  return typeof target === 'number' ? target : undefined;
}

/** Every service of the stack (all files merged by name) -> the container ports it listens on. */
function stackPorts(stack: string): Map<string, Set<number>> {
  const ports = new Map<string, Set<number>>();
  for (const file of composeFiles(stack)) {
    for (const [name, raw] of Object.entries((readCompose(stack, file).services ?? {}) as Json)) {
      const service = raw as Json;
      const own = ports.get(name) ?? new Set<number>();
      for (const entry of [...((service.ports as unknown[]) ?? []), ...((service.expose as unknown[]) ?? [])]) {
        const port = containerPort(entry);
        if (port !== undefined) own.add(port);
      }
      ports.set(name, own);
    }
  }
  return ports;
}

/** `${VAR:-default}` -> default, other `${...}` -> a stand-in: only the address matters here, as Compose sees it without variables set. */
function withoutInterpolation(value: string): string {
  return value.replace(
    /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?[^}]*\}/g,
    (_m, fallback?: string) => fallback ?? 'interpolated',
  );
}

function environmentValues(service: Json): string[] {
  const env = service.environment;
  const values = Array.isArray(env) ? env.map(String) : Object.values((env ?? {}) as Json).map(String);
  return values.map(withoutInterpolation);
}

/** Texts that carry addresses: each service's environment and command, and the mounted configs. */
function addressTexts(stack: string): Text[] {
  const texts: Text[] = [];
  for (const file of composeFiles(stack)) {
    for (const [name, raw] of Object.entries((readCompose(stack, file).services ?? {}) as Json)) {
      const service = raw as Json;
      const command = Array.isArray(service.command) ? service.command.join(' ') : String(service.command ?? '');
      for (const value of [...environmentValues(service), command]) texts.push({ where: `${file} ${name}`, value });
    }
  }
  for (const config of MOUNTED_CONFIGS[stack] ?? []) {
    texts.push({ where: config, value: readFileSync(join(stackDir(stack), config), 'utf8') });
  }
  return texts;
}

function findStackAddressProblems(texts: readonly Text[], ports: ReadonlyMap<string, ReadonlySet<number>>): string[] {
  const problems: string[] = [];
  for (const { where, value } of texts) {
    for (const ref of findAddresses(value)) {
      // Loopback: the JetDrive api reaches Redis's published port from the host network.
      if (ref.host.includes('.') || ref.host === 'localhost') continue;
      if (!ports.get(ref.host)?.has(ref.port)) problems.push(`${where}: ${ref.raw}`);
    }
  }
  return problems;
}

describe.each(STACKS)('%s', (stack) => {
  test.each(composeFiles(stack))('%s is valid against the Compose specification', (file) => {
    const valid = validateCompose(readCompose(stack, file));
    expect(valid ? [] : validateCompose.errors).toEqual([]);
  });

  test('every service address names a service of the stack and one of its ports', () => {
    expect(findStackAddressProblems(addressTexts(stack), stackPorts(stack))).toEqual([]);
  });
});

test('an address to a missing service or port is reported', () => {
  const ports = new Map([['backend', new Set([8000])]]);
  const texts = [{ where: 'nginx.conf', value: 'server backend:8001; server api:8000; server backend:8000;' }];
  expect(findStackAddressProblems(texts, ports)).toEqual(['nginx.conf: backend:8001', 'nginx.conf: api:8000']);
});

test('the check sees the proxy upstreams', () => {
  const upstreams = findAddresses(readFileSync(join(stackDir('story-12-1'), 'nginx/nginx.conf'), 'utf8'));
  expect(new Set(upstreams.map((a) => `${a.host}:${a.port}`))).toEqual(new Set(['frontend:5173', 'backend:8000']));
  expect(stackPorts('story-12-1').get('backend')).toEqual(new Set([8000]));
});
