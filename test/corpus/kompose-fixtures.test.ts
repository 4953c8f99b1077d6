/**
 * kompose's own test fixtures (test/fixtures/kompose, Apache-2.0): stacks written for kompose
 * convert here too, to manifests the offline validator accepts, or fail to load with a
 * file:line error that says why. Never an exception. One process, library calls: ~130 files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { loadProject } from '../../lib/compose';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { formatProblem, validateManifests } from '../../lib/validate';
import { KOMPOSE_FIXTURES, KOMPOSE_MERGED, komposeComposeFiles, komposeEnvironment } from '../fixtures/kompose';
import { accountProblems } from '../support/account';
import { conversionFiles, projectNames, secretLeaks, type Leak } from '../support/secret-leaks';

const ROOT = KOMPOSE_FIXTURES;

const NO_IMAGE = /has neither an image nor a build section/;

/**
 * Files that do not load, and why. Overrides meant for a base file are listed with MERGED; the
 * others are refused by compose-go too (kompose's loader since v1.31), or cannot run on Linux.
 */
const EXPECTED_FAILURES: Readonly<Record<string, RegExp>> = {
  'etherpad/docker-compose-no-image.yml': NO_IMAGE,
  'multiple-files/second.yaml': NO_IMAGE,
  'unused/merge-multiple-compose/compose-new-service-prob.yml': NO_IMAGE,
  'unused/merge-multiple-compose/compose-port-prod.yml': NO_IMAGE,
  'unused/merge-multiple-compose/dev.yml': NO_IMAGE,
  'unused/merge-multiple-compose/other-toplevel-base.yml':
    /volume "firstvolume" is not defined in the top-level volumes/,
  'unused/v3/docker-compose-deploy.yaml': /depends on undefined service "redis"/,
  'unused/v3/docker-compose-full-example.yaml':
    /network "other-other-network" is not defined in the top-level networks/,
  'volume-mounts/named-volume/docker-compose.yml': /volume "db-data" is not defined in the top-level volumes/,
  'volume-mounts/named-volume/docker-compose-v3.yml': /volume "db-config" is not defined in the top-level volumes/,
  'volume-mounts/windows/compose.yaml': /"D:\\config" is a Windows container path: pods run Linux containers/,
  // kompose's own test expects this one to fail: "Fail" is no pull policy.
  'image-pull-policy/compose-files/v12-fail-image-pull-policy.yml':
    /kompose\.image-pull-policy: "Fail" is not one of Always, Never, IfNotPresent/,
  // kompose writes it, and the API server then rejects the Service: 33111 is outside the NodePort range.
  'service-label/docker-compose.yaml': /kompose\.service\.nodeport\.port: "33111" is not a NodePort \(30000-32767\)/,
};

/** Files that load to no service at all: a warning says so (kompose: "No service selected"). */
const EXPECTED_EMPTY: Readonly<Record<string, string>> = {
  'no-profile-warning/compose.yaml':
    'compose.yaml:1:1: services: no service is enabled: web only run with profile "test" (add --profile test)',
  'unused/merge-multiple-compose/other-toplevel-override.yml':
    'other-toplevel-override.yml:1:1: services: the project has no services: nothing to convert',
};

type Outcome =
  | {
      readonly converted: number;
      readonly problems: string[];
      readonly warnings: string[];
      /** Keys neither translated nor reported at their line. */
      readonly unaccounted: string[];
      /** Secret values found outside a Secret in what a conversion writes. */
      readonly leaks: Leak[];
    }
  | { readonly errors: string[] };

function convert(files: readonly string[]): Outcome {
  const dir = path.dirname(files[0]);
  const loaded = loadProject({
    workingDir: path.join(ROOT, dir),
    files: files.map((f) => path.join(ROOT, f)),
    environment: komposeEnvironment(dir),
  });
  if (!loaded.ok) return { errors: loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic) };
  const chart = new ComposeChart(Testing.app(), 'kompose', { project: loaded.project, target: 'generic' });
  const errors = chart.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (errors.length > 0) return { errors };
  const objects = Testing.synth(chart);
  // Objects marked external are the user's to create: references to them cannot resolve here.
  const external = chart.diagnostics.some((d) => d.code === 'external-object' || d.code === 'external-volume');
  const problems = validateManifests(
    objects.map((object) => ({ object })),
    { checkReferences: !external },
  )
    .filter((p) => p.severity === 'error')
    .map(formatProblem);
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
  return {
    converted: objects.length,
    problems,
    warnings,
    unaccounted: accountProblems(chart, loaded.diagnostics),
    leaks: secretLeaks(conversionFiles(chart, os.tmpdir()), projectNames(chart)).leaks,
  };
}

const singles = komposeComposeFiles().map((f) => [f] as const);

test('the fixtures are all here: every Compose file kompose ships', () => {
  expect(singles.length).toBeGreaterThanOrEqual(125);
  for (const name of Object.keys(EXPECTED_FAILURES)) expect(fs.existsSync(path.join(ROOT, name))).toBe(true);
});

describe.each([...singles, ...KOMPOSE_MERGED].map((files) => [files.join(' + '), files] as const))(
  '%s',
  (_name, files) => {
    const expected = files.length === 1 ? EXPECTED_FAILURES[files[0]] : undefined;

    if (expected) {
      test('fails to load with a file:line error saying why', () => {
        const outcome = convert(files);
        expect('errors' in outcome).toBe(true);
        const errors = 'errors' in outcome ? outcome.errors : [];
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e).toMatch(/^[^:\s]+\.ya?ml:\d+:\d+: /);
        expect(errors.join('\n')).toMatch(expected);
      });
    } else {
      test('converts, and the offline validator accepts the output', () => {
        const outcome = convert(files);
        expect('errors' in outcome ? outcome.errors : []).toEqual([]);
        if ('errors' in outcome) return;
        expect(outcome.problems).toEqual([]);
        expect(outcome.unaccounted).toEqual([]);
        expect(outcome.leaks).toEqual([]);
        const empty = files.length === 1 ? EXPECTED_EMPTY[files[0]] : undefined;
        if (empty) expect(outcome.warnings).toContain(empty);
        else expect(outcome.converted).toBeGreaterThan(0);
      });
    }
  },
);
