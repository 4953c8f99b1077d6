/**
 * Mutations of real Compose files, the kind of damage people do by hand: lines deleted,
 * duplicated, swapped or re-indented, values replaced by YAML's sharp edges, files cut short.
 */
import fc from 'fast-check';

/** Values that stress every stage: YAML syntax, interpolation, ports, durations, sizes, names. */
const NASTY_VALUES = [
  '',
  '~',
  'null',
  '-1',
  '0',
  '65536',
  '99999999999999999999',
  '1.5',
  'true',
  '"abc:80"',
  '"8000-7000:80"',
  '"127.0.0.1::80"',
  '"80/xyz"',
  '1m30',
  '10x',
  '512Q',
  '${',
  '${X:?boom}',
  '${UNSET}',
  '$$',
  '[]',
  '{}',
  '[a, [b, {c: d}]]',
  '*undefined_alias',
  '&a x',
  '!!binary AAAA',
  '!reset',
  '!override []',
  '"\\u0000"',
  "'unterminated",
  '"unterminated',
  '|',
  '>-',
  ': :',
  '- - -',
  'a: b: c',
  'UPPER_Case.Name_',
  'web',
  'db',
  'service_healthy',
  '"CMD-SHELL"',
  '["NONE"]',
  'x'.repeat(300),
];

type Mutation = (lines: string[]) => string[];

const at = (lines: string[], i: number) => Math.min(Math.max(0, i), Math.max(0, lines.length - 1));

function replaceValue(lines: string[], index: number, value: string): string[] {
  const i = at(lines, index);
  const line = lines[i] ?? '';
  const colon = line.indexOf(': ');
  const dash = line.match(/^(\s*- )/);
  const out = [...lines];
  if (colon >= 0) out[i] = `${line.slice(0, colon + 2)}${value}`;
  else if (dash) out[i] = `${dash[1]}${value}`;
  else out[i] = `${line}${value}`;
  return out;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => (lines: string[]) => lines.filter((_, i) => i !== at(lines, n))),
  fc.nat().map((n) => (lines: string[]) => {
    const i = at(lines, n);
    return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)];
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (lines: string[]) => {
    const out = [...lines];
    const i = at(lines, a);
    const j = at(lines, b);
    [out[i], out[j]] = [out[j], out[i]];
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom('', ' ', '   ', '\t', '    ')).map(([n, indent]) => (lines: string[]) => {
    const out = [...lines];
    const i = at(lines, n);
    out[i] = indent + (out[i] ?? '').trimStart();
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...NASTY_VALUES)).map(
    ([n, v]) =>
      (lines: string[]) =>
        replaceValue(lines, n, v),
  ),
  fc.tuple(fc.nat(), fc.string({ maxLength: 12 })).map(
    ([n, v]) =>
      (lines: string[]) =>
        replaceValue(lines, n, v),
  ),
  fc.nat().map((n) => (lines: string[]) => lines.slice(0, at(lines, n))),
  fc
    .tuple(fc.nat(), fc.constantFrom('prots: [80]', 'x-k8s: {ingress: {port: 1}}', 'profiles: [off]', 'extends: nope'))
    .map(([n, extra]) => (lines: string[]) => {
      const i = at(lines, n);
      const indent = (lines[i] ?? '').match(/^\s*/)?.[0] ?? '';
      return [...lines.slice(0, i + 1), indent + extra, ...lines.slice(i + 1)];
    }),
);

/** A file text with one to four mutations applied. */
export function mutatedText(source: string): fc.Arbitrary<string> {
  return fc
    .array(mutation, { minLength: 1, maxLength: 4 })
    .map((ms) => ms.reduce((lines, m) => m(lines), source.split('\n')).join('\n'));
}
