/**
 * Where a text uses a name as a host. A renamed service (`plausible_db` -> `plausible-db`) is
 * only rewritten where the stack connects to it: `@plausible_db:5432`, `//plausible_db/`,
 * `host=plausible_db`, `-h plausible_db`, a `DB_HOST` set to it. The same word elsewhere is
 * usually something else named alike, most often the database (`.../plausible_db` after the
 * port, `POSTGRES_DB=plausible_db`), and must stay as written: rewriting it would point the
 * application at a database that does not exist.
 */
import { nameWords, secretNameWord } from './secret-values';

/** A name the cluster knows by another. */
export interface HostRename {
  readonly from: string;
  readonly to: string;
}

/** One occurrence of a renamed name in a text. */
export interface Mention {
  readonly index: number;
  /** As written in the text (the match ignores case, as DNS does). */
  readonly written: string;
  readonly rename: HostRename;
  /** Why it is not a host name, and stays as written; undefined for a host name, rewritten. */
  readonly kept?: string;
}

export interface TextContext {
  /**
   * The variable the text is the value of: its name says what the value is (`DB_HOST` a host,
   * `POSTGRES_DB` a database), and a value that is the name alone is a host unless it says otherwise.
   */
  readonly variable?: string;
}

/** Characters of a host name: one next to the name makes it part of a longer word (`plausible_db_backup`). */
const NAME_CHAR = /[A-Za-z0-9_-]/;

/** Last words of a key that name a host (`DB_HOST`, `PGHOST`, `bootstrap.servers`, `REDIS_URL`). */
const HOST_WORD =
  /(HOSTS?|HOSTNAMES?|SERVERS?|ADDR|ADDRS|ADDRESS|ADDRESSES|BROKERS?|UPSTREAMS?|ENDPOINTS?|NODES?|PEERS?|SEEDS?|TARGETS?|CONNECT|URLS?|URIS?)$/;
/** Last words of a key that name something other than a host (`POSTGRES_DB`, `PGUSER`, `RABBITMQ_DEFAULT_VHOST`). */
const OTHER_WORD =
  /(VHOST|DB|DBS|DATABASES?|DBNAME|NAMES?|USERS?|USERNAME|USR|LOGIN|OWNER|SCHEMAS?|TABLES?|INDEX|INDICES|BUCKETS?|QUEUES?|TOPICS?|KEYSPACE|COLLECTIONS?|PROJECT|REALM|TENANT|PREFIX|SUFFIX|ID|TAG|LABEL|PATH|DIR|FILE|ROLE|GROUP|CHANNEL|EXCHANGE)$/;

type KeyKind = 'host' | 'other' | 'neutral';

/** What a key (`DB_HOST`, `dbname`, `server_name`) says its value is. */
export function keyKind(key: string): KeyKind {
  if (secretNameWord(key) !== undefined) return 'other';
  const words = nameWords(key);
  const last = words[words.length - 1] ?? '';
  if (last === 'NAME' && words[words.length - 2] === 'HOST') return 'host';
  if (/VHOST$/.test(last)) return 'other';
  if (HOST_WORD.test(last)) return 'host';
  if (OTHER_WORD.test(last)) return 'other';
  return 'neutral';
}

/** `postgres://user:pass@` or `//` right before: the host of a URL. */
const URL_HOST = /\/\/(?:[^\s/@]*@)?$/;
/** Inside a URL's authority with an `@` still to come: its user or password. */
const URL_USER_HEAD = /\/\/[^\s/@]*$/;
const URL_USER_TAIL = /^[^\s/?#@]*@/;
/** `plausible_db:5432`, and `plausible_db 5432` as `nc -z` writes it (not `plausible_db 2>&1`, a redirection). */
const PORT_AFTER = /^(?::|[ \t]+)\d{1,5}(?![\w.<>&])/;
/** `-h plausible_db`, `--host=plausible_db`, `--bootstrap-server plausible_db`. */
const HOST_FLAG =
  /(?:^|[\s"'])(?:-h|--host|--hostname|--server|--addr|--address|--broker|--brokers|--bootstrap-server)(?:[ \t]+|=)["']?$/;
/** Programs whose operand is a host: `ping`, `nslookup`, `getent hosts`, `nc`. */
const HOST_TOOL =
  /(?:^|[\s;&|(`"'])(?:ping6?|nslookup|dig|host|getent[ \t]+a?hosts|nc|ncat|netcat|telnet|wait-for|wait-for-it(?:\.sh)?)(?:[ \t]+(?:-{1,2}|\+)[A-Za-z][\w-]*(?:[ \t]+\d+)?)*[ \t]+["']?$/;
/** The items of a list before the name: `hosts: a:9200, `, `[a, `. */
const LIST_BEFORE = /["']?(?:\[\s*["']?)?(?:[^\s,;"'[\]]+["']?[ \t]*,[ \t]*["']?)*$/.source;
/**
 * The key a value is assigned to: `host=`, `DB_HOST: `, `"host": "`, `host => '`,
 * `spring.redis.host=`, a shell default `${DB_HOST:-`.
 */
const ASSIGNED = new RegExp(`([A-Za-z_][\\w.-]*)["']?[ \\t]*(?:=>|:-|:=|[:=])\\s*${LIST_BEFORE}`);
/** An item of a YAML list under a key: `hosts:\n  - a\n  - `. */
const YAML_ITEM = /([A-Za-z_][\w.-]*)["']?[ \t]*:[ \t]*\n(?:[ \t]*-[ \t]*[^\n]*\n)*[ \t]*-[ \t]+["']?$/;
/** `define('DB_HOST', '` (PHP), `<host>` (XML). */
const CALL_KEY = /\(\s*["']([\w.-]+)["']\s*,\s*["']$/;
const XML_KEY = /<([\w.-]+)>$/;
/** A directive and its operand: nginx's `server plausible_db;` and `upstream plausible_db {`. */
const DIRECTIVE = /(?:^|[\s{;])(server|upstream|host|hostname)[ \t]+["']?$/i;

function keyBefore(head: string): string | undefined {
  return (CALL_KEY.exec(head) ?? XML_KEY.exec(head) ?? YAML_ITEM.exec(head) ?? ASSIGNED.exec(head))?.[1];
}

/** How far back the context of a name is read: its line and the key above it, not the whole file. */
const CONTEXT_CHARS = 256;

/** Undefined when the name between `head` and `tail` is a host; else why it is not. */
function whyNotHost(head: string, tail: string, context: TextContext): string | undefined {
  const near = head.slice(-CONTEXT_CHARS);
  const next = tail.slice(0, CONTEXT_CHARS);
  if (URL_USER_HEAD.test(near) && URL_USER_TAIL.test(next)) return 'the user or password of a URL';
  if (URL_HOST.test(near) || near.endsWith('@')) return undefined;
  if (PORT_AFTER.test(next) || HOST_FLAG.test(near) || HOST_TOOL.test(near) || DIRECTIVE.test(near)) return undefined;
  const key = keyBefore(near);
  if (key !== undefined) {
    const kind = keyKind(key);
    if (kind === 'host') return undefined;
    // `REDIS=redis_cache`: a variable set to the name alone means the host, unless its name says otherwise.
    const wholeValue = context.variable === key && head === `${key}=` && tail === '';
    if (kind === 'neutral' && wholeValue) return undefined;
    return kind === 'other' ? `${key} names something other than a host` : `${key} does not name a host`;
  }
  if (near.endsWith('/')) return 'a path (after "/"), such as a database name';
  return 'not where a host name is written';
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every occurrence of a renamed name in `text` as a word of its own, each a host or kept with the reason. */
export function mentions(text: string, renames: readonly HostRename[], context: TextContext = {}): Mention[] {
  // A variable's name is the key its value is written under.
  const prefix = context.variable !== undefined ? `${context.variable}=` : '';
  const full = prefix + text;
  const found: Mention[] = [];
  for (const rename of renames) {
    const re = new RegExp(escapeRegExp(rename.from), 'gi');
    for (let m = re.exec(full); m; m = re.exec(full)) {
      const at = m.index;
      if (at < prefix.length) continue;
      const end = at + m[0].length;
      const before = full[at - 1] ?? '';
      const after = full.slice(end);
      // `my.plausible_db`, `plausible_db.sql`, `plausible_db_backup`: another word (`${HOST:-plausible_db}` is not).
      const joined = NAME_CHAR.test(before) && !full.slice(0, at).endsWith(':-');
      if (before === '.' || joined || NAME_CHAR.test(after[0] ?? '') || /^\.\w/.test(after)) continue;
      const kept = whyNotHost(full.slice(0, at), after, context);
      found.push({ index: at - prefix.length, written: m[0], rename, ...(kept !== undefined ? { kept } : {}) });
    }
  }
  // Two renamed names cannot overlap as words; the first found wins if they ever do.
  return found
    .sort((a, b) => a.index - b.index)
    .filter((m, i, all) => i === 0 || all[i - 1].index + all[i - 1].written.length <= m.index);
}

/** `text` with the host mentions replaced by the new names. */
export function rewriteHosts(text: string, found: readonly Mention[]): string {
  let out = text;
  for (const m of [...found].reverse()) {
    if (m.kept === undefined) out = out.slice(0, m.index) + m.rename.to + out.slice(m.index + m.written.length);
  }
  return out;
}

/** 1-based line and column of `index` in `text`. */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
