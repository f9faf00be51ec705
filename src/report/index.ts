import { github } from './github.js';
import { json } from './json.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import type { Formatter } from './types.js';

export type { Formatter, FormatterContext } from './types.js';
export type { JsonMessage, JsonResult } from './json.js';

/** Every built-in formatter by name; `stylish` is the default. */
export const formatters: { readonly stylish: Formatter; readonly json: Formatter } & Readonly<Record<string, Formatter>> = Object.freeze({
  stylish,
  json,
  sarif,
  github,
  markdown,
});

export const DEFAULT_FORMAT = 'stylish';
