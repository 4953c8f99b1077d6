import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { stringifyDocuments } from '../../lib/output/yaml';

const roundTrip = (values: unknown[]) => parseAllDocuments(stringifyDocuments(values)).map((d) => d.toJS());

test('any JSON document reads back unchanged', () => {
  const json = fc.jsonValue({ maxDepth: 5 }).filter((v) => !(typeof v === 'number' && Object.is(v, -0)));
  fc.assert(
    fc.property(fc.array(fc.dictionary(fc.string(), json), { minLength: 1, maxLength: 3 }), (docs) => {
      expect(roundTrip(docs)).toEqual(JSON.parse(JSON.stringify(docs)));
    }),
    { numRuns: 500, seed: 42 },
  );
});

test('strings other YAML readers would take for numbers, booleans, null or sexagesimals are quoted', () => {
  const text = stringifyDocuments([
    { a: '80:80', b: 'yes', c: 'on', d: '0755', e: '1e3', f: '~', g: '3000', h: '500m', i: 'nginx:1.27' },
  ]);
  expect(text).toBe(
    [
      'a: "80:80"',
      'b: "yes"',
      'c: "on"',
      'd: "0755"',
      'e: "1e3"',
      'f: "~"',
      'g: "3000"',
      'h: 500m',
      'i: "nginx:1.27"',
      '',
    ].join('\n'),
  );
});

test('multi-line text is a literal block, so configs stay readable', () => {
  expect(stringifyDocuments([{ data: { 'nginx.conf': 'events {}\nhttp {\n  server {}\n}\n' } }])).toBe(
    ['data:', '  nginx.conf: |', '    events {}', '    http {', '      server {}', '    }', ''].join('\n'),
  );
});

test('sequences under keys are indented as kubectl prints them', () => {
  expect(stringifyDocuments([{ spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] } }])).toBe(
    ['spec:', '  containers:', '    - name: web', '      ports:', '        - containerPort: 80', ''].join('\n'),
  );
});
