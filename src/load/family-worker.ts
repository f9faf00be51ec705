// The family half of a large run, in a worker thread: models every Dockerfile, builds the graph and
// runs the family rules while the main thread checks each file with its own rules. Only plain data
// crosses: texts in, findings and build-context fingerprints out.
import { parentPort } from 'node:worker_threads';
import { builtinRules } from '../../rules/index.js';
import { buildModel } from '../model/build.js';
import { initShellParser } from '../model/shell-parser.js';
import { SourceText } from '../source/source-text.js';
import { analyzeFamily } from './family-analysis.js';
import { contextFingerprints } from './lint-cache.js';
import type { FamilyJob, FamilyReply } from './parallel-family.js';

parentPort?.once('message', (job: FamilyJob) => {
  void run(job).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FamilyReply),
  );
});

async function run(job: FamilyJob): Promise<FamilyReply> {
  await initShellParser();
  const models = job.files.map((f) => ({ file: f.file, model: buildModel(new SourceText(f.filePath, f.text)) }));
  const family = analyzeFamily(models, job.files.map((f) => f.file), builtinRules, job.options);
  return { findings: [...family.findings], contexts: job.fingerprints ? contextFingerprints(family.hasher) : {} };
}
