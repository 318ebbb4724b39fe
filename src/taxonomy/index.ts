/**
 * Taxonomy stage: detector class -> Rekognition-style label with ancestors, aliases and categories,
 * and tracked frames -> per-label timelines.
 */
export type { Taxonomy } from './parse-taxonomy.js';
export { parseTaxonomy } from './parse-taxonomy.js';
export { loadTaxonomy } from './load-taxonomy.js';
export { allCategoryNames, allLabelNames, labelInfo, labelInfoForClass } from './lookup.js';
export { toLabelTimelines } from './to-label-timelines.js';
export { discountHeldObjects } from './held-objects.js';
export { DEFAULT_RIVAL_NAME_RULE, dropRivalNames, type RivalNameRule } from './rival-names.js';
export { DEFAULT_FIXED_OBJECT_RULE, dropMovingFixedObjects, type FixedObjectRule } from './fixed-objects.js';
