// From a position in a rendered Dockerfile back to the template text that produced it. Output copied
// from the template maps to the exact character; output computed by an expression maps to its `{{`;
// output of a macro, block or include defined elsewhere maps to the call, block or include statement
// in the template being linted, with the place it was really produced kept as the innermost position.
import type { Origin, Rendered, Segment } from './interpreter.js';
import type { SourcePosition } from './loader.js';

export interface MappedLocation {
  /** In the template being linted: the text itself, or the statement in it that generated the text. */
  primary: SourcePosition | null;
  /** `primary` is the very character (template text), not the statement or tag that produced it. */
  exact: boolean;
  /** Where the text was produced, when that is another file or a deeper position than `primary`. */
  innermost: SourcePosition;
  /** How the primary position produced it: `macro install_packages`, `block footer`, `include x.j2`. */
  via: string;
}

const CALL = /^(macro|include|import) /;

export class TemplateLineMap {
  constructor(
    private readonly rendered: Rendered,
    /** The template file being linted (absolute). */
    readonly templateFile: string,
  ) {}

  locate(offset: number): MappedLocation | null {
    const seg = this.segmentAt(offset);
    if (seg === null) return null;
    const leaf = seg.origin;
    let leafPos: SourcePosition;
    if (seg.literal) {
      const text = this.rendered.text;
      let line = leaf.p.line;
      let lineStart = -1;
      for (let i = text.indexOf('\n', seg.start); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
      }
      const col = lineStart < 0 ? leaf.p.col + (offset - seg.start) : offset - lineStart + 1;
      leafPos = leaf.template.locate({ line, col });
    } else leafPos = leaf.template.locate(leaf.p);

    // The position nearest the text, unless the text came out of a macro or include that the
    // template calls: then the call, where the generated instruction stands in the template.
    let primary: SourcePosition | null = null;
    let via = '';
    for (let o: Origin | null = leaf; o !== null; o = o.parent) {
      const at = o === leaf ? leafPos : o.template.locate(o.p);
      if (at.file !== this.templateFile) continue;
      if (primary === null || CALL.test(o.what)) {
        primary = at;
        via = o === leaf ? '' : o.what;
      }
    }
    return { primary, exact: primary === leafPos && seg.literal, innermost: leafPos, via };
  }

  private segmentAt(offset: number): Segment | null {
    const segs = this.rendered.segments;
    let lo = 0;
    let hi = segs.length - 1;
    if (hi < 0 || (segs[0] as Segment).start > offset) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segs[mid] as Segment).start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo] as Segment;
  }
}
