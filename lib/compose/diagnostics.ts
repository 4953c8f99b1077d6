/**
 * Problems found while loading or translating a Compose project are values, not exceptions:
 * each one names the file, line, column and key path so the CLI can print
 * `compose.yaml:14:7: services.web.ports[0]: "abc:80" is not a valid port`.
 */

export type Severity = 'error' | 'warning';

export interface SourceLocation {
  /** Path of the file as the user named it (relative to the working directory when possible). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable machine-readable code, e.g. `invalid-port`, `depends-on-cycle`, `untranslated-key`. */
  readonly code: string;
  readonly message: string;
  /** Key path inside the Compose document, e.g. `services.web.ports[0]`. */
  readonly path?: string;
  readonly location?: SourceLocation;
  /** Compose service the problem belongs to, when there is one. */
  readonly service?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  const path = d.path ? `${d.path}: ` : '';
  return `${where}${path}${d.message}`;
}

export function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}

/**
 * Thrown only at the library's convenience boundaries (`loadProjectOrThrow`, `ComposeChart` with
 * `strict: true`); everything below returns diagnostics as values.
 */
export class ComposeDiagnosticsError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.filter(isError).map(formatDiagnostic).join('\n') || 'invalid Compose project');
    this.name = 'ComposeDiagnosticsError';
  }
}
