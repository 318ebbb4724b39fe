/** One colour per label, the same in the HTML report and in the annotated video of one result. */
import type { LabelResult } from './label-result.js';

/** Saturated colours that stay distinct from each other and readable under white text. */
export const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#0f9bb5', '#d4218f', '#6b8e23', '#9a6324', '#800000', '#000075', '#5a5a5a'] as const;

/**
 * Labels with boxes get the first colours, in name order, so up to 12 of them never share one;
 * labels without boxes (parents, SEGMENTS results) come after.
 */
export function labelColours(result: LabelResult): (name: string) => string {
  const hasBoxes = (name: string) => result.labels.some((label) => label.name === name && label.occurrences.some((occurrence) => occurrence.instances.length > 0));
  const names = result.labels.map((label) => label.name);
  const ordered = [...names.filter(hasBoxes), ...names.filter((name) => !hasBoxes(name))];
  const colours = new Map(ordered.map((name, index) => [name, PALETTE[index % PALETTE.length] as string]));
  return (name) => colours.get(name) ?? (PALETTE.at(-1) as string);
}
