import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OUTPUT_MARKER, UnsafeOutputDirectoryError, writeDirectoryAtomically } from '../../lib/output/atomic-write';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cc8s-out-'));
const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, { content: v }]));

describe('writeDirectoryAtomically', () => {
  it('creates the directory with the files and the compose-cdk8s marker', () => {
    const dir = path.join(tmp(), 'stack');
    writeDirectoryAtomically(dir, files({ 'manifests.yaml': 'a: 1\n', 'sub/x.yaml': 'b: 2\n' }));
    expect(fs.readFileSync(path.join(dir, 'manifests.yaml'), 'utf8')).toBe('a: 1\n');
    expect(fs.readFileSync(path.join(dir, 'sub/x.yaml'), 'utf8')).toBe('b: 2\n');
    expect(fs.existsSync(path.join(dir, OUTPUT_MARKER))).toBe(true);
  });

  it('replaces a previous output entirely, leaving no stale files and no temporary directories', () => {
    const parent = tmp();
    const dir = path.join(parent, 'stack');
    writeDirectoryAtomically(dir, files({ 'old.yaml': 'old\n' }));
    writeDirectoryAtomically(dir, files({ 'new.yaml': 'new\n' }));
    expect(fs.readdirSync(dir).sort()).toEqual([OUTPUT_MARKER, 'new.yaml']);
    expect(fs.readdirSync(parent)).toEqual(['stack']);
  });

  it('marks scripts executable', () => {
    const dir = path.join(tmp(), 'stack');
    writeDirectoryAtomically(dir, new Map([['up.sh', { content: '#!/bin/sh\n', executable: true }]]));
    expect(fs.statSync(path.join(dir, 'up.sh')).mode & 0o111).not.toBe(0);
  });

  it('refuses to replace a non-empty directory it did not write, and leaves it untouched', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services: {}\n');
    expect(() => writeDirectoryAtomically(dir, files({ 'manifests.yaml': 'x\n' }))).toThrow(UnsafeOutputDirectoryError);
    expect(fs.readdirSync(dir)).toEqual(['compose.yaml']);
  });

  it('keeps the previous output when writing fails part-way', () => {
    const parent = tmp();
    const dir = path.join(parent, 'stack');
    writeDirectoryAtomically(dir, files({ 'manifests.yaml': 'previous\n' }));
    // A file and a directory of the same name cannot both be written: the second write fails.
    expect(() => writeDirectoryAtomically(dir, files({ a: 'file\n', 'a/b': 'nested\n' }))).toThrow();
    expect(fs.readFileSync(path.join(dir, 'manifests.yaml'), 'utf8')).toBe('previous\n');
    expect(fs.readdirSync(parent)).toEqual(['stack']);
  });
});
