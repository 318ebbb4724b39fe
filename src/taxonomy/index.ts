/**
 * Taxonomy stage: detector class -> Rekognition-style label with ancestors, aliases and categories,
 * and tracked frames -> per-label timelines.
 */
export type { Taxonomy } from './parseTaxonomy.js';
export { parseTaxonomy } from './parseTaxonomy.js';
export { loadTaxonomy } from './loadTaxonomy.js';
export { allCategoryNames, allLabelNames, labelInfo, labelInfoForClass } from './lookup.js';
export { toLabelTimelines } from './toLabelTimelines.js';
export { discountHeldObjects } from './held-objects.js';
