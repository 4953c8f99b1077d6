/**
 * A Compose file of a few MB runs the CLI again with a heap sized for it (bin/large-input.js):
 * which runs do, which do not, and that the second run does the work and passes its exit code on.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { heapFlags, MARKER } = require('../../bin/large-input.js') as {
  heapFlags: (argv: string[], cwd: string, env: Record<string, string>) => string[] | undefined;
  MARKER: string;
};

const BIN = path.join(__dirname, '..', '..', 'bin', 'compose-cdk8s.js');
const MiB = 1024 * 1024;

/** A valid Compose file of about `bytes` bytes: one service and a long comment. */
function composeFile(dir: string, name: string, bytes: number): string {
  const file = path.join(dir, name);
  const head = 'services:\n  web:\n    image: nginx:1.27\n';
  fs.writeFileSync(file, head + `# ${'x'.repeat(98)}\n`.repeat(Math.ceil((bytes - head.length) / 101)));
  return file;
}

describe('heap sized for large Compose files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'large-input-'));
  const big = composeFile(dir, 'big.yaml', 3 * MiB);
  const small = composeFile(dir, 'small.yaml', 10_000);
  composeFile(dir, 'compose.yaml', 3 * MiB);

  it('sizes the heap for convert and explain of files of 2 MiB or more, -f or the default file', () => {
    const flags = heapFlags(['convert', '-f', big], dir, {});
    expect(flags).toHaveLength(1);
    // 100 heap bytes per byte of input: 300 MiB for 3 MiB.
    expect(Number(/^--initial-heap-size=(\d+)$/.exec(flags?.[0] ?? '')?.[1])).toBe(300);
    expect(heapFlags(['explain', `--file=${big}`], dir, {})).toEqual(flags);
    expect(heapFlags(['convert'], dir, {})).toEqual(flags);
    expect(heapFlags(['convert', '--project-directory', dir], os.tmpdir(), {})).toEqual(flags);
  });

  it('leaves small files, other commands, unreadable files and the second run alone', () => {
    expect(heapFlags(['convert', '-f', small], dir, {})).toBeUndefined();
    expect(heapFlags(['validate', big], dir, {})).toBeUndefined();
    expect(heapFlags(['convert', '-f', path.join(dir, 'missing.yaml')], dir, {})).toBeUndefined();
    expect(heapFlags(['convert', '-f', big], dir, { [MARKER]: '1' })).toBeUndefined();
  });

  it('the sized run converts and passes its exit code on', () => {
    const out = path.join(dir, 'out');
    // Each node process started records its V8 flags: the second one has the heap size.
    const record = path.join(dir, 'record.js');
    const flagsFile = path.join(dir, 'flags.txt');
    fs.writeFileSync(
      record,
      `require('fs').appendFileSync(${JSON.stringify(flagsFile)}, JSON.stringify(process.execArgv) + '\\n');`,
    );
    const ok = spawnSync(process.execPath, [BIN, 'convert', '-q', '-f', big, '-o', out], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require ${record}` },
    });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'manifests.yaml'), 'utf8')).toContain('image: "nginx:1.27"');
    const runs = fs.readFileSync(flagsFile, 'utf8').trim().split('\n');
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatch(/--initial-heap-size=\d+/);
    const bad = spawnSync(process.execPath, [BIN, 'convert', '-q', '-f', big, '--target', 'nowhere'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
  });
});
