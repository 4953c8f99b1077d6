/** Manifest files and directories -> objects, with YAML errors as problems instead of exceptions. */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { list, record, text, type ManifestInput, type ManifestProblem } from './problems';

/** Files of a stack directory that are not Kubernetes objects. */
const NOT_MANIFESTS = /^(kustomization|kind-cluster)\.ya?ml$/;
const FOREIGN_API = /^(kind\.x-k8s\.io|kustomize\.config\.k8s\.io)\//;

function filesUnder(p: string): string[] {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return [p];
  return fs
    .readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const full = path.join(p, e.name);
      if (e.isDirectory()) return filesUnder(full);
      return /\.(ya?ml|json)$/.test(e.name) && !NOT_MANIFESTS.test(e.name) ? [full] : [];
    });
}

export function readManifestFiles(paths: readonly string[]): { inputs: ManifestInput[]; problems: ManifestProblem[] } {
  const inputs: ManifestInput[] = [];
  const problems: ManifestProblem[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = filesUnder(p);
    } catch {
      problems.push({ severity: 'error', file: p, path: '', message: 'cannot read: no such file or directory' });
      continue;
    }
    for (const file of files) {
      let content: string;
      try {
        content = fs.readFileSync(file, 'utf8');
      } catch {
        problems.push({ severity: 'error', file, path: '', message: 'cannot read the file' });
        continue;
      }
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(content, { lineCounter });
      const all = Array.isArray(docs) ? docs : [docs];
      all.forEach((doc, index) => {
        if (doc.errors.length > 0) {
          const e = doc.errors[0];
          const pos = lineCounter.linePos(e.pos[0]);
          problems.push({
            severity: 'error',
            file,
            path: '',
            message: `${pos.line}:${pos.col}: invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
          });
          return;
        }
        const object = doc.toJS({ maxAliasCount: 1000 }) as unknown;
        if (object === null || object === undefined) return;
        if (FOREIGN_API.test(text(record(object).apiVersion) ?? '')) return;
        if (record(object).kind === 'List') {
          list(record(object).items).forEach((item) => inputs.push({ object: item, file, index }));
        } else inputs.push({ object, file, index });
      });
    }
  }
  return { inputs, problems };
}
