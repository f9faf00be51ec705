import type { Range } from '../source/source-text.js';
import type { FromInstruction } from './types.js';

/**
 * The tag of a FROM image as written (`12` in `debian:12`, `${TAG}` in `debian:${TAG}`), or null when
 * the written text has no tag of its own (`FROM $IMAGE`) or the image text could not be located.
 */
export function writtenTagRange(from: FromInstruction): Range | null {
  const range = from.imageRange;
  if (!range) return null;
  const text = from.image;
  // Colons and slashes inside `${VAR:-default}` belong to the variable, not to the reference.
  let depth = 0;
  let slash = -1;
  let colon = -1;
  let at = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (depth === 0 && c === '/') slash = i;
    else if (depth === 0 && c === ':') colon = i;
    else if (depth === 0 && c === '@') {
      at = i;
      break;
    }
  }
  if (colon < 0 || colon < slash || colon + 1 >= at) return null;
  return { start: range.start + colon + 1, end: range.start + at };
}
