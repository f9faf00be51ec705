// Dockerfile text to plain data on offsets (src/parse/raw.ts), in one walk down the lines: parser
// directives at the top, then instructions with their flags, heredocs and ONBUILD triggers, then
// comments. Every step is linear in the text, so a long RUN or a huge file costs no more than its
// size. test/parser-differential.test.ts holds the output to a dockerfile-ast based reader.
import type { SourceText } from '../source/source-text.js';
import type { RawDockerfile } from './raw.js';
import { readDirectives } from './directives.js';
import { lexComments, lexInstructions } from './lexer.js';

export function parseDockerfile(source: SourceText): RawDockerfile {
  try {
    const { directives, escapeChar, problems } = readDirectives(source);
    const instructions = lexInstructions(source, escapeChar);
    const comments = lexComments(source, instructions, directives);
    return { instructions, comments, directives, escapeChar, problems };
  } catch (error) {
    // A defect here must not end the whole run: it becomes this file's problem.
    const message = error instanceof Error ? error.message : String(error);
    return { instructions: [], comments: [], directives: [], escapeChar: '\\', problems: [{ message: `could not parse: ${message}`, range: { start: 0, end: 0 } }] };
  }
}
