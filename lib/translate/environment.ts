/**
 * `environment` and `env_file` -> container env. Values whose key or content look secret go to a
 * Secret (never a ConfigMap or inline env); the rest of the env files go to a ConfigMap used
 * with envFrom, minus the keys `environment` overrides (so the file cannot shadow them).
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { childPath } from '../compose/parse';
import { escapeDollar } from './container';
import { dropped, note, partial, type Finding } from './findings';
import { dnsLabel, suffixed, uniqueName } from './names';
import { anyOf, container, emptyIsNothing, each, loader, on, part, translated, type KeyRules } from './key-rules';
import { ENV_NAME, envFileSource } from './env-file-sources';
import { secretValuesOf } from './secret-values';

export interface EnvPlan {
  /** Inline env entries, then secretKeyRef entries, in key order. */
  readonly env: Record<string, unknown>[];
  /** Secret values of `environment` (Secret `<svc>-env`). */
  readonly secretData: Record<string, string>;
  /**
   * The env files, in file order (the last source wins, as the last file does in Compose): the
   * project's through the ConfigMap and Secret each file has (env-file-sources.ts), the others
   * through the Secret the user creates from them.
   */
  readonly envFrom: { readonly configMap?: string; readonly secret?: string; readonly optional?: boolean }[];
  /** Env files outside the project: Secrets the user creates from them, loaded with envFrom. */
  readonly outsideEnvFiles: OutsideEnvFile[];
  /** Per `pre_start` entry, the env of its init container: the service's, with the entry's own added or overriding. */
  readonly preStart: Record<string, unknown>[][];
  /**
   * Secret-looking values of `pre_start` entries, in a Secret of their own (`<service>-env-pre-start`):
   * in `<service>-env`, which envFrom may load whole, they would reach the service's container.
   */
  readonly preStartSecret?: { readonly name: string; readonly data: Record<string, string> };
  readonly findings: Finding[];
}

export interface OutsideEnvFile {
  /** Absolute path of the file (never read). */
  readonly path: string;
  readonly secretName: string;
  /** The file as the user knows it (`~/app.env`). */
  readonly file: string;
  /** `required: false`: the pod starts without the Secret. */
  readonly optional: boolean;
}

/**
 * An env file outside the project is not read: the output must not depend on (or carry) this
 * machine's files. The pod loads a Secret the user creates from it instead, after the project's
 * own env files (a later source wins in envFrom as in env_file).
 */
function outsideEnvFiles(
  service: ComposeService,
  secretName: string,
  names: Set<string>,
): { files: OutsideEnvFile[]; findings: Finding[] } {
  const files: OutsideEnvFile[] = [];
  const findings: Finding[] = [];
  service.envFiles.forEach((f, i) => {
    if (f.outside === undefined) return;
    const name = uniqueName(suffixed(secretName, dnsLabel(f.outside.split('/').pop() ?? 'file')), names);
    files.push({ path: f.path, secretName: name, file: f.outside, optional: !f.required });
    findings.push(
      partial(
        `env_file[${i}]`,
        `${f.outside} is outside the project and is not read: create the Secret before applying: kubectl create secret generic ${name} --from-env-file=${f.outside}${
          f.required ? '' : ' (optional: the pod starts without it)'
        } (kubectl takes KEY=VALUE lines as written: no quotes, no \${} interpolation); its content is not in the output, so changing it restarts no pod: kubectl rollout restart the service`,
      ),
    );
  });
  return { files, findings };
}

export function planEnvironment(project: ComposeProject, service: ComposeService, secretName: string): EnvPlan {
  const findings: Finding[] = [];
  const secrets = secretValuesOf(project);
  const envFrom: EnvPlan['envFrom'] = [];
  // Each variable in a Secret says why in explain: a surprise there costs a look, one in a ConfigMap a leak.
  const isSensitive = (key: string, value: string, where: string) => {
    const c = secrets.classify(service, key, value);
    if (c.secret) findings.push(note(where, `${key} is in Secret ${secretName}: ${c.why}`));
    return c.secret;
  };
  const secretData: Record<string, string> = {};
  const valid = (key: string, where: string) => {
    if (ENV_NAME.test(key)) return true;
    findings.push(dropped(where, `"${key}" is not a valid environment variable name on Kubernetes`));
    return false;
  };
  // Later env files win over earlier ones (the last envFrom source), `environment` over all (env over envFrom).
  const names = new Set<string>();
  const outside = outsideEnvFiles(service, secretName, names);
  findings.push(...outside.findings);
  const reported = new Set<string>();
  for (const file of service.envFiles) {
    const away = outside.files.find((f) => f.path === file.path);
    if (away) envFrom.push({ secret: away.secretName, ...(away.optional ? { optional: true } : {}) });
    const source = envFileSource(project, file);
    if (!source) continue;
    for (const key of Object.keys(file.values)) if (!reported.has(key) && !valid(key, 'env_file')) reported.add(key);
    const configMap = Object.keys(source.configData).length > 0 ? source.name : undefined;
    const secret = Object.keys(source.secretData).length > 0 ? source.name : undefined;
    if (configMap || secret) envFrom.push({ ...(configMap ? { configMap } : {}), ...(secret ? { secret } : {}) });
    for (const [key, why] of Object.entries(source.why))
      if (!(key in service.environment)) findings.push(note('env_file', `${key} is in Secret ${source.name}: ${why}`));
  }
  const env: Record<string, unknown>[] = [];
  for (const key of Object.keys(service.environment).sort()) {
    if (!valid(key, `environment.${key}`)) continue;
    const value = service.environment[key];
    if (isSensitive(key, value, childPath('environment', key))) {
      secretData[key] = value;
      env.push({ name: key, valueFrom: { secretKeyRef: { name: secretName, key } } });
    } else env.push({ name: key, value: escapeDollar(value) });
  }
  const preStart = preStartEnv(
    service,
    env,
    uniqueName(suffixed(secretName, 'pre-start'), names),
    valid,
    (key, value) => secrets.classify(service, key, value).secret,
  );
  return {
    env,
    secretData,
    envFrom,
    outsideEnvFiles: outside.files,
    preStart: preStart.env,
    ...(preStart.secret ? { preStartSecret: preStart.secret } : {}),
    findings,
  };
}

/**
 * Each `pre_start` entry's env: the service's entries, each of the entry's own variables replacing
 * the service's of that name (a secret-looking one from the entry's Secret, keyed
 * `pre-start-<n>.<NAME>`), in name order.
 */
function preStartEnv(
  service: ComposeService,
  serviceEnv: readonly Record<string, unknown>[],
  secretName: string,
  valid: (key: string, where: string) => boolean,
  isSensitive: (key: string, value: string) => boolean,
): { env: Record<string, unknown>[][]; secret?: { name: string; data: Record<string, string> } } {
  const data: Record<string, string> = {};
  const env = service.preStart.map((hook, i) => {
    const own = Object.keys(hook.environment).filter((k) => valid(k, childPath(`pre_start[${i}].environment`, k)));
    const entries = serviceEnv.filter((e) => !own.includes(String(e.name)));
    for (const key of own) {
      const value = hook.environment[key];
      if (!isSensitive(key, value)) entries.push({ name: key, value: escapeDollar(value) });
      else if (service.environment[key] === value) entries.push(...serviceEnv.filter((e) => e.name === key));
      else {
        data[`pre-start-${i}.${key}`] = value;
        entries.push({ name: key, valueFrom: { secretKeyRef: { name: secretName, key: `pre-start-${i}.${key}` } } });
      }
    }
    // In code-unit order, as the service's own env.
    return entries.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  });
  return { env, ...(Object.keys(data).length > 0 ? { secret: { name: secretName, data } } : {}) };
}

/** `environment: [A, B]` with A and B unset when converting: Compose leaves them out too. */
function onlyUnsetNames(value: unknown): string | undefined {
  const entries = Array.isArray(value)
    ? value.map((v) => (String(v).includes('=') ? 'set' : null))
    : typeof value === 'object' && value !== null
      ? Object.values(value).map((v) => (v === null || v === undefined ? null : 'set'))
      : [];
  return entries.length > 0 && entries.every((e) => e === null)
    ? 'names without values, unset when converting: left out, as Compose leaves unset variables out'
    : undefined;
}

export const ENVIRONMENT_KEYS: KeyRules = {
  environment: translated([container('env'), on('env', 'data')], { unless: anyOf(emptyIsNothing, onlyUnsetNames) }),
  env_file: translated([container('envFrom'), on('envFiles', 'data')], { unless: emptyIsNothing }),
  ...each(['env_file[]', 'env_file[].path', 'env_file[].format'], part),
  'env_file[].required': loader('false: a missing file is skipped instead of failing the load, as Compose does'),
};
