/**
 * The runnable examples convert cleanly for every target, and their output passes the offline
 * validator: `npm run e2e` then only has to prove they also run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifestFiles, validateManifests } from '../lib/validate';
import { cli } from './cli/run';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const examples = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'compose.yaml')));

test('the examples are shop, kompose-labels, networks, real-world and library-app', () => {
  expect(examples.sort()).toEqual(['kompose-labels', 'library-app', 'networks', 'real-world', 'shop']);
});

/**
 * The one warning an example is about (by example, or example/target): the egress its
 * internal-only service needs for its waits; a data directory of the project that a generic
 * cluster's node does not have, so a claim holds it.
 */
const EXPECTED_WARNINGS: Readonly<Record<string, RegExp>> = {
  networks:
    /^warning: compose\.yaml:\d+:\d+: services\.vault\.depends_on: .*NetworkPolicy vault-wait-api-egress lets its pods open TCP 443 and 6443 to any address/,
  'real-world/generic':
    /^warning: compose\.yaml:\d+:\d+: services\.hostdb\.volumes\[0\]: \.\/data\/hostdb is data .*PersistentVolumeClaim hostdb-var-lib-postgresql-data holds it/,
};

describe.each(examples)('examples/%s', (example) => {
  test.each(['kind', 'minikube', 'generic'])(
    'converts for %s with no warning, to manifests the validator accepts',
    async (target) => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), `example-${example}-`));
      const run = await cli(
        ['convert', '-f', path.join(EXAMPLES, example, 'compose.yaml'), '--target', target, '-o', out],
        {
          cwd: out,
        },
      );
      expect(run.code).toBe(0);
      const expected = EXPECTED_WARNINGS[`${example}/${target}`] ?? EXPECTED_WARNINGS[example];
      if (expected) {
        expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(expected)]);
      } else {
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain('no warnings: every Compose key was translated');
      }
      const { inputs, problems } = readManifestFiles([out]);
      expect(problems).toEqual([]);
      expect(validateManifests(inputs).filter((p) => p.severity === 'error')).toEqual([]);
    },
  );
});
