/** Loads Compose snippets for tests: one snippet in, the normalized project (or its errors) out. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadProjectFromString, type LoadOptions } from '../../lib/compose';
import { formatDiagnostic, type Diagnostic } from '../../lib/compose/diagnostics';
import type { ComposeProject } from '../../lib/compose/model';

export type SnippetOptions = LoadOptions & { readonly fileName?: string };

/** A fresh directory holding `files`; Compose snippets that refer to files load from it. */
export function tempProject(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

let scratch: string | undefined;

export function projectFrom(yaml: string, options: SnippetOptions = {}): ComposeProject {
  scratch ??= tempProject();
  const result = loadProjectFromString(yaml, { workingDir: scratch, environment: {}, ...options });
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.project;
}

/** The errors of a snippet that must fail to load, formatted as the CLI prints them. */
export function loadErrors(yaml: string, options: SnippetOptions = {}): string[] {
  scratch ??= tempProject();
  const result = loadProjectFromString(yaml, { workingDir: scratch, environment: {}, ...options });
  if (result.ok) throw new Error('expected the snippet to fail to load');
  return result.diagnostics.filter((d: Diagnostic) => d.severity === 'error').map(formatDiagnostic);
}

export function loadWarnings(yaml: string, options: SnippetOptions = {}): string[] {
  scratch ??= tempProject();
  const result = loadProjectFromString(yaml, { workingDir: scratch, environment: {}, ...options });
  return result.diagnostics.filter((d: Diagnostic) => d.severity === 'warning').map(formatDiagnostic);
}
