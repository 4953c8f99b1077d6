/** Runs the CLI in-process against a temporary project, capturing what a terminal would show. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../lib/cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  readonly isTTY?: boolean;
  /** The terminal's width (only with isTTY). */
  readonly columns?: number;
  /** What standard input holds (`validate -`). */
  readonly stdin?: string;
}

export async function cli(args: readonly string[], options: RunOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: options.cwd,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    columns: options.isTTY ? options.columns : undefined,
    readStdin: () => Promise.resolve(options.stdin ?? ''),
  });
  return { code, stdout, stderr };
}

/** A fresh directory holding `files` (paths relative to it). */
export function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Every file under `dir`, relative, sorted. */
export function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

export const SHOP = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["127.0.0.1:8080:80"]
    depends_on:
      api: { condition: service_healthy }
  api:
    build: ./api
    environment:
      DATABASE_HOST: db
    expose: ["8000"]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
      interval: 10s
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${DB_PASSWORD:-example}
    volumes: [dbdata:/var/lib/postgresql/data]
    logging:
      driver: json-file
  worker:
    image: busybox:1.36
    profiles: [jobs]
    command: echo done
    restart: "no"
volumes:
  dbdata:
`;
