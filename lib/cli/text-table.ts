/**
 * Text that fits a terminal: tables whose columns share the width, and cells or lines wrapped
 * onto continuation lines under their start. Only a word with nowhere to break it (no space, no
 * `.`, `/`, `,`...) longer than its column runs past it.
 */

/** Characters a long word breaks after: fields of a path, parts of an image or a list. */
const BREAK_AFTER = /(?<=[./,:;=_-])/;

/** No column is narrowed below this (or its longest cell, when that is shorter). */
const MIN_COLUMN = 10;

/**
 * `text` in lines of at most `width` (`next` for the lines after the first), broken at spaces,
 * then inside words too long for a line.
 */
export function wrap(text: string, width: number, next = width): string[] {
  const lines: string[] = [];
  let line = '';
  const room = () => (lines.length === 0 ? width : next);
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    const segments = word.length <= next ? [word] : word.split(BREAK_AFTER);
    segments.forEach((segment, i) => {
      const joint = i === 0 && line !== '' ? ' ' : '';
      if (line !== '' && line.length + joint.length + segment.length > room()) {
        lines.push(line);
        line = segment;
      } else line += joint + segment;
    });
  }
  return [...lines, line];
}

/** A line wrapped to `width`, its continuation lines indented by `hanging` more than it. */
export function wrapLine(text: string, width: number, hanging = '    '): string[] {
  const indent = /^ */.exec(text)?.[0] ?? '';
  const [first, ...rest] = wrap(
    text.slice(indent.length),
    width - indent.length,
    width - indent.length - hanging.length,
  );
  return [indent + first, ...rest.map((l) => indent + hanging + l)];
}

/** The longest piece of `text` that wrap() cannot break. */
export function longestPiece(text: string): number {
  return Math.max(0, ...text.split(/ +/).flatMap((word) => word.split(BREAK_AFTER).map((p) => p.length)));
}

/**
 * Column widths that fit `budget`: the columns that fit their share keep their longest cell, the
 * others share what is left (water-filling), none below its floor: its longest unbreakable piece
 * (so that piece does not push the next column aside), at least MIN_COLUMN. When the floors
 * alone exceed the budget they share it the same way, and only pieces longer than their column
 * make a line longer.
 */
export function fitColumns(natural: readonly number[], budget: number, pieces: readonly number[] = []): number[] {
  const least = natural.map((n) => Math.min(n, MIN_COLUMN));
  const floors = natural.map((n, i) => Math.max(least[i], Math.min(n, pieces[i] ?? 0)));
  return share(natural, share(floors, least, budget), budget);
}

/** Widths between `floors` and `natural`, capped at the widest cap that fits `budget`. */
function share(natural: readonly number[], floors: readonly number[], budget: number): number[] {
  const at = (cap: number) => natural.map((n, i) => Math.max(floors[i], Math.min(n, cap)));
  const total = (cap: number) => at(cap).reduce((a, b) => a + b, 0);
  // total() grows with the cap: a binary search finds the widest that fits.
  let low = 0;
  let high = Math.max(0, ...natural);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (total(mid) <= budget) low = mid;
    else high = mid - 1;
  }
  return at(low);
}

export interface TableLayout {
  /** Characters before each line. */
  readonly indent: string;
  /** The longest a line may be. */
  readonly width: number;
  /** Colors a cell's text (row 0 is the header); widths are counted before. */
  readonly paint?: (row: number, column: number, text: string) => string;
}

const GAP = '  ';

/** Rows of cells as aligned columns; a cell too long for its column continues on the lines below. */
export function table(rows: readonly (readonly string[])[], layout: TableLayout): string[] {
  if (rows.length === 0) return [];
  const columns = rows[0].length;
  const natural = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const budget = layout.width - layout.indent.length - GAP.length * (columns - 1);
  const pieces = rows[0].map((_, i) => Math.max(...rows.map((r) => longestPiece(r[i]))));
  const widths = fitColumns(natural, budget, pieces);
  const paint = layout.paint ?? ((_row: number, _column: number, text: string) => text);
  return rows.flatMap((row, r) => {
    const cells = row.map((cell, c) => wrap(cell, widths[c]));
    const height = Math.max(...cells.map((lines) => lines.length));
    return Array.from({ length: height }, (_, k) => {
      const parts = cells.map((lines, c) => {
        const text = lines[k] ?? '';
        const padding = c === columns - 1 ? '' : ' '.repeat(Math.max(0, widths[c] - text.length));
        return (text === '' ? '' : paint(r, c, text)) + padding;
      });
      return (layout.indent + parts.join(GAP)).trimEnd();
    });
  });
}
