/**
 * The cdk8s app (main.ts) as one bundled file, build/synth.js, for scripts/synth-app.js: Node
 * resolving, reading and compiling the ~400 modules of the sources cost about as much as the
 * synthesis itself; one file, whose compiled code V8 reads back from a cache, costs a fraction.
 *
 * Charts and the library are edited between synths, so the bundle must never outlive its sources.
 * It records everything it was built from: each file esbuild loaded (size, mtime and a hash of the
 * bytes esbuild was given, read here), the files that decide how they are compiled and resolved
 * (tsconfig.json, package.json, the lockfiles, esbuild's version, these scripts), and the code
 * files and folders of each folder it loaded from (a new `x.ts` can shadow `x/index.ts`). It is
 * used only while all of them are as recorded: a file whose size or mtime changed is hashed again
 * (a checkout that rewrites the same bytes costs no rebuild), and a file written less than RACY_MS
 * before it was read is always hashed, as a later write may keep its mtime. What this leaves: a
 * file edited to the same size with its mtime set back to the nanosecond, and a file that shadows
 * an import created in the half second esbuild runs (folders are listed after).
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { BUNDLE_OPTIONS, inlineSchemaValidator } = require('./bundle-options.js');

/** Bumped when what a bundle records changes: older bundles are then rebuilt. */
const FORMAT = 1;
/** Timestamps of some file systems are this coarse (FAT: 2 s); a write within it may keep the mtime. */
const RACY_MS = 2000;
/** What a folder listing records: what an import may resolve to. */
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx|json|node)$/;
/** Folders tools create and delete next to the sources, which no import names. */
const NOT_IMPORTED = new Set(['build', 'dist', 'coverage']);
const HEADER = /^\/\/ compose-cdk8s synth ([0-9a-f]+)\n\/\/ inputs (.*)\n/;

const bundleFile = (root) => path.join(root, 'build', 'synth.js');
const hash = (bytes) => crypto.createHash('sha1').update(bytes).digest('hex');

/** [size, mtimeMs, hash, racy] of the bytes read, with the bytes. */
function readRecorded(file) {
  const fd = fs.openSync(file, 'r');
  try {
    // fstat before the read: a write in between changes the mtime after the one recorded.
    const stat = fs.fstatSync(fd);
    const bytes = fs.readFileSync(fd);
    return { bytes, entry: [stat.size, stat.mtimeMs, hash(bytes), stat.mtimeMs >= Date.now() - RACY_MS ? 1 : 0] };
  } finally {
    fs.closeSync(fd);
  }
}

/** The names in `dir` an import could resolve to, as one hash. */
function listing(dir) {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !NOT_IMPORTED.has(e.name))
    .filter((e) => e.isDirectory() || e.isSymbolicLink() || CODE_FILE.test(e.name))
    .map((e) => (e.isFile() ? e.name : `${e.name}/`))
    .sort();
  return hash(names.join('\n'));
}

/**
 * Files outside the module graph that change what esbuild makes of it. The lockfiles name the
 * installed versions: a package manager may give a new version's files the old ones' size and mtime.
 */
const BUILD_INPUTS = [
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
];

function buildInputs(root) {
  const files = BUILD_INPUTS.map((f) => path.join(root, f));
  files.push(
    require.resolve('esbuild/package.json', { paths: [root] }),
    require.resolve('./synth-bundle.js'),
    require.resolve('./bundle-options.js'),
  );
  return files.filter((f) => fs.existsSync(f));
}

/** Whether every input of `record` is as it was when the bundle was built. */
function isFresh(root, record) {
  if (record?.format !== FORMAT || !record.files || !record.dirs) return false;
  for (const [relative, [size, mtimeMs, digest, racy]] of Object.entries(record.files)) {
    // Joined, not resolved, and without options: either costs more than the stat itself (the
    // kernel follows the `..` of node_modules outside the root as path.resolve would, root being real).
    const file = root + path.sep + relative;
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return false;
    }
    if (stat.size !== size) return false;
    if (racy || stat.mtimeMs !== mtimeMs) {
      try {
        if (hash(fs.readFileSync(file)) !== digest) return false;
      } catch {
        return false;
      }
    }
  }
  for (const [relative, digest] of Object.entries(record.dirs)) {
    try {
      if (listing(path.resolve(root, relative)) !== digest) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** build/synth.js as { file, id, source, record }, or undefined when there is none (or not one of this format). */
function readBundle(root) {
  const file = bundleFile(root);
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const header = HEADER.exec(source);
  if (!header) return undefined;
  try {
    return { file, id: header[1], source, record: JSON.parse(header[2]) };
  } catch {
    return undefined;
  }
}

/** Bundles `<root>/main.ts` into build/synth.js with what it was built from; resolves to readBundle's value. */
async function buildBundle(root, esbuild) {
  const recorded = new Map();
  for (const file of buildInputs(root)) recorded.set(file, readRecorded(file).entry);
  const loaded = new Map();
  const recordInputs = {
    name: 'record-inputs',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const { bytes, entry } = readRecorded(args.path);
        loaded.set(args.path, entry);
        const text = bytes.toString('utf8');
        const contents = inlineSchemaValidator(args.path, text);
        return { contents: contents === text ? bytes : contents, loader: 'default' };
      });
    },
  };
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: [path.join(root, 'main.ts')],
    outfile: bundleFile(root),
    plugins: [recordInputs],
    metafile: true,
    write: false,
  });
  const dirs = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(root, input);
    const entry = loaded.get(file);
    if (!entry) throw new Error(`${input} was bundled but not recorded; update scripts/synth-bundle.js`);
    recorded.set(file, entry);
    dirs.add(path.dirname(file));
  }
  const record = {
    format: FORMAT,
    files: Object.fromEntries([...recorded].map(([file, entry]) => [path.relative(root, file), entry])),
    dirs: Object.fromEntries([...dirs].map((dir) => [path.relative(root, dir) || '.', listing(dir)])),
  };
  // JSON leaves U+2028 and U+2029 as they are, and JavaScript ends a // comment at either.
  const line = JSON.stringify(record)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const body = `// inputs ${line}\n${result.outputFiles[0].text}`;
  // The first line names the content: bin/code-cache.js keeps one code cache per bundle.
  const id = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const file = bundleFile(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const source = `// compose-cdk8s synth ${id}\n${body}`;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, source);
  fs.renameSync(tmp, file); // a concurrent synth reads the old bundle or the new one, never half of one
  // The previous bundle's code cache and diagrams (synth.js.<id>.*) are of no further use.
  for (const name of fs.readdirSync(path.dirname(file))) {
    if (name.startsWith('synth.js.') && !name.startsWith(`synth.js.${id}.`) && !name.endsWith('.tmp'))
      fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
  return { file, id, source, record };
}

/**
 * build/synth.js when it is current, else bundled again; undefined when it is not current and
 * esbuild cannot be loaded (the caller runs the sources).
 */
async function currentBundle(root) {
  const existing = readBundle(root);
  if (existing && isFresh(root, existing.record)) return existing;
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [root] }));
  } catch {
    return undefined;
  }
  return buildBundle(root, esbuild);
}

module.exports = { bundleFile, currentBundle, isFresh, readBundle };
