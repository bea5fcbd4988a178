/**
 * One week's hours as a flow network: skill nodes (node 0 = "any skill") → staff → sink, with
 * each person's capacity on the staff → sink edge. Work is added ticket by ticket in precedence
 * order with augmenting paths, so hours already given to earlier (higher-precedence) tickets are
 * never taken back, only re-routed to other people who can do them. That makes each level a
 * lexicographic maximum: no later ticket can gain an hour without an earlier one losing it.
 *
 * Flow is kept per phase (the order levels were planned in the week) so the final split into
 * per-person allocations knows which hours belong to which level. When a path re-routes hours,
 * the latest phase moves first, which keeps early-phase placements stable.
 *
 * A skill node with no augmenting path is "blocked": every person reachable from it is full, and
 * stays full with the same work for the rest of the week (no later path can cross a closed set).
 * Blocking is what lets a week plan in time linear in its tickets.
 */
import type { Model } from './model.ts';

export class WeekFlow {
  readonly K: number;
  readonly S: number;
  readonly cap: Int32Array;
  readonly used: Int32Array;
  /** flow[phase][k * S + s]: quarters of skill node k's work done by s, planned in that phase. */
  readonly flow: Int32Array[];
  readonly total: Int32Array;
  readonly blocked: Uint8Array;
  augmentations = 0;

  private readonly adj: Uint8Array;
  private readonly staffOf: number[][];
  private readonly nodesOf: number[][];
  private readonly seenStaff: Int32Array;
  private readonly seenNode: Int32Array;
  private readonly parentStaff: Int32Array;
  private readonly parentNode: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;

  constructor(model: Model, week: number, phases: number) {
    const K = model.skillNodes.length;
    const S = model.staff.length;
    this.K = K;
    this.S = S;
    this.cap = new Int32Array(S);
    this.used = new Int32Array(S);
    for (const st of model.staff) this.cap[st.idx] = st.capQ[week]!;
    this.flow = Array.from({ length: phases }, () => new Int32Array(K * S));
    this.total = new Int32Array(K * S);
    this.blocked = new Uint8Array(K);
    this.adj = new Uint8Array(K * S);
    this.staffOf = model.staffByNode.map((list) => list.filter((s) => this.cap[s]! > 0));
    this.nodesOf = model.staff.map((st) => st.skillNodes);
    for (let k = 0; k < K; k++) {
      for (const s of this.staffOf[k]!) this.adj[k * S + s] = 1;
      if (this.staffOf[k]!.length === 0) this.blocked[k] = 1;
    }
    this.seenStaff = new Int32Array(S);
    this.seenNode = new Int32Array(K);
    this.parentStaff = new Int32Array(S);
    this.parentNode = new Int32Array(K);
    this.queue = new Int32Array(K + S);
  }

  residual(s: number): number {
    return this.cap[s]! - this.used[s]!;
  }

  /** Staff with capacity this week who can serve skill node k. */
  staffFor(k: number): readonly number[] {
    return this.staffOf[k]!;
  }

  /**
   * Adds up to `need` quarters of skill node k's work in `phase`, trying `preferred` people first.
   * Returns the quarters placed.
   */
  augment(k: number, need: number, phase: number, preferred: number): number {
    if (need <= 0 || this.blocked[k]) return 0;
    let got = 0;
    const S = this.S;
    if (preferred >= 0 && this.adj[k * S + preferred] && this.residual(preferred) > 0) {
      const take = Math.min(need, this.residual(preferred));
      this.add(phase, k, preferred, take);
      this.used[preferred]! += take;
      got += take;
    }
    while (got < need) {
      const end = this.findPath(k);
      if (end < 0) {
        this.blocked[k] = 1;
        break;
      }
      this.augmentations++;
      let b = Math.min(need - got, this.residual(end));
      for (let s = end, node = this.parentStaff[s]!; node !== k; ) {
        const prev = this.parentNode[node]!;
        b = Math.min(b, this.total[node * S + prev]!);
        s = prev;
        node = this.parentStaff[s]!;
      }
      this.used[end]! += b;
      for (let s = end, node = this.parentStaff[s]!; ; ) {
        if (node === k) {
          this.add(phase, k, s, b);
          break;
        }
        const prev = this.parentNode[node]!;
        this.move(node, prev, s, b);
        s = prev;
        node = this.parentStaff[s]!;
      }
      got += b;
    }
    return got;
  }

  /** Breadth-first search in the residual network; returns the person with free hours reached. */
  private findPath(source: number): number {
    const S = this.S;
    const stamp = ++this.stamp;
    let head = 0;
    let tail = 0;
    this.seenNode[source] = stamp;
    this.queue[tail++] = source;
    while (head < tail) {
      const x = this.queue[head++]!;
      if (x < this.K) {
        for (const s of this.staffOf[x]!) {
          if (this.seenStaff[s] === stamp) continue;
          this.seenStaff[s] = stamp;
          this.parentStaff[s] = x;
          if (this.cap[s]! > this.used[s]!) return s;
          this.queue[tail++] = this.K + s;
        }
      } else {
        const s = x - this.K;
        for (const node of this.nodesOf[s]!) {
          // A blocked node reaches nobody with free hours, so searching through it is wasted.
          if (this.seenNode[node] === stamp || this.blocked[node] || this.total[node * S + s]! <= 0) continue;
          this.seenNode[node] = stamp;
          this.parentNode[node] = s;
          this.queue[tail++] = node;
        }
      }
    }
    return -1;
  }

  private add(phase: number, k: number, s: number, q: number): void {
    const i = k * this.S + s;
    this.flow[phase]![i]! += q;
    this.total[i]! += q;
  }

  /** Re-routes q quarters of node k's work from person a to person b, latest phase first. */
  private move(k: number, a: number, b: number, q: number): void {
    const S = this.S;
    const ia = k * S + a;
    const ib = k * S + b;
    this.total[ia]! -= q;
    this.total[ib]! += q;
    for (let ph = this.flow.length - 1; ph >= 0 && q > 0; ph--) {
      const f = this.flow[ph]!;
      const m = Math.min(q, f[ia]!);
      if (m > 0) {
        f[ia]! -= m;
        f[ib]! += m;
        q -= m;
      }
    }
  }
}
