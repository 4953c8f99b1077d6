// Preloaded into benchmarked processes (`node -r`): on exit, appends the process's peak RSS in KiB
// to the file named by BENCH_RSS_FILE, so the benchmark reads memory without external tools.
const fs = require('fs');
const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => fs.appendFileSync(target, `${process.resourceUsage().maxRSS}\n`));
}
