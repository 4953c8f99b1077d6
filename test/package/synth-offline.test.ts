/**
 * `npm run synth` works without a network and says nothing about it: the cdk8s CLI's upgrade
 * check (a registry request that prints a stack trace offline) is off in the project's script.
 * Runs the script in a network namespace with no interfaces, where unshare is allowed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const probe = spawnSync('unshare', ['-rn', 'true']);
const canIsolate = probe.status === 0;
if (!canIsolate) console.warn('synth-offline test skipped: unshare -rn (a network namespace) is not allowed here');

(canIsolate ? test : test.skip)('npm run synth offline: exit 0, every seed chart written, no error output', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-offline-'));
  const run = spawnSync('unshare', ['-rn', 'npm', 'run', '--silent', 'synth', '--', '--output', out], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.existsSync(path.join(out, 'dynoai-dev', 'manifests.yaml'))).toBe(true);
});
