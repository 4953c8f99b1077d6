/**
 * The fast YAML path (lib/compose/parse-block.ts) must be invisible: for every YAML file in the
 * repository and for the snippets below, parseYaml gives the same value, key positions and value
 * positions as the yaml package's path, and takes the fast path for the block YAML Compose files
 * are written in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseBlockYaml } from '../../lib/compose/parse-block';
import { parseYaml, parseYamlNodes } from '../../lib/compose/parse';
import { comparableParse } from '../support/parse-paths';

const ROOT = path.join(__dirname, '..', '..');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const takesFastPath = (text: string) => parseBlockYaml(text, 'f.yaml', 64) !== undefined;

function expectSameAsYamlPackage(text: string, file = 'compose.yaml'): void {
  expect(comparableParse(parseYaml(text, file))).toEqual(comparableParse(parseYamlNodes(text, file)));
}

describe('every YAML file in the repository parses the same on both paths', () => {
  const files = ['charts', 'examples', 'test/fixtures'].flatMap((d) => yamlFiles(path.join(ROOT, d)));
  it.each(files.map((f) => [path.relative(ROOT, f)]))('%s', (rel) => {
    expectSameAsYamlPackage(fs.readFileSync(path.join(ROOT, rel), 'utf8'), rel);
  });

  it('takes the fast path for most of them, every seed chart Compose file included', () => {
    const fast = files.filter((f) => takesFastPath(fs.readFileSync(f, 'utf8')));
    expect(fast.length).toBeGreaterThan(files.length / 2);
    for (const seed of ['charts/dynoai/compose.yaml', 'charts/wildid/compose.yaml', 'examples/shop/compose.yaml'])
      expect(takesFastPath(fs.readFileSync(path.join(ROOT, seed), 'utf8'))).toBe(true);
  });
});

describe('snippets: same value and positions, fast path taken or not', () => {
  const snippets: Record<string, string> = {
    'empty values': 'a:\nb: # comment\nc: 1\n',
    'empty value before a comment line': 'a:\n  # note\nb: 1\n',
    'sequence at the key indentation': 'ports:\n- "80:80"\n- 443\nimage: nginx\n',
    'nested sequences of mappings':
      'services:\n  web:\n    volumes:\n      - type: bind\n        source: ./a\n        target: /a\n      -\n        type: volume\n',
    'empty items': 's:\n  -\n  - x\n  - # c\n',
    'flow collections': 'a: [x, "y", {k: v, "q": [1, 2]}]\nb: { cpus: "0.5", memory: 256M }\nc: []\nd: {}\n',
    'block scalars':
      'a: |\n  line 1\n\n    indented\n  # not a comment\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: 1\n',
    'block scalar in a sequence': 'cmd:\n  - |\n    echo hi\n  - x\n',
    'core schema scalars':
      'a: [~, null, Null, NULL, true, True, FALSE, 0o17, 0x1F, -0, +12, 1.5, -.5, 1e3, .inf, -.Inf, .NaN, 1_000, 0b11, 012, yes, on, 2001-12-14, "1", \'true\']\n',
    'quoted keys and values': '"a b": 1\n\'it\'\'s\': "x\\ty"\n"k:v": \'a # not a comment\'\n',
    'keys the core schema reads as numbers': '1: a\ntrue: b\nnull: c\n',
    'comments and document start': '# head\n---\n# more\na: 1 # trailing\n\n',
    'plain scalars with colons and hashes': 'a: http://x:80/y#frag\nb: a:b\nc: x #c\nd: -1\ne: -x\n',
    'merge keys and anchors': 'x: &base {a: 1}\ny:\n  <<: *base\n  b: 2\n',
    tags: 'a: !reset []\nb: !override {c: 1}\n',
    'several documents': 'a: 1\n---\nb: 2\n',
    'multi-line plain scalar': 'a: one\n  two\nb: 1\n',
    'multi-line flow': 'a: [1,\n  2]\n',
    'duplicate keys': 'a: 1\na: 2\n',
    'bad indentation': 'a:\n  b: 1\n   c: 2\n',
    'windows line ends': 'a: 1\r\nb:\r\n  - x\r\n',
    'old mac line ends': 'a: 1\rb: 2\r',
    tabs: 'a:\n\tb: 1\n',
    unicode: 'name: "café ☕"\nb: ünï\n',
    'compact nested mapping in a sequence': 'a:\n- b: 1\n  c:\n    d: 2\n- e\n',
    'comment without a space': "a: 'x'#c\n",
    'escaped quotes in sequence items': 'command:\n  - sh\n  - "echo \\"a: b\\"; done"\n  - "k": v\n',
    'comment after a plain item': 'environment:\n  - X=${P} #optional (specify $P)\n  - Y=1 # c\n',
    'trailing comma': 'a: [1, 2,]\n',
    'explicit key': '? a\n: 1\n',
    'scalar document': 'just text\n',
    'empty document': '# nothing\n',
  };
  it.each(Object.entries(snippets))('%s', (_name, text) => expectSameAsYamlPackage(text));

  it('the fast path takes plain block YAML and leaves anchors, tags and merge keys to the yaml package', () => {
    expect(takesFastPath(snippets['nested sequences of mappings'])).toBe(true);
    expect(takesFastPath(snippets['flow collections'])).toBe(true);
    expect(takesFastPath(snippets['block scalars'])).toBe(true);
    expect(takesFastPath(snippets['comment after a plain item'])).toBe(true);
    expect(takesFastPath(snippets['escaped quotes in sequence items'])).toBe(true);
    expect(takesFastPath(snippets['merge keys and anchors'])).toBe(false);
    expect(takesFastPath(snippets['tags'])).toBe(false);
    expect(takesFastPath(snippets['several documents'])).toBe(false);
  });
});
