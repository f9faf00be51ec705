// Family rules compare images that build on the same thing: the children of one repository image, or the
// repository images on one external base. Only within such a group can two images share layers that
// they do not both inherit, so every comparison between images stays inside a group.
import type { ImageGraph, ImageNode, LayerStep } from './types.js';

export interface SiblingGroup {
  /** The parent image; null when the members build on the same external base. */
  parent: ImageNode | null;
  /** The parent image's name, or the external reference. */
  parentName: string;
  /** Two or more images, in graph order. */
  members: ImageNode[];
}

/** Groups of two or more images with the same parent image, or the same external base. */
export function siblingGroups(graph: ImageGraph): SiblingGroup[] {
  const groups: SiblingGroup[] = [];
  for (const img of graph.images) {
    if (img.children.length >= 2) groups.push({ parent: img, parentName: img.name, members: [...img.children] });
  }
  for (const base of graph.bases) {
    if (base.images.length >= 2) groups.push({ parent: null, parentName: base.ref, members: [...base.images] });
  }
  return groups;
}

/** The steps the image's own Dockerfile writes: its parent's ONBUILD triggers are not among them. */
export function ownSteps(img: ImageNode): LayerStep[] {
  return img.steps.filter((s) => !s.inherited);
}

/** The chain key the image's own steps build on: after the parent's triggers, which every sibling runs. */
export function ownStartKey(img: ImageNode): string {
  let key = img.baseChainKey;
  for (const s of img.steps) if (s.inherited) key = s.chainKey;
  return key;
}

/** The Dockerfile that holds a step's instruction: an ONBUILD trigger is written in the parent's. */
export function stepFile(img: ImageNode, step: LayerStep): string {
  return step.inherited && img.parent ? img.parent.file : img.file;
}

/** `a, b and c`, or `a, b, c and 4 more` past `max` names. */
export function nameList(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
