// Large Compose files (a few MB: thousands of services) make V8 collect garbage over and over
// while the heap grows to hold the stack: a third of a 10 000-service convert went to it. A heap
// sized for the input from the start avoids most of those collections (the benchmark's
// 10 000-service row: ~15-20% less CPU time and a lower peak). Heap sizes are fixed when Node
// starts, so for such an input the CLI runs itself again with them; small inputs, nearly all,
// never pay for it.
const fs = require('fs');
const os = require('os');
const path = require('path');

/** Below this, collections cost little and a second start would cost more than it saves. */
const THRESHOLD_BYTES = 2 * 1024 * 1024;
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const MARKER = 'COMPOSE_CDK8S_SIZED_HEAP';

/** The Compose files `argv` names with -f/--file, else the default one in the project directory. */
function composeFiles(argv, cwd) {
  const files = [];
  let dir = cwd;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (flag) =>
      arg === flag ? argv[++i] : arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : undefined;
    const file = value('-f') ?? value('--file');
    if (file !== undefined) files.push(file);
    const projectDir = value('--project-directory');
    if (projectDir !== undefined) dir = path.resolve(cwd, projectDir);
  }
  if (files.length > 0) return files.map((f) => path.resolve(cwd, f));
  const found = DEFAULT_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  return found ? [found] : [];
}

/** V8 flags for this run's input, or undefined when the defaults do (or the run is already sized). */
exports.heapFlags = function heapFlags(argv, cwd = process.cwd(), env = process.env) {
  if (env[MARKER] || !['convert', 'explain'].includes(argv[0])) return undefined;
  let bytes = 0;
  for (const file of composeFiles(argv, cwd)) {
    try {
      bytes += fs.statSync(file).size;
    } catch {
      // a missing file is reported by the CLI itself
    }
  }
  if (bytes < THRESHOLD_BYTES) return undefined;
  // 100 heap bytes per byte of Compose file (600 MiB for 10 000 services): measured on the
  // benchmark's 10 000-service file, CPU time 12 s against 14-15 s with V8's default and with 200
  // per byte, and a lower peak RSS than either (1.2 GiB against 1.4-1.5). Never more than a
  // quarter of the machine's memory.
  const mib = Math.min(Math.round((bytes * 100) / 2 ** 20), Math.floor(os.totalmem() / 4 / 2 ** 20));
  return [`--initial-heap-size=${mib}`];
};

exports.MARKER = MARKER;
