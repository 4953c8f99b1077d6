/**
 * A Traefik router rule (`Host(`a.example.com`) && PathPrefix(`/api`)`) as the HTTP routes an
 * Ingress can hold. The rule is put in disjunctive form: each alternative (`||`) that is a host
 * match and at most one path match is a route; the others (regular expressions, headers, methods,
 * negations...) are returned with the reason, for the caller to report. Both rule syntaxes are
 * read: v2's matchers with several arguments (`Host(`a`, `b`)`) and v3's one-argument ones.
 */
import { DNS_SUBDOMAIN } from '../k8s-grammar';

export type PathMatch = { readonly path: string; readonly pathType: 'Prefix' | 'Exact' };

/** One alternative of the rule the Ingress can say: any of `hosts` (any host when empty), on `path`. */
export interface RuleRoute {
  readonly hosts: readonly string[];
  readonly path: PathMatch;
}

export interface RuleTranslation {
  readonly routes: readonly RuleRoute[];
  /** The alternatives no Ingress rule can say, each with why. */
  readonly untranslated: readonly string[];
  /** Set when the rule does not parse: Traefik rejects the router too. */
  readonly error?: string;
}

interface Matcher {
  readonly kind: 'matcher';
  readonly name: string;
  readonly args: readonly string[];
  readonly text: string;
}
type Expr =
  | Matcher
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly operand: Expr };

type Token = { readonly type: 'name' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!'; readonly value: string };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`' || c === '"' || c === "'") {
      const end = rule.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string at ${i + 1}`);
      tokens.push({ type: 'string', value: rule.slice(i + 1, end) });
      i = end + 1;
    } else if (rule.startsWith('&&', i) || rule.startsWith('||', i)) {
      tokens.push({ type: rule.slice(i, i + 2) as '&&' | '||', value: rule.slice(i, i + 2) });
      i += 2;
    } else if ('(),!'.includes(c)) {
      tokens.push({ type: c as '(' | ')' | ',' | '!', value: c });
      i++;
    } else {
      const name = /^[A-Za-z][A-Za-z0-9]*/.exec(rule.slice(i))?.[0];
      if (!name) throw new Error(`unexpected "${c}" at ${i + 1}`);
      tokens.push({ type: 'name', value: name });
      i += name.length;
    }
  }
  return tokens;
}

/** `a || b && c`: `&&` binds tighter, as in Traefik (and Go). */
function parse(rule: string): Expr {
  const tokens = tokenize(rule);
  let at = 0;
  const peek = () => tokens[at];
  const expect = (type: Token['type']) => {
    const t = tokens[at++];
    if (t?.type !== type) throw new Error(`expected "${type}"${t ? ` before "${t.value}"` : ' at the end'}`);
    return t;
  };
  const primary = (): Expr => {
    const t = peek();
    if (t?.type === '!') {
      at++;
      return { kind: 'not', operand: primary() };
    }
    if (t?.type === '(') {
      at++;
      const inner = or();
      expect(')');
      return inner;
    }
    const name = expect('name').value;
    expect('(');
    const args: string[] = [];
    while (peek()?.type !== ')') {
      if (peek() === undefined) expect(')');
      if (args.length > 0) expect(',');
      args.push(expect('string').value);
    }
    expect(')');
    return { kind: 'matcher', name, args, text: `${name}(${args.map((a) => `\`${a}\``).join(', ')})` };
  };
  const and = (): Expr => {
    let left = primary();
    while (peek()?.type === '&&') {
      at++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (peek()?.type === '||') {
      at++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const expr = or();
  if (at < tokens.length) throw new Error(`unexpected "${tokens[at].value}"`);
  return expr;
}

/** A literal of an alternative: a matcher, or a negated expression kept whole (no Ingress says "not"). */
type Literal = Matcher | { readonly kind: 'not'; readonly text: string };

/** Past this many alternatives the rule is not expanded: an Ingress with hundreds of paths helps no one. */
const MAX_ALTERNATIVES = 64;

function text(e: Expr): string {
  if (e.kind === 'matcher') return e.text;
  if (e.kind === 'not') return `!${e.operand.kind === 'matcher' ? text(e.operand) : `(${text(e.operand)})`}`;
  return `${text(e.left)} ${e.kind === 'and' ? '&&' : '||'} ${text(e.right)}`;
}

function alternatives(e: Expr): Literal[][] {
  if (e.kind === 'matcher') return [[e]];
  if (e.kind === 'not') return [[{ kind: 'not', text: text(e) }]];
  const left = alternatives(e.left);
  const right = alternatives(e.right);
  if (e.kind === 'or') return [...left, ...right];
  const product = left.flatMap((l) => right.map((r) => [...l, ...r]));
  if (product.length > MAX_ALTERNATIVES) throw new Error(`more than ${MAX_ALTERNATIVES} alternatives`);
  return product;
}

const HOST_MATCHERS = new Set(['host', 'hostheader']);
const PATH_MATCHERS: Readonly<Record<string, PathMatch['pathType']>> = { path: 'Exact', pathprefix: 'Prefix' };

/**
 * An Ingress host: a DNS name, lower case; never an IP address nor a port. Not a wildcard either:
 * Traefik's Host takes `*.example.com` literally, where an Ingress would match every subdomain.
 */
function ingressHost(host: string): string | undefined {
  const h = host.toLowerCase();
  if (!DNS_SUBDOMAIN.test(h) || h.length > 253 || /^[0-9.]+$/.test(h)) return undefined;
  return h;
}

/** What one alternative (matchers joined by `&&`) routes, or why an Ingress cannot say it. */
function route(literals: readonly Literal[]): RuleRoute | string {
  let hosts: string[] | undefined;
  let path: PathMatch | undefined;
  for (const literal of literals) {
    if (literal.kind === 'not') return `${literal.text}: an Ingress cannot exclude requests`;
    const name = literal.name.toLowerCase();
    if (literal.args.length === 0) return `${literal.text}: no argument`;
    if (HOST_MATCHERS.has(name)) {
      const bad = literal.args.find((h) => ingressHost(h) === undefined);
      if (bad !== undefined)
        return `${literal.text}: "${bad}" is no Ingress host (a DNS name; not an IP address, a port or a wildcard)`;
      const these = literal.args.map((h) => ingressHost(h) as string);
      hosts = hosts === undefined ? these : hosts.filter((h) => these.includes(h));
      if (hosts.length === 0) return `${literal.text}: no host matches every Host of the alternative`;
      continue;
    }
    const pathType = PATH_MATCHERS[name];
    if (pathType === undefined) return `${literal.text}: an Ingress routes by host and path only`;
    if (path !== undefined || literal.args.length > 1)
      return `${literal.text}: an Ingress path is one path, matched once (write one router per path)`;
    const p = literal.args[0];
    if (p.includes('{')) return `${literal.text}: a path with a regular expression`;
    path = { path: p.startsWith('/') ? p : `/${p}`, pathType };
  }
  return { hosts: hosts ?? [], path: path ?? { path: '/', pathType: 'Prefix' } };
}

/**
 * v2's `PathPrefix(`/a`, `/b`)` is `PathPrefix(`/a`) || PathPrefix(`/b`)`: spread such matchers
 * into alternatives first, so that each alternative has one path.
 */
function spreadPaths(literals: readonly Literal[]): Literal[][] {
  let out: Literal[][] = [[]];
  for (const l of literals) {
    const many = l.kind === 'matcher' && PATH_MATCHERS[l.name.toLowerCase()] !== undefined && l.args.length > 1;
    const options: Literal[] = many
      ? l.args.map((a) => ({ kind: 'matcher', name: l.name, args: [a], text: `${l.name}(\`${a}\`)` }))
      : [l];
    out = out.flatMap((prefix) => options.map((o) => [...prefix, o]));
  }
  return out;
}

export function translateRule(rule: string): RuleTranslation {
  let alts: Literal[][];
  try {
    alts = alternatives(parse(rule)).flatMap(spreadPaths);
    if (alts.length > MAX_ALTERNATIVES) throw new Error(`more than ${MAX_ALTERNATIVES} alternatives`);
  } catch (e) {
    return { routes: [], untranslated: [], error: (e as Error).message };
  }
  const routes: RuleRoute[] = [];
  const untranslated: string[] = [];
  for (const alt of alts) {
    const r = route(alt);
    if (typeof r === 'string') untranslated.push(r);
    else routes.push(r);
  }
  return { routes, untranslated };
}
