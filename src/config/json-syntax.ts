// JSON.parse says where a syntax error is only in some messages, and those differ between Node versions
// and quote the text. This finds the offset and a short reason itself, for text JSON.parse rejected.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

class Stop {
  constructor(readonly error: JsonSyntaxError) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** The first syntax error in `text`, or null when it is valid JSON (or nested too deeply to scan). */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const stop = (message: string): never => {
    const atEnd = i >= text.length && message !== 'unterminated string';
    throw new Stop({ offset: i, message: atEnd ? 'unexpected end of file' : message });
  };
  const unexpected = (): never => stop(i >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[i])}`);
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') stop('unterminated string');
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          HEX4.lastIndex = i + 1;
          if (!HEX4.test(text)) stop('\\u must be followed by four hex digits');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i++;
        } else {
          stop('invalid escape in string');
        }
      } else if ((c as string).charCodeAt(0) < 0x20) {
        stop('control character in string');
      } else {
        i++;
      }
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') stop(text[i] === '}' ? 'expected a key after "," (JSON has no trailing commas)' : 'expected a key in double quotes');
        string();
        space();
        if (text[i] !== ':') stop('expected ":" after the key');
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else stop('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] === ']') stop('expected a value after "," (JSON has no trailing commas)');
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else stop('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      i += number[0].length;
      return;
    }
    unexpected();
  };
  try {
    value();
    space();
    if (i < text.length) stop('unexpected text after the end of the JSON value');
    return null;
  } catch (caught) {
    if (caught instanceof Stop) return caught.error;
    return null;
  }
}
