/**
 * One week's hours as a flow network: skill nodes (node 0 = "any skill") → staff → sink, with
 * each person's capacity on the staff → sink edge. Work is added ticket by ticket in precedence
 * order with augmenting paths, so hours already given to earlier (higher-precedence) work are
 * never taken back, only re-routed to other people who can do them. That makes each level a
 * lexicographic maximum: no later ticket can gain an hour without an earlier one losing it.
 *
 * Level 2 (locked-in rates) adds a client layer (`beginClientPhase` … `endClientPhase`): source →
 * client (its target as budget) → (client, skill) work node → staff. A client's target may then
 * be re-routed among its own tickets of other skills, so that another client's target can use
 * the person who was on it: every target that can be met is met before anyone gets hours above
 * theirs, and a client's total never goes down once given.
 *
 * Flow is kept per phase (the order levels were planned in the week) so the final split into
 * per-person allocations knows which hours belong to which level. When a path re-routes hours,
 * the latest phase moves first, which keeps early-phase placements stable. Hours reserved for a
 * pin (`reservePerson`) are fixed to their person and never re-routed.
 *
 * A node with no augmenting path is "blocked": every person reachable from it is full, and stays
 * full with the same work for the rest of the week (no later path can cross a closed set, and
 * nothing frees capacity, except the level-2 priority repair, which clears the marks). Blocking
 * is what lets a week plan in time linear in its tickets.
 */
import type { Model, Share } from './model.ts';

/** The client layer of level 2: one work node per (client, skill node) with open tickets. */
interface ClientLayer {
  phase: number;
  /** Client index and skill node of each work node. */
  client: number[];
  node: number[];
  /** Quarters of open work behind each work node (its tickets' remaining hours at the phase's start). */
  cap: number[];
  /** Quarters of level-2 flow through each work node. */
  flow: number[];
  /** Per person, quarters of each work node's flow (lazily allocated). */
  byPerson: (Int32Array | null)[];
  /** Work nodes each person has flow from (entries may go stale at 0). */
  personWork: number[][];
  /** Work nodes of each client. */
  clientWork: Map<number, number[]>;
  index: Map<number, number>;
  blockedWork: Uint8Array;
  blockedClient: Map<number, boolean>;
}

export interface PathEnd {
  /** A person with free hours, or -1. */
  person: number;
  /** For level-2 repair: the work node whose flow the path cancels instead, or -1. */
  cancel: number;
}

export class WeekFlow {
  readonly K: number;
  readonly S: number;
  readonly cap: Int32Array;
  readonly used: Int32Array;
  /** flow[phase][k * S + s]: quarters of skill node k's work done by s, planned in that phase. */
  readonly flow: Int32Array[];
  /** Movable flow per (skill node, person), every phase except an open client phase and pins. */
  readonly total: Int32Array;
  readonly blocked: Uint8Array;
  augmentations = 0;

  private readonly adj: Uint8Array;
  private readonly staffOf: number[][];
  private readonly nodesOf: number[][];
  private layer: ClientLayer | null = null;
  /**
   * Quarters each person is expected to give, later in the phase, to tickets they had in the plan
   * in force. Searches first look for someone free beyond that, so that keeping one ticket with
   * its person does not push another ticket off its own.
   */
  private promised: Int32Array | null = null;
  /**
   * Per person, the rank of the last ticket they had in the plan in force among this phase's
   * (−1: none). When nobody is free beyond their promises, a search ends at the person whose
   * promised work comes last: that is the work the phase leaves out if anything, so the hours
   * move once instead of down a chain of people each handing on a ticket.
   */
  private lastPromised: Int32Array | null = null;
  private reroutable: (client: number) => boolean = () => true;
  private C = 0;
  // BFS scratch, sized for skill nodes + people (+ work and client nodes during level 2).
  private seen = new Int32Array(0);
  private parent = new Int32Array(0);
  private queue = new Int32Array(0);
  private depth = new Int32Array(0);
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
    this.scratch(K + S);
  }

  private scratch(n: number): void {
    if (this.seen.length >= n) return;
    this.seen = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.depth = new Int32Array(n);
    this.stamp = 0;
  }

  residual(s: number): number {
    return this.cap[s]! - this.used[s]!;
  }

  /** Sets (or clears, with null) the quarters people are expected to give their previous tickets. */
  setPromised(promised: Int32Array | null, lastPromised: Int32Array | null = null): void {
    this.promised = promised;
    this.lastPromised = lastPromised;
  }

  /** A share was kept: the person gave `q` of the quarters promised to it. */
  private keep(share: Share, q: number): void {
    share.q -= q;
    if (this.promised) this.promised[share.s] = Math.max(0, this.promised[share.s]! - q);
  }

  /**
   * A search that prefers people free beyond their promises, then anyone free (with a plan in
   * force, of those nearest, the one whose promised work comes last).
   */
  private searchFree(source: number): number {
    if (this.promised) {
      const end = this.search(source, undefined, this.promised);
      if (end >= 0) return end;
      return this.search(source, undefined, undefined, this.lastPromised ?? undefined);
    }
    return this.search(source);
  }

  /** Staff with capacity this week who can serve skill node k. */
  staffFor(k: number): readonly number[] {
    return this.staffOf[k]!;
  }

  canServe(k: number, s: number): boolean {
    return this.adj[k * this.S + s] === 1;
  }

  /**
   * Adds up to `need` quarters of skill node k's work in `phase`, giving `preferred` people their
   * share first (each share is reduced by what it took). Returns the quarters placed.
   */
  augment(k: number, need: number, phase: number, preferred: readonly Share[] = []): number {
    if (need <= 0 || this.blocked[k]) return 0;
    let got = 0;
    const S = this.S;
    for (const p of preferred) {
      if (got >= need) break;
      if (p.s < 0 || p.q <= 0 || !this.adj[k * S + p.s] || this.residual(p.s) <= 0) continue;
      const take = Math.min(need - got, this.residual(p.s), p.q);
      this.add(phase, k, p.s, take);
      this.used[p.s]! += take;
      this.keep(p, take);
      got += take;
    }
    while (got < need) {
      const end = this.searchFree(k);
      if (end < 0) {
        this.blockSeen();
        break;
      }
      got += this.push(end, need - got, phase, k);
    }
    return got;
  }

  /**
   * Frees up to `need` quarters of person s's week for a pin, moving movable work they have to
   * other people who can do it, and reserves them (fixed to s, never re-routed). Returns the
   * quarters reserved.
   */
  reservePerson(s: number, need: number): number {
    let got = Math.min(need, Math.max(0, this.residual(s)));
    this.used[s]! += got;
    while (got < need) {
      const end = this.search(this.K + s);
      if (end < 0) break;
      // s hands movable work to others and takes the pin's hours instead: s's total is unchanged.
      got += this.push(end, need - got, -1, -1);
    }
    return got;
  }

  // ——— Level 2: the client layer ———

  /** Opens the client layer: `work` lists each (client, skill node) and its quarters of open work. */
  beginClientPhase(phase: number, clients: number, work: { client: number; node: number; q: number }[]): void {
    const J = work.length;
    const layer: ClientLayer = {
      phase,
      client: work.map((w) => w.client),
      node: work.map((w) => w.node),
      cap: work.map((w) => w.q),
      flow: work.map(() => 0),
      byPerson: work.map(() => null),
      personWork: Array.from({ length: this.S }, () => []),
      clientWork: new Map(),
      index: new Map(),
      blockedWork: new Uint8Array(J),
      blockedClient: new Map(),
    };
    work.forEach((w, j) => {
      layer.index.set(w.client * this.K + w.node, j);
      let list = layer.clientWork.get(w.client);
      if (!list) layer.clientWork.set(w.client, (list = []));
      list.push(j);
      if (this.blocked[w.node]) layer.blockedWork[j] = 1;
    });
    this.layer = layer;
    this.C = clients;
    this.scratch(this.K + this.S + J + clients);
  }

  /** Which clients' targets may be re-routed among their tickets (see locked-in-rate.ts). */
  setReroutable(reroutable: (client: number) => boolean): void {
    this.reroutable = reroutable;
  }

  workNode(client: number, node: number): number {
    return this.layer!.index.get(client * this.K + node) ?? -1;
  }

  /** Quarters of level-2 flow through a work node, and the open work behind it. */
  workFlow(j: number): number {
    return this.layer!.flow[j]!;
  }

  /** The work node was found closed: it takes nothing more until the marks are cleared. */
  workBlocked(j: number): boolean {
    return this.layer!.blockedWork[j] === 1;
  }

  workRoom(j: number): number {
    return this.layer!.cap[j]! - this.layer!.flow[j]!;
  }

  workNodesOf(client: number): readonly number[] {
    return this.layer!.clientWork.get(client) ?? [];
  }

  /**
   * Adds up to `need` quarters of a client's target through work node j (a ticket of that client
   * and skill), re-routing other clients' targets among their own tickets where that frees a
   * person. Returns the quarters placed.
   */
  augmentTarget(j: number, need: number, preferred: readonly Share[] = []): number {
    const L = this.layer!;
    need = Math.min(need, this.workRoom(j));
    if (need <= 0 || L.blockedWork[j]) return 0;
    let got = 0;
    const k = L.node[j]!;
    for (const p of preferred) {
      if (got >= need) break;
      if (p.s < 0 || p.q <= 0 || !this.adj[k * this.S + p.s] || this.residual(p.s) <= 0) continue;
      const take = Math.min(need - got, this.residual(p.s), p.q);
      L.flow[j]! += take;
      this.addWork(j, p.s, take);
      this.used[p.s]! += take;
      this.keep(p, take);
      got += take;
    }
    while (got < need) {
      const end = this.searchFree(this.K + this.S + j);
      if (end < 0) {
        this.blockSeen();
        break;
      }
      got += this.push(end, need - got, L.phase, -1);
    }
    return got;
  }

  /**
   * Level-2 priority repair: moves up to `need` quarters of a client's target onto work node j
   * (a higher-priority ticket) from its lower-priority work, `lowRoom(j')` quarters at most from
   * each other work node j'. A path may end at a free person (the lower-priority hours are then
   * cancelled, freeing their people) or at one of those work nodes directly. Returns the quarters
   * moved.
   */
  repairTarget(j: number, need: number, lowRoom: (j: number) => number, cancelOrder: readonly number[]): number {
    const L = this.layer!;
    need = Math.min(need, this.workRoom(j));
    let got = 0;
    while (got < need) {
      const end = this.search(this.K + this.S + j, lowRoom);
      if (end < 0) break;
      const cancelNode = end >= this.K + this.S ? end - this.K - this.S : -1;
      let b = need - got;
      if (cancelNode < 0) {
        // Ends at a free person: as many quarters must come off the client's lower-priority work.
        let room = 0;
        for (const jj of this.workNodesOf(L.client[j]!)) if (jj !== j) room += lowRoom(jj);
        b = Math.min(b, room);
        if (b <= 0) break;
      }
      const moved = this.push(cancelNode >= 0 ? this.parent[end]! : end, b, L.phase, -1, cancelNode >= 0 ? end : -1, lowRoom);
      if (moved <= 0) break;
      if (cancelNode < 0) {
        let left = moved;
        for (const jj of cancelOrder) {
          if (jj === j || left <= 0) continue;
          left -= this.cancelWork(jj, Math.min(left, lowRoom(jj)));
        }
        this.clearBlocked();
      }
      got += moved;
    }
    return got;
  }

  /** Closes the client layer: its flow joins the skill-node flow of its phase. Returns each work node's quarters. */
  endClientPhase(): number[] {
    const L = this.layer!;
    const S = this.S;
    const f = this.flow[L.phase]!;
    L.byPerson.forEach((per, j) => {
      if (!per) return;
      const k = L.node[j]!;
      for (let s = 0; s < S; s++) {
        const q = per[s]!;
        if (q <= 0) continue;
        f[k * S + s]! += q;
        this.total[k * S + s]! += q;
      }
    });
    this.layer = null;
    return L.flow;
  }

  private addWork(j: number, s: number, q: number): void {
    const L = this.layer!;
    let per = L.byPerson[j];
    if (!per) per = L.byPerson[j] = new Int32Array(this.S);
    if (per[s] === 0) L.personWork[s]!.push(j);
    per[s]! += q;
  }

  /** Takes up to q quarters of work node j's flow off its people (most loaded first). */
  private cancelWork(j: number, q: number): number {
    const L = this.layer!;
    const per = L.byPerson[j];
    if (!per || q <= 0) return 0;
    let done = 0;
    const order = Array.from({ length: this.S }, (_, s) => s).filter((s) => per[s]! > 0).sort((a, b) => per[b]! - per[a]! || a - b);
    for (const s of order) {
      const m = Math.min(q - done, per[s]!);
      per[s]! -= m;
      this.used[s]! -= m;
      done += m;
      if (done >= q) break;
    }
    L.flow[j]! -= done;
    return done;
  }

  /** Forgets which nodes were found closed (capacity was freed, or more clients may be re-routed). */
  clearBlocked(): void {
    for (let k = 0; k < this.K; k++) this.blocked[k] = this.staffOf[k]!.length === 0 ? 1 : 0;
    if (this.layer) {
      this.layer.blockedWork.fill(0);
      this.layer.blockedClient.clear();
      this.layer.node.forEach((k, j) => (this.layer!.blockedWork[j] = this.blocked[k]!));
    }
  }

  // ——— Paths ———
  // Node ids: skill nodes 0…K−1, people K…K+S−1, work nodes K+S…K+S+J−1, clients after them.

  /**
   * Breadth-first search in the residual network from `source`; returns the node the path ends
   * at: a person with free hours, or (with `lowRoom`, level-2 repair) a work node of the source's
   * client whose lower-priority flow the path can cancel. −1 when there is none.
   */
  private search(source: number, lowRoom?: (j: number) => number, reserve?: Int32Array, prefer?: Int32Array): number {
    const { K, S } = this;
    const L = this.layer;
    const W0 = K + S;
    const C0 = L ? W0 + L.client.length : Number.MAX_SAFE_INTEGER;
    const home = L && source >= W0 ? L.client[source - W0]! : -1;
    const stamp = ++this.stamp;
    const seen = this.seen;
    const parent = this.parent;
    const queue = this.queue;
    const depth = this.depth;
    let head = 0;
    let tail = 0;
    // With `prefer`, the free person found nearest the source with the highest prefer[s] (the
    // first found among equals) ends the path: the search goes on through its depth.
    let best = -1;
    let bestDepth = 0;
    // Visiting a node: seen[node] = stamp, parent[node] = from, queue[tail++] = node (written out:
    // a closure here would be made on every search).
    seen[source] = stamp;
    parent[source] = -1;
    depth[source] = 0;
    queue[tail++] = source;
    const sourcePerson = source >= K && source < W0 ? source - K : -1;
    while (head < tail) {
      const x = queue[head++]!;
      if (best >= 0 && depth[x]! + 1 > bestDepth) break;
      if (x < K || x >= W0 && x < C0) {
        // A skill node or a work node: forward to the people who can do its work.
        const j = x >= W0 ? x - W0 : -1;
        const k = j >= 0 ? L!.node[j]! : x;
        for (const s of this.staffOf[k]!) {
          const node = K + s;
          if (seen[node] === stamp) continue;
          seen[node] = stamp;
          parent[node] = x;
          depth[node] = depth[x]! + 1;
          if (this.cap[s]! > this.used[s]! + (reserve ? reserve[s]! : 0)) {
            if (!prefer) return node;
            if (best < 0 || prefer[s]! > prefer[best - K]!) {
              best = node;
              bestDepth = depth[node]!;
            }
            continue;
          }
          queue[tail++] = node;
        }
        // A work node with flow: its client may take those hours through another of its work
        // nodes instead (in a repair, a home work node with lower-priority flow ends the path).
        if (j >= 0 && L!.flow[j]! > 0 && !(lowRoom && x === source)) {
          const c = L!.client[j]!;
          if (lowRoom) {
            // A repair takes the client's hours off its own lower-priority work (that ends the
            // path) and moves nobody else's between their tickets: people only, so repairs of
            // different clients never undo each other.
            const fromPerson = parent[x]! >= K && parent[x]! < W0;
            if (c === home && fromPerson && lowRoom(j) > 0) return x;
            continue;
          }
          const node = C0 + c;
          if (seen[node] !== stamp && !L!.blockedClient.get(c) && this.reroutable(c)) {
            seen[node] = stamp;
            parent[node] = x;
            depth[node] = depth[x]! + 1;
            queue[tail++] = node;
          }
        }
      } else if (x < W0) {
        // A person: the work they have that someone else could take over.
        const s = x - K;
        if (s !== sourcePerson && this.cap[s]! > this.used[s]! + (reserve ? reserve[s]! : 0)) return x;
        for (const k of this.nodesOf[s]!) {
          if (seen[k] === stamp || this.blocked[k] || this.total[k * S + s]! <= 0) continue;
          seen[k] = stamp;
          parent[k] = x;
          depth[k] = depth[x]! + 1;
          queue[tail++] = k;
        }
        if (L) {
          for (const j of L.personWork[s]!) {
            const node = W0 + j;
            if (seen[node] === stamp || (L.byPerson[j]?.[s] ?? 0) <= 0) continue;
            // A repair ends at the client's own lower-priority work, blocked or not.
            if (lowRoom && L.client[j] === home && lowRoom(j) > 0) {
              parent[node] = x;
              return node;
            }
            if (L.blockedWork[j]) continue;
            seen[node] = stamp;
            parent[node] = x;
            depth[node] = depth[x]! + 1;
            queue[tail++] = node;
          }
        }
      } else {
        // A client: its target may move to another of its work nodes with open work left.
        const c = x - C0;
        for (const j of L!.clientWork.get(c) ?? []) {
          const node = W0 + j;
          if (seen[node] === stamp || L!.blockedWork[j] || L!.cap[j]! - L!.flow[j]! <= 0) continue;
          seen[node] = stamp;
          parent[node] = x;
          depth[node] = depth[x]! + 1;
          queue[tail++] = node;
        }
      }
    }
    return best;
  }

  /** Marks every node of the last failed search blocked: they form a closed set. */
  private blockSeen(): void {
    const { K, S } = this;
    const L = this.layer;
    const W0 = K + S;
    const stamp = this.stamp;
    for (let k = 0; k < K; k++) if (this.seen[k] === stamp) this.blocked[k] = 1;
    if (!L) return;
    const J = L.client.length;
    for (let j = 0; j < J; j++) if (this.seen[W0 + j] === stamp) L.blockedWork[j] = 1;
    for (const c of L.clientWork.keys()) if (this.seen[W0 + J + c] === stamp) L.blockedClient.set(c, true);
  }

  /**
   * Pushes up to `want` quarters along the path found by the last search, ending at `end` (a
   * person with free hours, whose hours it uses) or, for level-2 repair, at `cancelAt` (a work
   * node whose flow it reduces). `phase` labels hours entering from a skill node `fromNode`; −1
   * for a pin's reserve (the source person gains the hours). Returns the quarters pushed.
   */
  private push(end: number, want: number, phase: number, fromNode: number, cancelAt = -1, lowRoom?: (j: number) => number): number {
    const { K, S } = this;
    const L = this.layer;
    const W0 = K + S;
    const C0 = L ? W0 + L.client.length : Number.MAX_SAFE_INTEGER;
    const path: number[] = [];
    if (cancelAt >= 0) path.push(cancelAt);
    for (let x = end; x >= 0; x = this.parent[x]!) path.unshift(x);
    // path[0] is the source; consecutive pairs are edges.
    let b = want;
    if (cancelAt < 0) b = Math.min(b, this.residual(end - K));
    const src = path[0]!;
    if (src >= W0 && src < C0) b = Math.min(b, L!.cap[src - W0]! - L!.flow[src - W0]!);
    for (let i = 0; i + 1 < path.length; i++) {
      const u = path[i]!;
      const v = path[i + 1]!;
      if (u >= K && u < W0) {
        const s = u - K;
        if (v < K) b = Math.min(b, this.total[v * S + s]!);
        else b = Math.min(b, L!.byPerson[v - W0]?.[s] ?? 0);
      } else if (u >= W0 && u < C0 && v >= C0) {
        b = Math.min(b, L!.flow[u - W0]!);
      } else if (u >= C0) {
        b = Math.min(b, L!.cap[v - W0]! - L!.flow[v - W0]!);
      }
    }
    if (cancelAt >= 0 && lowRoom) b = Math.min(b, lowRoom(cancelAt - W0));
    if (b <= 0) return 0;
    this.augmentations++;
    if (src >= W0 && src < C0) L!.flow[src - W0]! += b;
    for (let i = 0; i + 1 < path.length; i++) {
      const u = path[i]!;
      const v = path[i + 1]!;
      if (v >= K && v < W0) {
        const s = v - K;
        if (u < K) {
          // u is a skill node: entered from the source or from a person whose work moves to s.
          if (i === 0) this.add(phase, fromNode, s, b);
          else this.move(u, path[i - 1]! - K, s, b);
        } else {
          this.addWork(u - W0, s, b);
        }
      } else if (u >= K && u < W0 && v >= W0 && v < C0) {
        L!.byPerson[v - W0]![u - K]! -= b;
      } else if (u >= W0 && u < C0 && v >= C0) {
        L!.flow[u - W0]! -= b;
      } else if (u >= C0) {
        L!.flow[v - W0]! += b;
      }
    }
    if (cancelAt >= 0) L!.flow[cancelAt - W0]! -= b;
    else this.used[end - K]! += b;
    return b;
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
