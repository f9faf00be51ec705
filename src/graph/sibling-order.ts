// One canonical order for the steps of sibling images, so that the steps they have in common form
// shared layer prefixes. Finding the best order is a hard problem; the greedy below is close on real
// families: at each position take the step most siblings still have (then the one most of them run
// next), send the siblings that have it down that branch, and repeat for the ones that do not.
import type { ImageNode, LayerStep } from './types.js';

export interface SiblingSteps {
  image: ImageNode;
  /** The image's own steps in build order, all built on the same chain key as the other siblings'. */
  steps: LayerStep[];
}

export interface ProposedOrder {
  image: ImageNode;
  current: LayerStep[];
  proposed: LayerStep[];
  /** How many leading steps the image shares with a sibling: today, and in the proposed orders. */
  sharedNow: number;
  sharedAfter: number;
  /** The siblings it would share more of its layers with. */
  partners: ImageNode[];
}

/** Whether `step` can run before `over` (earlier steps of the same image, in order) without depending on them. */
export type CanMove = (image: ImageNode, step: LayerStep, over: readonly LayerStep[]) => boolean;

interface State {
  image: ImageNode;
  current: LayerStep[];
  remaining: LayerStep[];
  placed: LayerStep[];
}

interface Candidate {
  key: string;
  holders: { state: State; at: number }[];
  next: number;
  position: number;
}

export function proposeOrder(siblings: readonly SiblingSteps[], canMove: CanMove): ProposedOrder[] {
  const states: State[] = siblings.map((s) => ({ image: s.image, current: s.steps, remaining: [...s.steps], placed: [] }));
  arrange(states, canMove);
  const proposed = states.map((s) => [...s.placed, ...s.remaining]);
  const now = sharedPrefixes(states.map((s) => s.current));
  const after = sharedPrefixes(proposed);
  return states.map((s, i) => {
    const mine = proposed[i] as LayerStep[];
    const depth = now.depth[i] as number;
    const partners = states.filter((_, j) => j !== i && commonPrefix(mine, proposed[j] as LayerStep[]) > depth).map((o) => o.image);
    return { image: s.image, current: s.current, proposed: mine, sharedNow: depth, sharedAfter: after.depth[i] as number, partners };
  });
}

function arrange(states: State[], canMove: CanMove): void {
  let pool = states;
  while (pool.length >= 2) {
    const best = bestCandidate(pool, canMove);
    if (!best) return;
    for (const { state, at } of best.holders) state.placed.push(...state.remaining.splice(at, 1));
    const taken = new Set(best.holders.map((h) => h.state));
    arrange([...taken], canMove);
    pool = pool.filter((s) => !taken.has(s));
  }
}

function bestCandidate(pool: readonly State[], canMove: CanMove): Candidate | null {
  const byKey = new Map<string, Candidate>();
  for (const state of pool) {
    const seen = new Set<string>();
    state.remaining.forEach((step, at) => {
      if (seen.has(step.key)) return;
      seen.add(step.key);
      if (at > 0 && !canMove(state.image, step, state.remaining.slice(0, at))) return;
      const c = byKey.get(step.key) ?? { key: step.key, holders: [], next: 0, position: 0 };
      c.holders.push({ state, at });
      if (at === 0) c.next++;
      c.position += at;
      byKey.set(step.key, c);
    });
  }
  let best: Candidate | null = null;
  for (const c of byKey.values()) {
    if (c.holders.length < 2) continue;
    if (!best || c.holders.length > best.holders.length || (c.holders.length === best.holders.length && (c.next > best.next || (c.next === best.next && c.position < best.position)))) best = c;
  }
  return best;
}

function commonPrefix(a: readonly LayerStep[], b: readonly LayerStep[]): number {
  let n = 0;
  while (n < a.length && n < b.length && (a[n] as LayerStep).key === (b[n] as LayerStep).key) n++;
  return n;
}

interface TrieNode {
  count: number;
  children: Map<string, TrieNode>;
}

/** For each sequence, how many leading steps at least one other sequence also starts with (one trie, no pairs). */
export function sharedPrefixes(seqs: readonly (readonly LayerStep[])[]): { depth: number[] } {
  const root: TrieNode = { count: 0, children: new Map() };
  for (const seq of seqs) {
    let node = root;
    for (const step of seq) {
      let next = node.children.get(step.key);
      if (!next) node.children.set(step.key, (next = { count: 0, children: new Map() }));
      next.count++;
      node = next;
    }
  }
  const depth = seqs.map((seq) => {
    let node = root;
    let d = 0;
    for (const step of seq) {
      const next = node.children.get(step.key) as TrieNode;
      if (next.count < 2) break;
      node = next;
      d++;
    }
    return d;
  });
  return { depth };
}
