// Both cores for a large run: the family graph and rules in a worker thread, each file's own rules in
// the main one. Both halves model the Dockerfiles they need (models do not cross threads), so it pays
// only when there is enough to do and cores to spare; small runs, fixing, plugin family rules and
// machines with fewer than four cores stay in one thread. Any failure of the worker falls back to doing the family here.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Diagnostic } from '../linter/diagnostic.js';
import type { FamilyAnalysisOptions } from './family-analysis.js';
import type { LoadedFile, RemoteFamily } from './lint-family.js';

/** Below this much Dockerfile text a second thread costs more than it saves (its start is ~100 ms). */
export const PARALLEL_MIN_BYTES = 1_000_000;
export const PARALLEL_MIN_CORES = 4;

export interface FamilyJob {
  files: { file: string; filePath: string; text: string }[];
  options: FamilyAnalysisOptions;
  /** Also fingerprint the build contexts read (for the cache). */
  fingerprints: boolean;
}

export type FamilyReply = { findings: [string, Diagnostic[]][]; contexts: Record<string, string> } | { error: string };

/**
 * The worker's script beside this module: the bundle's `family-worker.mjs`, or the compiled module.
 * Null when running from TypeScript sources, which a worker cannot load.
 */
export function familyWorkerScript(): URL | null {
  for (const name of ['./family-worker.mjs', './family-worker.js']) {
    const url = new URL(name, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

/** Whether a run of these files should use the worker: `mode` true forces it where possible. */
export function useFamilyWorker(files: readonly LoadedFile[], mode: boolean | 'auto'): boolean {
  if (mode === false || familyWorkerScript() === null) return false;
  if (mode === true) return true;
  // Both halves allocate heavily, and V8's collector already uses a second core for one thread: on
  // two cores, two threads measured no faster than one (bench/run.mjs), so it takes four.
  if (availableParallelism() < PARALLEL_MIN_CORES) return false;
  let bytes = 0;
  for (const f of files) bytes += f.source.text.length;
  return bytes >= PARALLEL_MIN_BYTES;
}

/** Starts the family analysis in a worker; rejects when the worker fails. */
export function familyInWorker(files: readonly LoadedFile[], options: FamilyAnalysisOptions, fingerprints: boolean): Promise<RemoteFamily> {
  const script = familyWorkerScript();
  if (script === null) return Promise.reject(new Error('no worker script'));
  const job: FamilyJob = {
    files: files.map((f) => ({ file: f.file, filePath: f.filePath, text: (f.source.bom ? '\ufeff' : '') + f.source.text })),
    options: { cwd: options.cwd, familySettings: options.familySettings, sections: options.sections, ...(options.configDir === undefined ? {} : { configDir: options.configDir }) },
    fingerprints,
  };
  return new Promise((resolve, reject) => {
    // A larger young generation: the family analysis makes many short-lived objects (measured: the
    // worker's part 25% faster than with the default).
    // The host's own flags (`--input-type`, `--eval`) do not apply to a worker script.
    // Loaded here: most runs never start a worker.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(script, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 96 } });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (reply: FamilyReply) => {
      settle(() => ('error' in reply ? reject(new Error(reply.error)) : resolve({ findings: new Map(reply.findings), contexts: reply.contexts })));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`family worker exited with code ${code}`))));
    worker.postMessage(job);
  });
}
