// The family half of a large run, in a worker thread: models every Dockerfile, builds the graph and
// runs the family rules while the main thread checks each file with its own rules. Only plain data
// crosses: texts in, findings and build-context fingerprints out.
import { parentPort } from 'node:worker_threads';
import { builtinRules } from '../../rules/index.js';
import { initShellParser } from '../model/shell-parser.js';
import { SourceText } from '../source/source-text.js';
import { familyFromTexts } from './family-analysis.js';
import type { FamilyJob, FamilyReply } from './parallel-family.js';

parentPort?.once('message', (job: FamilyJob) => {
  void run(job).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FamilyReply),
  );
});

async function run(job: FamilyJob): Promise<FamilyReply> {
  await initShellParser();
  const files = job.files.map((f) => ({ file: f.file, source: new SourceText(f.filePath, f.text) }));
  const family = familyFromTexts(files, builtinRules, job.options, job.fingerprints);
  return { findings: [...family.findings], contexts: family.contexts };
}
