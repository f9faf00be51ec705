// Writes schema/layerlint.schema.json, the JSON Schema of `.layerlint.yaml|yml|json` that editors use
// to complete and check a config (see "Editor completion" in README.md). It is generated from the
// rules' own option schemas and committed; test/schema.test.ts fails when it is out of date.
//
//   npm run build:schema
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../dist/src/config/schema.js';
import { withPluginsSchema } from '../dist/src/config/plugins.js';
import { builtinRules } from '../dist/rules/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'schema/layerlint.schema.json');
writeFileSync(file, schemaText(builtinRules));
console.log(`wrote ${path.relative(root, file)}`);

export function schemaText(rules) {
  return `${JSON.stringify(withPluginsSchema(configJsonSchema(rules)), null, 2)}\n`;
}
