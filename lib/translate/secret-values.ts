/**
 * Which variables go to a Secret. A false positive only costs readability (the value is one
 * `kubectl get secret` away); a false negative writes a password into a ConfigMap or a pod spec.
 * So a value is secret when its name has a secret-sounding word in any position or spelling
 * (`PG_PASS`, `_APP_OPENSSL_KEY_V1`, `dbPassword`), when it is a URL or connection string with a
 * password in it, or when the same value went to a Secret anywhere else in the project (a
 * `DATABASE_PASS` repeated as `PGPASSWORD` or as a bare `DB_CREDS`). `x-k8s.env.secret` and
 * `x-k8s.env.plain` decide for a service's own keys when the rules cannot.
 */
import type { ComposeProject, ComposeService } from '../compose/model';

/** Words that make a name secret wherever they stand between separators (`PG_PASS`, `REDIS_AUTH`). */
const SECRET_WORDS = new Set([
  'PASS',
  'PASSWD',
  'PWD',
  'PASSWORD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'AUTH',
  'SALT',
  'KEY',
  'KEYS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'PRIVATE',
  'DSN',
  'JWT',
  'COOKIE',
  'SIGNING',
  'HMAC',
  'PEPPER',
  'NONCE',
  'OTP',
  'TOTP',
  'PIN',
]);

/** Fragments that make a name secret even inside a word (`DBPASSWORD`, `APISECRET`, `GHTOKEN`). */
const SECRET_FRAGMENTS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIAL', 'PRIVATEKEY', 'APIKEY'];

/** `scheme://user:password@host` and `redis://:password@cache`. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;
/** `Server=db;Password=...` (ADO.NET), `host=db password=...` (libpq), `...?password=...` (JDBC). */
const CONNECTION_STRING_PASSWORD = /(^|[\s;?&])(password|pwd|pass)=[^\s;&]+/i;

/** `POSTGRES_PASSWORD_FILE=/run/secrets/db_password`: the image reads the secret from that path; the path is not one. */
const FILE_REFERENCE = /_FILE$/i;
const PATH_VALUE = /^(\/|\.\.?\/)[^\s]*$/;

/** Values no one keeps secret: equal to a secret, they are still not one (`true`, `8`, `localhost`). */
const PLAIN_VALUES = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'null',
  'none',
  'localhost',
  '127.0.0.1',
  '::1',
]);
export const isPlainValue = (value: string): boolean =>
  value.length < 4 || PLAIN_VALUES.has(value.toLowerCase()) || /^\d{1,5}$/.test(value);

/** `_APP_OPENSSL_KEY_V1` -> APP, OPENSSL, KEY, V1; `dbPassword` -> DB, PASSWORD. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** The word or fragment that makes a variable's name secret, if any. */
export function secretNameWord(name: string): string | undefined {
  const words = nameWords(name);
  const word = words.find((w) => SECRET_WORDS.has(w));
  if (word !== undefined) return word;
  const joined = words.join('');
  return SECRET_FRAGMENTS.find((f) => joined.includes(f));
}

/** Why a value is secret by itself: a URL or connection string that carries a password. */
export function secretValueKind(value: string): string | undefined {
  if (CREDENTIAL_URL.test(value)) return 'a URL with a password';
  if (CONNECTION_STRING_PASSWORD.test(value)) return 'a connection string with a password';
  return undefined;
}

/** Where a variable goes, and why (explain shows the reason). */
export interface Classification {
  readonly secret: boolean;
  readonly why: string;
}

/** Secret by its own name or value, the project aside. */
function ownClassification(name: string, value: string): Classification | undefined {
  if (FILE_REFERENCE.test(name) && PATH_VALUE.test(value)) return undefined;
  const word = secretNameWord(name);
  if (word !== undefined) return { secret: true, why: `its name has ${word}` };
  const kind = secretValueKind(value);
  return kind !== undefined ? { secret: true, why: `its value is ${kind}` } : undefined;
}

/** Every variable a service sets, from all its sources: what the project-wide rule compares. */
function variables(service: ComposeService): [string, string][] {
  return [
    ...service.envFiles.flatMap((f) => Object.entries(f.values)),
    ...Object.entries(service.environment),
    ...service.preStart.flatMap((h) => Object.entries(h.environment)),
    ...service.postStart.flatMap((h) => Object.entries(h.environment)),
    ...service.preStop.flatMap((h) => Object.entries(h.environment)),
  ];
}

export interface SecretValues {
  /** Where a service's variable goes: its `x-k8s.env` first, then its name and value, then the project. */
  classify(service: ComposeService, name: string, value: string): Classification;
  /** Every value that goes to a Secret somewhere in the project (for checks that none leaks elsewhere). */
  readonly values: ReadonlySet<string>;
}

/** The project's secret values: what any service keeps secret is secret for all. */
export function secretValues(project: ComposeProject): SecretValues {
  const byValue = new Map<string, string>();
  const note = (value: string, where: string) => {
    if (!isPlainValue(value) && !byValue.has(value)) byValue.set(value, where);
  };
  for (const service of Object.values(project.services)) {
    const forced = new Set(service.k8s.env?.secret ?? []);
    const plain = new Set(service.k8s.env?.plain ?? []);
    for (const [name, value] of variables(service)) {
      if (plain.has(name)) continue;
      if (forced.has(name) || ownClassification(name, value)?.secret) note(value, `${service.name}'s ${name}`);
    }
  }
  for (const [name, def] of Object.entries(project.secrets)) {
    const content = def.content?.toString('utf8').trim();
    if (content && !content.includes('\n')) note(content, `secret ${name}`);
  }
  const classify = (service: ComposeService, name: string, value: string): Classification => {
    if (service.k8s.env?.plain?.includes(name)) return { secret: false, why: 'x-k8s.env.plain names it' };
    if (service.k8s.env?.secret?.includes(name)) return { secret: true, why: 'x-k8s.env.secret names it' };
    const own = ownClassification(name, value);
    if (own) return own;
    const elsewhere = byValue.get(value);
    if (elsewhere !== undefined) return { secret: true, why: `its value is also ${elsewhere}, a secret` };
    return { secret: false, why: 'neither its name nor its value looks secret' };
  };
  return { classify, values: new Set(byValue.keys()) };
}

const cache = new WeakMap<ComposeProject, SecretValues>();

/** secretValues, once per project: every service's plan asks. */
export function secretValuesOf(project: ComposeProject): SecretValues {
  let values = cache.get(project);
  if (!values) {
    values = secretValues(project);
    cache.set(project, values);
  }
  return values;
}
