/**
 * How wide a label may be drawn. The SVG asks for Helvetica, whose widths Graphviz lays out with;
 * a viewer without Helvetica, Arial or a metric-compatible font (Liberation Sans, Nimbus Sans)
 * draws the text in its default sans-serif, on Linux usually DejaVu Sans, up to a fifth wider,
 * and the text ran out of its box. So the space kept for a text is measured with the wider of the
 * two fonts, character by character.
 */

/**
 * Advance widths of the printable ASCII characters, space (32) to `~` (126), in thousandths of
 * the font size: per character the larger of Helvetica's and DejaVu Sans's.
 */
const REGULAR: readonly number[] = [
  318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637, 637, 637, 637, 637,
  637, 637, 637, 337, 337, 838, 838, 838, 557, 1016, 685, 687, 723, 771, 667, 611, 778, 752, 295, 500, 667, 558, 863,
  749, 788, 667, 788, 723, 667, 611, 732, 685, 989, 686, 667, 686, 391, 337, 391, 838, 557, 500, 613, 635, 550, 635,
  616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637,
  337, 637, 838,
];

/** The same for the bold faces (Helvetica Bold, DejaVu Sans Bold). */
const BOLD: readonly number[] = [
  349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 696, 400, 400, 838, 838, 838, 611, 1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 557, 775, 638, 996,
  837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 557, 500, 675, 716, 593, 716,
  679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712,
  366, 712, 838,
];

/** Any other character: as wide as the font size, as a CJK ideograph is; accented Latin is narrower. */
const OTHER = 1000;

/** The widest `text` (one line) can be drawn at `size` points, in points. */
export function textWidth(text: string, size: number, bold = false): number {
  const widths = bold ? BOLD : REGULAR;
  let total = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    total += code >= 32 && code <= 126 ? widths[code - 32] : OTHER;
  }
  return (total * size) / 1000;
}
