/**
 * Synthetic Compose projects for the scaling benchmark: every service has ports, a named volume,
 * a healthcheck, an env file and a depends_on chain, so every translation rule runs at size.
 */
import * as fs from 'fs';
import * as path from 'path';

export function generateComposeYaml(serviceCount: number): string {
  const lines = ['name: generated', 'services:'];
  for (let i = 0; i < serviceCount; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    lines.push(
      `  ${name}:`,
      `    image: ghcr.io/example/app-${i % 7}:1.${i % 10}`,
      // One service in ten is published to the host, as a stack's entry points are.
      i % 10 === 0 ? `    ports: ["${20000 + i}:8080"]\n    expose: ["9090"]` : `    expose: ["8080", "9090"]`,
      `    environment:`,
      `      SERVICE_INDEX: "${i}"`,
      `      UPSTREAM_URL: http://svc-${String(Math.max(0, i - 1)).padStart(5, '0')}:8080`,
      `      DB_PASSWORD: secret-${i}`,
      `    env_file: [common.env]`,
      `    volumes: ["data-${i}:/var/lib/app"]`,
      `    networks: [net-${i % 10}]`,
      `    healthcheck:`,
      `      test: ["CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"]`,
      `      interval: 10s`,
      `      retries: 5`,
      `      start_period: 20s`,
      `    deploy:`,
      `      resources:`,
      `        limits: { cpus: "0.5", memory: 256M }`,
    );
    // Chains of ten: each service waits for the previous one to be healthy.
    if (i % 10 !== 0) {
      lines.push(
        `    depends_on:`,
        `      svc-${String(i - 1).padStart(5, '0')}:`,
        `        condition: service_healthy`,
      );
    }
  }
  lines.push('volumes:');
  for (let i = 0; i < serviceCount; i++) lines.push(`  data-${i}: {}`);
  lines.push('networks:');
  for (let i = 0; i < Math.min(10, serviceCount); i++) lines.push(`  net-${i}: {}`);
  return lines.join('\n') + '\n';
}

/** Writes `compose.yaml` and its env file into `dir`; returns the Compose file path. */
export function writeGeneratedProject(dir: string, serviceCount: number): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'common.env'), 'LOG_LEVEL=info\nAPI_TOKEN=generated-token\n');
  const file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, generateComposeYaml(serviceCount));
  return file;
}
