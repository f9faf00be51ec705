// The built-in rules, one line each; test/rules-registry.test.ts checks this list against the folder and the docs.
import type { AnyRule } from '../src/rule/types.js';
import apkNoCache from './apk-no-cache.js';
import aptNoInstallRecommends from './apt-no-install-recommends.js';
import buildToolchainInFinalImage from './build-toolchain-in-final-image.js';
import cleanAptCache from './clean-apt-cache.js';
import cleanDnfCache from './clean-dnf-cache.js';
import cleanGemCache from './clean-gem-cache.js';
import cleanNpmCache from './clean-npm-cache.js';
import cleanYarnCache from './clean-yarn-cache.js';
import cleanYumCache from './clean-yum-cache.js';
import cleanZypperCache from './clean-zypper-cache.js';
import copyBeforeDependencyInstall from './copy-before-dependency-install.js';
import deleteInLaterLayer from './delete-in-later-layer.js';
import hoistCommonSteps from './hoist-common-steps.js';
import mergeConsecutiveRuns from './merge-consecutive-runs.js';
import metadataChangeAfterCopy from './metadata-change-after-copy.js';
import nearDuplicateImages from './near-duplicate-images.js';
import noLatestTag from './no-latest-tag.js';
import pinBaseImageTag from './pin-base-image-tag.js';
import pipNoCacheDir from './pip-no-cache-dir.js';
import preferCopyOverAdd from './prefer-copy-over-add.js';
import preferMinimalBase from './prefer-minimal-base.js';
import removeDownloadedArchive from './remove-downloaded-archive.js';
import reorderSiblingSteps from './reorder-sibling-steps.js';
import repeatedAncestorStep from './repeated-ancestor-step.js';

export const builtinRules: readonly AnyRule[] = [
  apkNoCache,
  aptNoInstallRecommends,
  buildToolchainInFinalImage,
  cleanAptCache,
  cleanDnfCache,
  cleanGemCache,
  cleanNpmCache,
  cleanYarnCache,
  cleanYumCache,
  cleanZypperCache,
  copyBeforeDependencyInstall,
  deleteInLaterLayer,
  hoistCommonSteps,
  mergeConsecutiveRuns,
  metadataChangeAfterCopy,
  nearDuplicateImages,
  noLatestTag,
  pinBaseImageTag,
  pipNoCacheDir,
  preferCopyOverAdd,
  preferMinimalBase,
  removeDownloadedArchive,
  reorderSiblingSteps,
  repeatedAncestorStep,
];
