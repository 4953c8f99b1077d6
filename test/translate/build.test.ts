/**
 * The account of `build` on each target: `build` is the image the manifests name, and each build
 * key a row of its own, carried into load-images.sh on kind and minikube and the build commands
 * of NOTES.md on a generic cluster; on minikube what its node cannot reach is a warning at its key.
 */
import { EVERY_KEY } from '../support/build-project';
import { tempProject } from '../support/project';
import { synthProject } from '../support/synth';

const synth = (target: 'kind' | 'minikube' | 'generic') =>
  synthProject(EVERY_KEY, { target, workingDir: tempProject({ npmrc: 'x\n' }) });

test('kind and generic: every build key is carried, no warning', () => {
  for (const target of ['kind', 'generic'] as const) {
    const s = synth(target);
    expect(s.warnings().filter((w) => w.includes('.build'))).toEqual([]);
    const rows = s.chart.service('web').explanations;
    expect(rows.find((k) => k.key === 'build')?.status).toBe('translated');
    expect(rows.find((k) => k.key === 'build.isolation')).toMatchObject({
      status: 'translated',
      note: expect.stringContaining('Windows container isolation: BuildKit ignores it'),
    });
    const carried = rows.filter((k) => k.key.startsWith('build.') && k.key !== 'build.isolation');
    expect(carried.length).toBeGreaterThan(15);
    for (const row of carried)
      expect({ key: row.key, status: row.status, note: row.note }).toEqual({
        key: row.key,
        status: 'translated',
        note: expect.stringMatching(/^load-images\.sh: passed to the image build/),
      });
  }
});

test('minikube: each key its node cannot reach is a warning at that key, and its row is partial', () => {
  const s = synth('minikube');
  const warnings = s.chart.diagnostics.filter((d) => d.path?.startsWith('services.web.build'));
  expect(warnings.map((d) => d.path)).toEqual([
    'services.web.build.secrets',
    'services.web.build.ssh',
    'services.web.build.additional_contexts.shared',
    'services.web.build.cache_from[1]',
    'services.web.build.network',
  ]);
  for (const d of warnings) expect(d.location).toBeDefined();
  expect(warnings[0].message).toContain('it builds without npm_token, npm_config');
  const rows = s.chart.service('web').explanations;
  expect(rows.find((k) => k.key === 'build')?.status).toBe('translated');
  for (const key of ['build.secrets', 'build.ssh', 'build.additional_contexts', 'build.cache_from', 'build.network'])
    expect({ key, status: rows.find((k) => k.key === key)?.status }).toEqual({ key, status: 'partial' });
});

test('a secret only builds use becomes no object, and the account says why', () => {
  const rows = synth('kind').chart.projectExplanations;
  expect(rows.find((r) => r.key === 'secrets.npm_token')).toMatchObject({
    status: 'translated',
    objects: [],
    note: 'used only to build images (build.secrets of web): handed to the build, no object is created for it',
  });
});
