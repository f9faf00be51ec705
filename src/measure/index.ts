export { ImageReadError, type MeasuredImage, type MeasuredLayer, type MeasuredSet } from './types.js';
export { IMAGE_SOURCE_KINDS, chainIdsOf, imageName, readImageSets, readImages, resolveImageSpec } from './read-images.js';
export { matchImage, matchMeasured, type ImageMatch, type LayerMatch, type MeasuredMatches } from './match-graph.js';
