// The `estimate:` section of a config file: package index files to size apt installs with, and base
// image sizes over the built-in table. A wrong value is an error that names its key, as elsewhere.
import path from 'node:path';
import { ConfigError } from '../config/load-config.js';
import type { EstimateOptions } from './estimate-family.js';

export interface EstimateConfig {
  /** `Packages` files (plain, .gz or .lz4), relative to the config file. */
  packages?: string[];
  /** Compressed sizes in bytes by table key (`python:slim`). */
  baseSizes?: Record<string, number>;
}

const KEYS = ['packages', 'baseSizes'];

/** Options for estimateFamily from the section as written; `file` is the config file it came from. */
export function estimateOptionsFromConfig(section: unknown, file: string): Pick<EstimateOptions, 'packageIndexFiles' | 'baseSizes'> {
  if (section === undefined || section === null) return {};
  const fail = (key: string, detail: string): never => {
    throw new ConfigError({ file, key, detail });
  };
  if (typeof section !== 'object' || Array.isArray(section)) fail('estimate', 'expected a mapping with `packages` and `baseSizes`');
  const s = section as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!KEYS.includes(k)) fail(`estimate.${k}`, `unknown key (expected ${KEYS.join(' or ')})`);
  const out: Pick<EstimateOptions, 'packageIndexFiles' | 'baseSizes'> = {};
  if (s.packages !== undefined) {
    const list = typeof s.packages === 'string' ? [s.packages] : s.packages;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === '')) fail('estimate.packages', 'expected a list of Packages file paths');
    out.packageIndexFiles = (list as string[]).map((p) => path.resolve(path.dirname(path.resolve(file)), p));
  }
  if (s.baseSizes !== undefined) {
    if (typeof s.baseSizes !== 'object' || s.baseSizes === null || Array.isArray(s.baseSizes)) fail('estimate.baseSizes', 'expected a mapping of `<image>:<variant>` to a size in bytes');
    const sizes: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.baseSizes as Record<string, unknown>)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`estimate.baseSizes.${k}`, 'expected a whole number of bytes, 0 or more');
      sizes[k] = v as number;
    }
    out.baseSizes = sizes;
  }
  return out;
}
