/** `build.args` without a value take it from the loader's environment, as compose-go's Normalize does. */
import { loadProject } from '../../lib/compose';
import { projectFrom, tempProject } from '../support/project';

const args = (body: string, environment: Record<string, string> = {}) =>
  projectFrom(`services:\n  s:\n    build:\n      context: .\n      args: ${body}\n`, { environment }).services.s.build
    ?.args;

test('list form: a bare key is looked up; KEY= stays empty', () => {
  expect(args('[SENTRY_IMAGE, "A=1", "EMPTY="]', { SENTRY_IMAGE: 'getsentry/sentry:nightly' })).toEqual({
    SENTRY_IMAGE: 'getsentry/sentry:nightly',
    A: '1',
    EMPTY: '',
  });
});

test('mapping form: a null value is looked up', () => {
  expect(args('{ BASE: , PINNED: 3 }', { BASE: 'alpine:3.20' })).toEqual({ BASE: 'alpine:3.20', PINNED: '3' });
});

test('unset in the environment: left out, as compose-go does', () => {
  expect(args('[UNSET, "A=1"]')).toEqual({ A: '1' });
  expect(args('{ UNSET: }')).toEqual({});
});

test('the project .env is read, the shell wins over it', () => {
  const dir = tempProject({
    '.env': 'BASE=from-dotenv\nOTHER=from-dotenv\n',
    'compose.yaml': 'services:\n  s:\n    build:\n      context: .\n      args: [BASE, OTHER]\n',
  });
  const result = loadProject({ workingDir: dir, environment: { BASE: 'from-shell' } });
  expect(result.ok && result.project.services.s.build?.args).toEqual({ BASE: 'from-shell', OTHER: 'from-dotenv' });
});
