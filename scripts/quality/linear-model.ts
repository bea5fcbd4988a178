/**
 * A small growable LP (maximise) that the rules add columns, rows and objective terms to, then
 * handed to HiGHS as compressed sparse columns.
 */
import type { Highs, ModelData } from 'highs';

interface Row {
  lower: number;
  upper: number;
  cols: number[];
  coefs: number[];
}

export class LinearModel {
  private readonly cost: number[] = [];
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly rows: Row[] = [];
  private nonzeros = 0;

  get columns(): number {
    return this.cost.length;
  }

  get rowCount(): number {
    return this.rows.length;
  }

  get entries(): number {
    return this.nonzeros;
  }

  /** A column `lower ≤ x ≤ upper` with objective coefficient `cost`; returns its index. */
  addColumn(cost: number, lower: number, upper: number): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    return this.cost.length - 1;
  }

  costOf(col: number): number {
    return this.cost[col]!;
  }

  addCost(col: number, cost: number): void {
    this.cost[col]! += cost;
  }

  /** A row `lower ≤ Σ coef·x ≤ upper`; returns its index. Entries can be added later. */
  addRow(lower: number, upper: number, cols: number[] = [], coefs: number[] = cols.map(() => 1)): number {
    this.rows.push({ lower, upper, cols: [...cols], coefs: [...coefs] });
    this.nonzeros += cols.length;
    return this.rows.length - 1;
  }

  addEntry(row: number, col: number, coef = 1): void {
    const r = this.rows[row]!;
    r.cols.push(col);
    r.coefs.push(coef);
    this.nonzeros++;
  }

  toHighs(highs: Highs): ModelData {
    const n = this.cost.length;
    const counts = new Int32Array(n + 1);
    for (const r of this.rows) for (const c of r.cols) counts[c + 1]!++;
    for (let j = 0; j < n; j++) counts[j + 1]! += counts[j]!;
    const starts = Int32Array.from(counts);
    const next = Int32Array.from(counts.subarray(0, n));
    const indices = new Int32Array(this.nonzeros);
    const values = new Float64Array(this.nonzeros);
    this.rows.forEach((r, i) => {
      r.cols.forEach((c, k) => {
        const at = next[c]!++;
        indices[at] = i;
        values[at] = r.coefs[k]!;
      });
    });
    const inf = (x: number) => (x === Infinity ? highs.infinity : x === -Infinity ? -highs.infinity : x);
    return {
      numCols: n,
      numRows: this.rows.length,
      sense: highs.constants.objectiveSense.maximize,
      colCost: Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower, inf),
      colUpper: Float64Array.from(this.upper, inf),
      rowLower: Float64Array.from(this.rows, (r) => inf(r.lower)),
      rowUpper: Float64Array.from(this.rows, (r) => inf(r.upper)),
      matrix: { format: 'csc', numRows: this.rows.length, numCols: n, starts, indices, values },
    };
  }
}
