/**
 * The API server's field rules, one object each (test/fixtures/manifests/rules/): every object
 * marked `# refused:` is refused by `validate`, every one marked `# accepted:` (the edges of a
 * rule, the server's defaults) passes. `npm run server-check` sends the same objects to a real
 * API server, which must judge each one alike.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatProblem, parseManifests, validateManifests } from '../../lib/validate';

const RULES = path.join(__dirname, '..', 'fixtures', 'manifests', 'rules');

interface Case {
  readonly file: string;
  readonly verdict: 'refused' | 'accepted';
  readonly rule: string;
  readonly text: string;
}

const cases: Case[] = fs
  .readdirSync(RULES)
  .sort()
  .flatMap((file) =>
    fs
      .readFileSync(path.join(RULES, file), 'utf8')
      .split(/^---$/m)
      .map((text): Case => {
        const marker = /^\s*# (refused|accepted): (.*)$/m.exec(text);
        if (!marker) throw new Error(`${file}: a document without "# refused:" or "# accepted:": ${text.slice(0, 80)}`);
        return { file, verdict: marker[1] as Case['verdict'], rule: marker[2], text };
      }),
  );

/** The errors of one object alone, as an API server judges it (it does not check references). */
function errors(c: Case): string[] {
  const parsed = parseManifests(c.text, c.file);
  expect(parsed.inputs).toHaveLength(1);
  return [...parsed.problems, ...validateManifests(parsed.inputs, { checkReferences: false })]
    .filter((p) => p.severity === 'error')
    .map(formatProblem);
}

test('every kind convert writes has rules here', () => {
  const kinds = new Set(cases.map((c) => /^kind: (\w+)$/m.exec(c.text)?.[1]));
  for (const kind of [
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'CronJob',
    'Pod',
    'Service',
    'Ingress',
    'NetworkPolicy',
    'ConfigMap',
    'Secret',
    'PersistentVolumeClaim',
    'ServiceAccount',
    'Role',
    'RoleBinding',
    'HorizontalPodAutoscaler',
    'Namespace',
  ])
    expect(kinds).toContain(kind);
});

describe.each([...new Set(cases.map((c) => c.file))])('%s', (file) => {
  const of = cases.filter((c) => c.file === file);
  test.each(of.filter((c) => c.verdict === 'refused').map((c) => [c.rule, c] as const))('refused: %s', (_rule, c) => {
    expect(errors(c).length).toBeGreaterThan(0);
  });
  const accepted = of.filter((c) => c.verdict === 'accepted');
  if (accepted.length > 0)
    test.each(accepted.map((c) => [c.rule, c] as const))('accepted: %s', (_rule, c) => {
      expect(errors(c)).toEqual([]);
    });
});

test('manifests are read as kubectl reads YAML: 0644 is octal, yes is true', () => {
  const read = parseManifests(
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\nmode: 0644\nflag: yes\nday: 2024-01-01\n',
    'c.yaml',
  );
  expect(read.inputs[0].object).toMatchObject({ mode: 420, flag: true, day: '2024-01-01' });
});
