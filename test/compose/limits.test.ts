/** Hostile input is refused early with a clear error, before it can exhaust memory. */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LOAD_LIMITS, loadProject } from '../../lib/compose';
import { formatDiagnostic } from '../../lib/compose/diagnostics';
import { loadErrors, tempProject } from '../support/project';

const bomb = [
  'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'x-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'x-f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'x-g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'x-h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'x-i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  'services:',
  '  web:',
  '    image: nginx',
  '    labels: *i',
].join('\n');

test('the documented limits', () => {
  expect(DEFAULT_LOAD_LIMITS).toEqual({ maxFileBytes: 4 * 1024 * 1024, maxAliasCount: 10_000, maxDepth: 64 });
});

test('a YAML alias bomb is refused', () => {
  expect(loadErrors(bomb)).toEqual([
    'compose.yaml:1:1: YAML aliases expand to more than 10000 nodes (the limit guards against alias bombs)',
  ]);
});

test('a file over the size limit is refused without being parsed', () => {
  const dir = tempProject({ 'compose.yaml': `services:\n  web:\n    image: nginx\n# ${'x'.repeat(2048)}\n` });
  const result = loadProject({ workingDir: dir, limits: { maxFileBytes: 1024 } });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([
    `compose.yaml:1:1: file is ${fs.statSync(path.join(dir, 'compose.yaml')).size} bytes, over the limit of 1024 bytes for a Compose file`,
  ]);
});

test('nesting deeper than the limit is refused', () => {
  const deep = `services:\n  web:\n    image: nginx\nx-deep: ${'['.repeat(100)}${']'.repeat(100)}\n`;
  expect(loadErrors(deep)).toEqual([
    expect.stringMatching(/^compose\.yaml:4:\d+: nesting is deeper than the limit of 64 levels$/),
  ]);
});

test('limits can be raised by the caller', () => {
  const medium = [...bomb.split('\n').slice(0, 5), 'x-data: *e', 'services:', '  web:', '    image: nginx'].join('\n');
  expect(loadErrors(medium)[0]).toContain('YAML aliases expand to more than 10000 nodes');
  const raised = loadProject({
    workingDir: tempProject({ 'compose.yaml': medium }),
    limits: { maxAliasCount: 1_000_000 },
  });
  expect(raised.ok).toBe(true);
});
