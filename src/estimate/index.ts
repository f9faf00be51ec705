// Sizes of an image family before anything is built (and exactly where images exist), and what each
// restructuring the rules propose would save.
export { estimateFamily, baseSize, type EstimateOptions } from './estimate-family.js';
export { proposeSavings, type Saving, type SavingKind, type SavingStep, type SavingsOptions, type SavingsReport } from './savings.js';
export { PackageIndex, PackageIndexError, APT_LISTS_DIR, type DebPackage, type Closure, type ClosureOptions } from './packages.js';
export { estimateOptionsFromConfig, type EstimateConfig } from './config.js';
export { PROVENANCES } from './types.js';
export type { BaseEstimate, Confidence, EstimateSources, FamilyEstimate, FamilyTotals, ImageEstimate, Provenance, SizeEstimate, SizePart, StepEstimate, WasteItem } from './types.js';
