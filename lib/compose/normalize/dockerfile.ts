/**
 * What a Dockerfile copies from its build context into the image, and where: enough to tell that
 * a bind mount (`./src:/usr/src/code/src`) lays the host's copy of the image's own code over it.
 * Only what can be read for sure is kept: `COPY`/`ADD` of context paths (and `COPY --from` of an
 * earlier stage that copied them) in the stage that is built; paths with variables or wildcards,
 * URLs and heredocs say nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ImageCopy } from '../model';

/** A Dockerfile bigger than this is not read: no Dockerfile is. */
const MAX_DOCKERFILE_BYTES = 1024 * 1024;

interface Instruction {
  readonly name: string;
  readonly args: string;
  readonly line: number;
}

/** Logical lines: continuations joined, comments and heredoc bodies left out. */
function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const directive = /^#\s*escape\s*=\s*(\S)/i.exec(lines[0] ?? '');
  const escape = directive?.[1] === '`' ? '`' : '\\';
  const out: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    if (/^\s*(#|$)/.test(lines[i])) {
      i++;
      continue;
    }
    const start = i;
    let logical = '';
    for (; i < lines.length; i++) {
      const raw = lines[i];
      if (/^\s*#/.test(raw)) continue;
      const trimmed = raw.replace(/\s+$/, '');
      if (trimmed.endsWith(escape)) logical += `${trimmed.slice(0, -1)} `;
      else {
        logical += trimmed;
        i++;
        break;
      }
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (!m) continue;
    out.push({ name: m[1].toUpperCase(), args: m[2].trim(), line: start + 1 });
    // `RUN <<EOF` ... `EOF`: the body is no instruction.
    for (const h of m[2].matchAll(/<<(-?)["']?([A-Za-z_][\w]*)["']?/g)) {
      const [, dash, word] = h;
      while (i < lines.length && (dash ? lines[i].trim() : lines[i]) !== word) i++;
      i++;
    }
  }
  return out;
}

/** `--from=x a b /dest` or `["a", "b", "/dest"]`: the flags and the paths. */
function copyArgs(args: string): { flags: Map<string, string>; paths: string[] } | undefined {
  const flags = new Map<string, string>();
  let rest = args;
  for (let m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest); m; m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags.set(m[1].toLowerCase(), m[2] ?? '');
    rest = rest.slice(m[0].length);
  }
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return { flags, paths: parsed };
    } catch {
      // Not JSON: the shell form, as Docker reads it.
    }
  }
  const paths = rest.split(/\s+/).filter((p) => p !== '');
  return { flags, paths: paths.map((p) => p.replace(/^(["'])(.*)\1$/, '$2')) };
}

const unknowable = (p: string) => /[$*?[\]]|^[a-z]+:\/\/|^<</i.test(p);
const within = (p: string, dir: string) => dir === '/' || p === dir || p.startsWith(`${dir}/`);
const clean = (p: string) => {
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
};

interface Stage {
  readonly name?: string;
  workdir?: string;
  copies: ImageCopy[];
}

/**
 * The copies of the stage that is built (`target`, else the last), as paths of the project:
 * `context` is the build context relative to the project (`''` for the project itself), `file`
 * the Dockerfile as shown in reasons (`api/Dockerfile`).
 */
export function dockerfileCopies(text: string, context: string, file: string, target?: string): ImageCopy[] {
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  const named = (name: string) => stages.find((s) => s.name?.toLowerCase() === name.toLowerCase());
  for (const ins of instructions(text)) {
    if (ins.name === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const base = words[0] ? named(words[0]) : undefined;
      const name = words[1]?.toLowerCase() === 'as' ? words[2] : undefined;
      stage = { name, workdir: base ? base.workdir : '/', copies: base ? [...base.copies] : [] };
      stages.push(stage);
      continue;
    }
    if (!stage) continue;
    if (ins.name === 'WORKDIR') {
      const dir = ins.args.replace(/^(["'])(.*)\1$/, '$2');
      stage.workdir =
        unknowable(dir) || stage.workdir === undefined ? undefined : clean(path.posix.resolve(stage.workdir, dir));
      continue;
    }
    if (ins.name !== 'COPY' && ins.name !== 'ADD') continue;
    const parsed = copyArgs(ins.args);
    if (!parsed || parsed.paths.length < 2 || parsed.flags.has('parents')) continue;
    const dest = parsed.paths[parsed.paths.length - 1];
    if (unknowable(dest) || (!dest.startsWith('/') && stage.workdir === undefined)) continue;
    const to = clean(path.posix.resolve(stage.workdir ?? '/', dest));
    const at = `${file}:${ins.line}`;
    const fromStageName = parsed.flags.get('from');
    for (const source of parsed.paths.slice(0, -1)) {
      if (unknowable(source)) continue;
      if (fromStageName !== undefined) {
        const earlier = named(fromStageName);
        if (earlier) stage.copies.push(...fromStage(earlier.copies, clean(path.posix.resolve('/', source)), to, at));
        continue;
      }
      // Sources are relative to the context, which they cannot leave (a leading `/` is its root).
      const inContext = clean(path.posix.join('.', source));
      if (inContext === '..' || inContext.startsWith('../')) continue;
      const inProject = clean(path.posix.join(context === '' ? '.' : context, inContext));
      stage.copies.push({ from: inProject === '.' ? '' : inProject, to, at });
    }
  }
  const built = (target !== undefined ? named(target) : undefined) ?? stages[stages.length - 1];
  return built?.copies ?? [];
}

/** `COPY --from=build /app/dist /usr/share/nginx/html`: what the earlier stage copied there, moved. */
function fromStage(copies: readonly ImageCopy[], source: string, to: string, at: string): ImageCopy[] {
  return copies.flatMap((c): ImageCopy[] => {
    if (within(c.to, source))
      return [{ from: c.from, to: clean(path.posix.join(to, path.posix.relative(source, c.to))), at }];
    if (within(source, c.to)) {
      const from = path.posix.join(c.from, path.posix.relative(c.to, source));
      return [{ from: from === '.' ? '' : from, to, at }];
    }
    return [];
  });
}

/**
 * The copies of a service's Dockerfile, when it lies in the project (nothing outside it is read)
 * and its context does too; an inline Dockerfile is read as written.
 */
export function readDockerfileCopies(
  projectDir: string,
  contextDir: string,
  dockerfile: string | undefined,
  inline: string | undefined,
  target: string | undefined,
): ImageCopy[] {
  const inside = (root: string, p: string) => {
    const rel = path.relative(root, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const inProject = (p: string) => inside(projectDir, p);
  if (!inProject(contextDir)) return [];
  const context = path.relative(projectDir, contextDir).split(path.sep).join('/');
  if (inline !== undefined) return dockerfileCopies(inline, context, 'dockerfile_inline', target);
  const file = path.resolve(contextDir, dockerfile ?? 'Dockerfile');
  if (!inProject(file)) return [];
  let text: string;
  try {
    // A symlink pointing out of the project is not followed.
    const real = fs.realpathSync(file);
    if (!inside(fs.realpathSync(projectDir), real) || fs.statSync(real).size > MAX_DOCKERFILE_BYTES) return [];
    text = fs.readFileSync(real, 'utf8');
  } catch {
    return [];
  }
  return dockerfileCopies(text, context, path.relative(projectDir, file).split(path.sep).join('/'), target);
}
