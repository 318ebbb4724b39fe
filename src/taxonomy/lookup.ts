import type { LabelInfo } from '../types.js';
import type { Taxonomy } from './parse-taxonomy.js';

/** Plain code-unit order, so results do not depend on the host's locale. */
export const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Callers get their own copy, so nothing they do can change the shared taxonomy.
const copyOf = (label: LabelInfo): LabelInfo => ({
  name: label.name,
  parents: [...label.parents],
  aliases: [...label.aliases],
  categories: [...label.categories],
});

/** A label (object label or ancestor) by its name. Throws if the taxonomy has no such label. */
export const labelInfo = (taxonomy: Taxonomy, labelName: string): LabelInfo => {
  const label = taxonomy.labels.get(labelName);
  if (label === undefined) throw new Error(`Label "${labelName}" is not in label taxonomy ${taxonomy.version}`);
  return copyOf(label);
};

/** The name of the label a detector class maps to. Throws if the class is not mapped. */
export const labelNameForClass = (taxonomy: Taxonomy, className: string): string => {
  const labelName = taxonomy.classes.get(className);
  if (labelName === undefined) {
    throw new Error(`Detector class "${className}" is not mapped by label taxonomy ${taxonomy.version}`);
  }
  return labelName;
};

/** The label a detector class maps to, with all its ancestors, aliases and categories. */
export const labelInfoForClass = (taxonomy: Taxonomy, className: string): LabelInfo =>
  labelInfo(taxonomy, labelNameForClass(taxonomy, className));

/** Every label name, ancestors included, sorted. */
export const allLabelNames = (taxonomy: Taxonomy): string[] => [...taxonomy.labels.keys()].sort(compareNames);

/** Every category name used by any label, each once, sorted. */
export const allCategoryNames = (taxonomy: Taxonomy): string[] =>
  [...new Set([...taxonomy.labels.values()].flatMap((label) => label.categories))].sort(compareNames);
