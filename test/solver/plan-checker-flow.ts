/**
 * A small exact max-flow (Dinic, integer capacities) for the level-2 maximality checks. The
 * checker's weeks are small, so clarity beats speed here.
 */
export class MaxFlow {
  private readonly head: number[][] = [];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];

  node(): number {
    this.head.push([]);
    return this.head.length - 1;
  }

  edge(from: number, to: number, capacity: number): void {
    if (capacity <= 0) return;
    this.head[from]!.push(this.to.length);
    this.to.push(to);
    this.cap.push(capacity);
    this.head[to]!.push(this.to.length);
    this.to.push(from);
    this.cap.push(0);
  }

  run(source: number, sink: number): number {
    let total = 0;
    for (;;) {
      const level = this.levels(source);
      if (level[sink]! < 0) return total;
      const next = this.head.map(() => 0);
      for (let f = this.push(source, sink, Infinity, level, next); f > 0; f = this.push(source, sink, Infinity, level, next)) total += f;
    }
  }

  private levels(source: number): number[] {
    const level = this.head.map(() => -1);
    level[source] = 0;
    const queue = [source];
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!;
      for (const e of this.head[v]!) {
        const u = this.to[e]!;
        if (this.cap[e]! > 0 && level[u]! < 0) {
          level[u] = level[v]! + 1;
          queue.push(u);
        }
      }
    }
    return level;
  }

  private push(v: number, sink: number, limit: number, level: number[], next: number[]): number {
    if (v === sink) return limit;
    const edges = this.head[v]!;
    for (; next[v]! < edges.length; next[v]!++) {
      const e = edges[next[v]!]!;
      const u = this.to[e]!;
      if (this.cap[e]! <= 0 || level[u] !== level[v]! + 1) continue;
      const f = this.push(u, sink, Math.min(limit, this.cap[e]!), level, next);
      if (f > 0) {
        this.cap[e]! -= f;
        this.cap[e ^ 1]! += f;
        return f;
      }
    }
    return 0;
  }
}
