/**
 * `post_start` and `pre_stop` -> the container's `lifecycle.postStart` / `lifecycle.preStop` exec
 * handlers. Compose execs each entry in the running container, in order, stopping at the first
 * that fails, with the container's environment plus the entry's own, in its working directory, as
 * its user. Kubernetes takes one command per hook, run as the container's user with the
 * container's environment: one entry stays the command as written; an entry's working directory
 * and several entries need `/bin/sh -c`, its variables `env` (or the shell), and each need is
 * reported, since Compose needs neither in the image.
 */
import type { ComposeService, ServiceHook } from '../compose/model';
import { childPath } from '../compose/parse';
import { escapeDollar } from './container';

/**
 * Where a secret variable of a hook entry is read from instead of its value: a variable of the
 * container, set from the service's Secret (hooks.ts makes both); undefined when it is not secret.
 */
export type SecretVariable = (key: HookKey, index: number, name: string, value: string) => string | undefined;
/** Without a plan to hold a Secret (the handler alone): values as written. */
const asWritten: SecretVariable = () => undefined;

/** `post_start[0]`'s TOKEN -> COMPOSE_HOOK_POST_START_0_TOKEN: the container variable the hook reads it from. */
export const hookVariable = (key: HookKey, index: number, name: string): string =>
  `COMPOSE_HOOK_${key.toUpperCase()}_${index}_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
import { dropped, note, partial, type Finding } from './findings';
import { container, each, emptyIsNothing, falseIsDefault, part, translated, type KeyRules } from './key-rules';

export type HookKey = 'post_start' | 'pre_stop';

export interface Lifecycle {
  readonly lifecycle?: Record<string, unknown>;
  readonly findings: Finding[];
}

const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A word as POSIX sh reads it back unchanged: quoted unless plainly safe. `=` is never left bare,
 * so a command word is never taken for an assignment.
 */
export const shellWord = (word: string): string => (SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

interface Entry {
  readonly index: number;
  readonly hook: ServiceHook;
  readonly argv: readonly string[];
  /** Secret variables: name -> the container variable holding the value. */
  readonly secrets: ReadonlyMap<string, string>;
}

const variables = (hook: ServiceHook): [string, string][] => Object.entries(hook.environment);

/** Whether a variable's name is one sh cannot assign, so that `env` must set the variables. */
function needsEnvBinary(hook: ServiceHook): boolean {
  return variables(hook).some(([name]) => !SHELL_NAME.test(name));
}

/**
 * One entry as a line of sh: its variables set for the command only, and `cd` in a subshell so
 * the next entry starts where the container's own process does.
 */
function hookLine(entry: Entry, alone: boolean): string {
  const { hook, argv } = entry;
  const vars = variables(hook);
  const words = argv.map(shellWord).join(' ');
  // A secret's value is never in the spec: sh reads it from the container variable holding it.
  const value = (k: string, v: string) => {
    const from = entry.secrets.get(k);
    return from !== undefined ? `"$${from}"` : shellWord(v);
  };
  const command =
    vars.length === 0
      ? words
      : needsEnvBinary(hook)
        ? `env ${vars.map(([k, v]) => (entry.secrets.has(k) ? `${shellWord(`${k}=`)}${value(k, v)}` : shellWord(`${k}=${v}`))).join(' ')} ${words}`
        : `${vars.map(([k, v]) => `${k}=${value(k, v)}`).join(' ')} ${words}`;
  if (hook.workingDir === undefined) return command;
  const inDir = `cd ${shellWord(hook.workingDir)} && ${command}`;
  return alone ? inDir : `(${inDir})`;
}

/**
 * Whether one entry alone needs sh: for `cd`, and for variables when env would take its command
 * word for one more variable (a word holding `=`).
 */
const throughShell = (entry: Entry): boolean =>
  entry.hook.workingDir !== undefined ||
  entry.secrets.size > 0 ||
  (variables(entry.hook).length > 0 && entry.argv[0].includes('='));

/** The argv of the one handler: the command as is when nothing else is asked, else through env or sh. */
function hookCommand(entries: readonly Entry[]): string[] {
  if (entries.length === 1) {
    const [entry] = entries;
    if (throughShell(entry)) return ['/bin/sh', '-c', hookLine(entry, true)];
    const vars = variables(entry.hook);
    return vars.length === 0 ? [...entry.argv] : ['env', ...vars.map(([k, v]) => `${k}=${v}`), ...entry.argv];
  }
  // Compose stops at the first entry that fails: so does `set -e`.
  return ['/bin/sh', '-c', ['set -e', ...entries.map((e) => hookLine(e, false))].join('\n')];
}

/** `root` is uid and gid 0 in every image: `root` and `0` are the same user. */
const sameUser = (a: string | undefined, b: string | undefined): boolean => {
  const norm = (u: string | undefined) =>
    u
      ?.split(':')
      .map((p) => (p === 'root' ? '0' : p))
      .join(':');
  return norm(a) === norm(b);
};

/** What Kubernetes cannot give one entry: its own user, privileges, or a secret kept out of the spec. */
function entryFindings(key: HookKey, entry: Entry, service: ComposeService): Finding[] {
  const at = `${key}[${entry.index}]`;
  const { hook } = entry;
  const findings: Finding[] = [];
  // A failing postStart hook kills the container: say so, and what runs as another user instead.
  const consequence =
    key === 'post_start'
      ? '; if the command needs it, the hook fails and Kubernetes restarts the container (a pre_start entry, an init container, can have its own user and privileges)'
      : '';
  if (hook.user !== undefined && !sameUser(hook.user, service.user)) {
    findings.push(
      dropped(
        `${at}.user`,
        `a Kubernetes hook runs as the container's user (${service.user ? `"${service.user}"` : "the image's"}), not "${hook.user}"${consequence}`,
      ),
    );
  }
  if (hook.privileged && !service.privileged) {
    findings.push(
      dropped(
        `${at}.privileged`,
        `a Kubernetes hook has the privileges of its container, which is not privileged (privileged: true on the service gives them to the whole container)${consequence}`,
      ),
    );
  }
  for (const [name, from] of entry.secrets) {
    findings.push(
      note(
        childPath(`${at}.environment`, name),
        `looks secret: it is kept in the service's Secret and read from the container variable ${from} (a hook cannot read a Secret itself), through /bin/sh`,
      ),
    );
  }
  return findings;
}

/** Why the handler needs more in the image than Compose does. */
function needsFindings(key: HookKey, entries: readonly Entry[]): Finding[] {
  if (entries.length > 1) {
    const env = entries.filter((e) => needsEnvBinary(e.hook)).map((e) => `${key}[${e.index}]`);
    return [
      partial(
        key,
        `Kubernetes takes one command per hook: the ${entries.length} entries run in order, stopping at the first that fails, through /bin/sh -c, so the image needs a shell${
          env.length > 0 ? ` (and env, for the variables of ${env.join(', ')})` : ''
        }`,
      ),
    ];
  }
  const [entry] = entries;
  const { index, hook } = entry;
  const at = `${key}[${index}]`;
  if (throughShell(entry)) {
    return [
      partial(
        hook.workingDir !== undefined ? `${at}.working_dir` : `${at}.environment`,
        `Kubernetes has no ${hook.workingDir !== undefined ? 'working directory' : 'variables'} for a hook: the command runs through /bin/sh -c${hook.workingDir !== undefined ? ' after cd' : ''}, so the image needs a shell`,
      ),
    ];
  }
  if (variables(hook).length > 0) {
    return [
      partial(
        `${at}.environment`,
        'Kubernetes has no variables for a hook: they are set through env, so the image needs an env binary',
      ),
    ];
  }
  return [];
}

const SEMANTICS: Record<HookKey, string> = {
  post_start:
    "runs as the container starts, not necessarily before its entrypoint, as in Compose; when it fails Kubernetes kills the container and restarts it by the pod's restart policy, where docker compose fails `up` with the error but leaves the container running",
  pre_stop:
    "runs before the container is sent SIGTERM, as in Compose, and not when the container exits by itself; in Kubernetes its run time counts toward the pod's grace period (stop_grace_period, or 30 s)",
};

/** One handler for the entries of `post_start` or `pre_stop`, with what it could not carry. */
export function hookHandler(
  key: HookKey,
  hooks: readonly ServiceHook[],
  service: ComposeService,
  secretVariable: SecretVariable = asWritten,
): { handler?: Record<string, unknown>; findings: Finding[] } {
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  hooks.forEach((hook, index) => {
    if (hook.command && hook.command.length > 0) {
      const secrets = new Map<string, string>();
      for (const [name, value] of variables(hook)) {
        const from = secretVariable(key, index, name, value);
        if (from !== undefined) secrets.set(name, from);
      }
      entries.push({ index, hook, argv: hook.command, secrets });
    } else {
      // Its user and privileges have rows of their own: each says why nothing was written.
      const why = 'its entry has no command, so nothing runs';
      findings.push(dropped(`${key}[${index}]`, 'an entry without a command runs nothing'));
      if (hook.user !== undefined) findings.push(dropped(`${key}[${index}].user`, why));
      if (hook.privileged) findings.push(dropped(`${key}[${index}].privileged`, why));
    }
  });
  if (entries.length === 0) return { findings };
  findings.push(...entries.flatMap((e) => entryFindings(key, e, service)), ...needsFindings(key, entries));
  findings.push(note(key, SEMANTICS[key]));
  return { handler: { exec: { command: hookCommand(entries).map(escapeDollar) } }, findings };
}

export function lifecycleHooks(service: ComposeService, secretVariable: SecretVariable = asWritten): Lifecycle {
  const postStart = hookHandler('post_start', service.postStart, service, secretVariable);
  const preStop = hookHandler('pre_stop', service.preStop, service, secretVariable);
  const lifecycle = {
    ...(postStart.handler ? { postStart: postStart.handler } : {}),
    ...(preStop.handler ? { preStop: preStop.handler } : {}),
  };
  return {
    lifecycle: Object.keys(lifecycle).length > 0 ? lifecycle : undefined,
    findings: [...postStart.findings, ...preStop.findings],
  };
}

function hookRules(key: HookKey, field: 'postStart' | 'preStop'): KeyRules {
  const handler = container(`lifecycle.${field}`);
  return {
    [key]: translated(handler, { unless: emptyIsNothing }),
    // Carried into the handler: as written, through env, or through sh (each need reported).
    ...each([`${key}[]`, `${key}[].command`, `${key}[].environment`, `${key}[].working_dir`], part),
    // Honoured only when it is the container's own; any other is reported as dropped.
    [`${key}[].user`]: translated(handler, { doc: "the container's user only: a hook runs as its container" }),
    [`${key}[].privileged`]: translated(handler, {
      unless: falseIsDefault,
      doc: "only in a privileged container: a hook has its container's privileges",
    }),
  };
}

export const LIFECYCLE_KEYS: KeyRules = {
  ...hookRules('post_start', 'postStart'),
  ...hookRules('pre_stop', 'preStop'),
};
