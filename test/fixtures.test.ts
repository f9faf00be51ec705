// The project's example families: every deliberate problem of fixtures/family (its README's table) is
// found, and nothing else; fixtures/clean, written to do everything right, gives nothing.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../src/load/lint-files.js';

const root = path.resolve(import.meta.dirname, '..');

async function findings(dir: string): Promise<string[]> {
  const results = await lintFiles([dir], { cwd: root });
  return results
    .flatMap((r) => r.messages.map((m) => `${r.filePath.replace(/^fixtures\/\w+\//, '').replace(/\/Dockerfile$/, '')}:${m.line} ${m.ruleId ?? 'fatal'}`))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

describe('fixtures', () => {
  it('fixtures/family carries exactly its documented problems', async () => {
    expect(await findings('fixtures/family')).toEqual([
      'api:7 pip-no-cache-dir',
      'api:12 delete-in-later-layer',
      'backup:5 clean-dnf-cache',
      'backup:7 prefer-copy-over-add',
      'base:15 merge-consecutive-runs',
      'cron:1 no-latest-tag',
      'cron:5 apk-no-cache',
      'db-base:6 clean-apt-cache',
      'db-primary:1 near-duplicate-images',
      'db-replica:1 near-duplicate-images',
      'ipmi-collector:5 clean-yum-cache',
      'mailer:6 clean-gem-cache',
      'metrics:13 repeated-ancestor-step',
      'report-builder:1 prefer-minimal-base',
      'report-builder:4 copy-before-dependency-install',
      'report-builder:8 build-toolchain-in-final-image',
      'report-builder:11 remove-downloaded-archive',
      'report-builder:15 metadata-change-after-copy',
      'report-builder:17 delete-in-later-layer',
      'scheduler:5 reorder-sibling-steps',
      'toolbox:1 pin-base-image-tag',
      'toolbox:6 clean-zypper-cache',
      'web-admin:5 hoist-common-steps',
      'web-admin:12 clean-npm-cache',
      'web-base:6 apt-no-install-recommends',
      'web-frontend:7 clean-yarn-cache',
      'web-frontend:10 hoist-common-steps',
    ]);
  });

  it('fixtures/clean gives no finding', async () => {
    expect(await findings('fixtures/clean')).toEqual([]);
  });
});
