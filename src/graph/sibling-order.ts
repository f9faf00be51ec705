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

/** What two steps of different images are compared by (the step key, or a stricter identity). */
export type KeyOf = (image: ImageNode, step: LayerStep) => string;

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
  keys: Map<LayerStep, string>;
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

export function proposeOrder(siblings: readonly SiblingSteps[], keyOf: KeyOf, canMove: CanMove): ProposedOrder[] {
  const states: State[] = siblings.map((s) => ({
    image: s.image,
    keys: new Map(s.steps.map((step) => [step, keyOf(s.image, step)])),
    current: s.steps,
    remaining: [...s.steps],
    placed: [],
  }));
  arrange(states, canMove);
  const proposed = states.map((s) => [...s.placed, ...s.remaining]);
  const keysOf = (st: State, seq: readonly LayerStep[]): string[] => seq.map((step) => st.keys.get(step) as string);
  const now = sharedPrefixes(states.map((s) => keysOf(s, s.current)));
  const after = sharedPrefixes(states.map((s, i) => keysOf(s, proposed[i] as LayerStep[])));
  return states.map((s, i) => {
    const depth = now.depth[i] as number;
    // Those who go on with this image one step past what it shares today.
    const partners = (after.paths[i]?.[depth]?.members ?? []).filter((j) => j !== i).map((j) => (states[j] as State).image);
    return { image: s.image, current: s.current, proposed: proposed[i] as LayerStep[], sharedNow: depth, sharedAfter: after.depth[i] as number, partners };
  });
}

function arrange(states: readonly State[], canMove: CanMove): void {
  const byKey = candidates(states, canMove);
  const of = new Map<State, Candidate[]>();
  for (const c of byKey.values()) {
    for (const h of c.holders) {
      const list = of.get(h.state);
      if (list) list.push(c);
      else of.set(h.state, [c]);
    }
  }
  for (;;) {
    let best: Candidate | null = null;
    for (const c of byKey.values()) {
      if (c.holders.length < 2) continue;
      if (!best || c.holders.length > best.holders.length || (c.holders.length === best.holders.length && (c.next > best.next || (c.next === best.next && c.position < best.position)))) best = c;
    }
    if (!best) return;
    const holders = [...best.holders];
    const taken = new Set(holders.map((h) => h.state));
    // The siblings taking the step leave this branch: their other candidates go with them.
    for (const state of taken) {
      for (const c of of.get(state) ?? []) {
        const h = c.holders.find((x) => x.state === state);
        if (!h) continue;
        c.holders.splice(c.holders.indexOf(h), 1);
        if (h.at === 0) c.next--;
        c.position -= h.at;
        if (c.holders.length < 2) byKey.delete(c.key);
      }
    }
    for (const { state, at } of holders) state.placed.push(...state.remaining.splice(at, 1));
    arrange([...taken], canMove);
  }
}

/** Per step key that two or more of the siblings could run next, who could, and where it stands in each. */
function candidates(states: readonly State[], canMove: CanMove): Map<string, Candidate> {
  const present = new Map<string, number>();
  for (const state of states) for (const key of new Set(state.remaining.map((step) => state.keys.get(step) as string))) present.set(key, (present.get(key) ?? 0) + 1);
  const byKey = new Map<string, Candidate>();
  for (const state of states) {
    const seen = new Set<string>();
    state.remaining.forEach((step, at) => {
      const key = state.keys.get(step) as string;
      if (seen.has(key) || (present.get(key) ?? 0) < 2) return;
      seen.add(key);
      if (at > 0 && !canMove(state.image, step, state.remaining.slice(0, at))) return;
      const c = byKey.get(key) ?? { key, holders: [], next: 0, position: 0 };
      c.holders.push({ state, at });
      if (at === 0) c.next++;
      c.position += at;
      byKey.set(key, c);
    });
  }
  return byKey;
}

export interface TrieNode {
  /** Indices of the sequences that start with the path to this node, in ascending order. */
  members: number[];
}

/**
 * For each sequence, how many leading steps at least one other sequence also starts with, and the trie
 * nodes along its path (`paths[i][d]` holds the sequences sharing its first d + 1 steps). A path ends at
 * the first node no other sequence reaches: below it, every node would hold that sequence alone. One
 * trie, no pairs.
 */
export function sharedPrefixes(seqs: readonly (readonly string[])[]): { depth: number[]; paths: TrieNode[][] } {
  const paths: TrieNode[][] = seqs.map(() => []);
  // Groups of sequences with the same first `depth` steps, split by their next step.
  const groups: { members: readonly number[]; depth: number }[] = [{ members: seqs.map((_, i) => i), depth: 0 }];
  for (let group = groups.pop(); group; group = groups.pop()) {
    const next = new Map<string, TrieNode>();
    for (const i of group.members) {
      const key = (seqs[i] as readonly string[])[group.depth];
      if (key === undefined) continue;
      const node = next.get(key);
      if (node) node.members.push(i);
      else next.set(key, { members: [i] });
    }
    for (const node of next.values()) {
      for (const i of node.members) (paths[i] as TrieNode[]).push(node);
      if (node.members.length > 1) groups.push({ members: node.members, depth: group.depth + 1 });
    }
  }
  const depth = paths.map((path) => {
    const d = path.findIndex((n) => n.members.length < 2);
    return d < 0 ? path.length : d;
  });
  return { depth, paths };
}
