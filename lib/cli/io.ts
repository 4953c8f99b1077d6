/**
 * Where the CLI writes, and how it prints diagnostics. Injected so tests run the CLI in-process.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from '../compose/diagnostics';
import { formatDiagnostic } from '../compose/diagnostics';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal: carets under offending lines and colors are only for people. */
  readonly isTTY: boolean;
  /** The terminal's width when stdout is one; text reports fit it. */
  readonly columns?: number;
  /** All of standard input (`validate -`); default: the process's. */
  readonly readStdin?: () => Promise<string>;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    readStdin: readProcessStdin,
  };
}

export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Exit codes: 0 success, 1 problems found by `validate` or an internal error, 2 bad input. */
export const ExitCode = { ok: 0, problems: 1, internal: 1, badInput: 2 } as const;

export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export function makeStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

/** Colors only on a terminal, never with --no-color or NO_COLOR (https://no-color.org). */
export function colorEnabled(io: CliIO, noColorFlag: boolean): boolean {
  return io.isTTY && !noColorFlag && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
}

/** The offending source line and a caret under the column, as compilers print them. */
export function sourceExcerpt(d: Diagnostic, cwd: string, readFile = readTextFile): string | undefined {
  const loc = d.location;
  if (!loc) return undefined;
  const text = readFile(loc.file, cwd);
  if (text === undefined) return undefined;
  const line = text.split(/\r?\n/)[loc.line - 1];
  if (line === undefined) return undefined;
  const gutter = `${loc.line} | `;
  return `${gutter}${line}\n${' '.repeat(gutter.length + Math.max(0, loc.column - 1))}^`;
}

function readTextFile(file: string, cwd: string): string | undefined {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    return undefined;
  }
}

export function printDiagnostics(
  io: CliIO,
  diagnostics: readonly Diagnostic[],
  style: Style,
  showExcerpt: boolean,
): void {
  for (const d of diagnostics) {
    const label = d.severity === 'error' ? style.red('error') : style.yellow('warning');
    io.stderr(`${label}: ${formatDiagnostic(d)}\n`);
    const excerpt = showExcerpt ? sourceExcerpt(d, io.cwd) : undefined;
    if (excerpt) io.stderr(style.dim(excerpt) + '\n');
  }
}
