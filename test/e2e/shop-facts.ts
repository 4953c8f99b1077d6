/** What the e2e checks expect of examples/shop, read from the example's own files so the two cannot drift apart. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { REPO_ROOT } from './cluster';

export const SHOP_EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'shop');

/** What the checks expect, read from the example's own files so the two cannot drift apart. */
export interface ShopFacts {
  composeFile: string;
  /** GREETING from api/api.env. */
  greeting: string;
  /** DB_HOST from api/api.env: the db's container_name. */
  dbHost: string;
  /** The dummy password in secrets/db_password.txt. */
  dbPassword: string;
  dbUser: string;
  dbName: string;
  dbContainerName: string;
  /** proxy's published port: host port and container port. */
  published: { service: string; hostPort: number; containerPort: number };
}

function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

interface ComposeService {
  container_name?: string;
  environment?: Record<string, string>;
  ports?: string[];
}

export function readShopFacts(exampleDir = SHOP_EXAMPLE_DIR): ShopFacts {
  const composeFile = path.join(exampleDir, 'compose.yaml');
  const compose = parse(fs.readFileSync(composeFile, 'utf8')) as { services: Record<string, ComposeService> };
  const db = compose.services.db;
  const env = readEnvFile(path.join(exampleDir, 'api', 'api.env'));
  const [hostPort, containerPort] = (compose.services.proxy.ports?.[0] ?? '').split(':').map(Number);
  return {
    composeFile,
    greeting: env.GREETING,
    dbHost: env.DB_HOST,
    dbPassword: fs.readFileSync(path.join(exampleDir, 'secrets', 'db_password.txt'), 'utf8').trim(),
    dbUser: db.environment?.POSTGRES_USER ?? 'postgres',
    dbName: db.environment?.POSTGRES_DB ?? db.environment?.POSTGRES_USER ?? 'postgres',
    dbContainerName: db.container_name ?? 'db',
    published: { service: 'proxy', hostPort, containerPort },
  };
}
