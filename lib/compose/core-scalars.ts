/**
 * Plain scalars as YAML 1.2's core schema reads them, exactly as the yaml package's core tags
 * (node_modules/yaml/dist/schema/core): the same tests in the same order, the same numbers. The
 * fast path of stage 1 (parse-block.ts) reads Compose files' plain scalars with it, and the line
 * scanner (block-scanner.ts) leaves keys it reads as anything but a string to the yaml package.
 */
const CORE: readonly { readonly test: RegExp; readonly resolve: (s: string) => unknown }[] = [
  { test: /^(?:~|[Nn]ull|NULL)?$/, resolve: () => null },
  { test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, resolve: (s) => s[0] === 't' || s[0] === 'T' },
  { test: /^0o[0-7]+$/, resolve: (s) => parseInt(s.substring(2), 8) },
  { test: /^[-+]?[0-9]+$/, resolve: (s) => signed(s, parseInt(s.replace(/^[-+]/, ''), 10)) },
  { test: /^0x[0-9a-fA-F]+$/, resolve: (s) => parseInt(s.substring(2), 16) },
  {
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity),
  },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, resolve: (s) => parseFloat(s) },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, resolve: (s) => parseFloat(s) },
];
// As the yaml package's intResolve: `-0` is -0.
const signed = (s: string, n: number): number => (s[0] === '-' ? -1 * n : n);

export const coreRule = (s: string) => CORE.find((rule) => rule.test.test(s));

/** How a plain scalar reads: `undefined` when it is a string. */
export type PlainScalarReader = (text: string) => { readonly value: unknown } | undefined;

export const readCore: PlainScalarReader = (text) => {
  const rule = coreRule(text);
  return rule ? { value: rule.resolve(text) } : undefined;
};
