import type { GeneralLabelsSettings } from '@aws-sdk/client-rekognition';
import type { LabelInfo, LabelOccurrence, LabelTimeline, VideoAnalysis } from '../types.js';

/** What StartLabelDetection fixed for a job: it decides which labels GetLabelDetection may return. */
export interface LabelSelection {
  /** StartLabelDetection's MinConfidence, 0..100. */
  minConfidence: number;
  /** StartLabelDetection's Settings.GeneralLabels. */
  generalLabels?: GeneralLabelsSettings;
}

/**
 * The labels a job returns. Occurrences and instances below MinConfidence are dropped, labels the
 * filters reject are dropped whole, and a label left with no occurrence disappears.
 *
 * Filters are matched against the label's own name and its categories, never its parents: a filter
 * on `Dog` keeps `Dog` (whose Parents still list `Animal`), not the `Animal` label itself.
 * Names match case-insensitively, so `dog` selects Rekognition's `Dog`.
 */
export const selectLabels = (analysis: VideoAnalysis, selection: LabelSelection): LabelTimeline[] => {
  const passesFilters = labelFilter(selection.generalLabels ?? {});
  return analysis.labels
    .filter((timeline) => passesFilters(timeline.label))
    .map((timeline) => ({
      label: timeline.label,
      occurrences: confidentOccurrences(timeline.occurrences, selection.minConfidence),
    }))
    .filter((timeline) => timeline.occurrences.length > 0);
};

/** Whether the filters of Settings.GeneralLabels let any of these labels through: what a job can return at all. */
export const filtersPassAnyOf = (labels: readonly LabelInfo[], generalLabels: GeneralLabelsSettings | undefined): boolean => labels.some(labelFilter(generalLabels ?? {}));

const confidentOccurrences = (occurrences: LabelOccurrence[], minConfidence: number): LabelOccurrence[] =>
  occurrences
    .filter((occurrence) => occurrence.confidence >= minConfidence)
    .map((occurrence) => ({
      ...occurrence,
      instances: occurrence.instances.filter((instance) => instance.confidence >= minConfidence),
    }));

const normalise = (name: string): string => name.toLowerCase();

const nameSet = (names: string[] | undefined): Set<string> => new Set((names ?? []).map(normalise));

/**
 * Inclusion filters (labels or categories, either may match) narrow the result only when at least
 * one is given; a match on any exclusion filter removes the label even if an inclusion filter matched.
 */
const labelFilter = (settings: GeneralLabelsSettings): ((label: LabelInfo) => boolean) => {
  const includedLabels = nameSet(settings.LabelInclusionFilters);
  const excludedLabels = nameSet(settings.LabelExclusionFilters);
  const includedCategories = nameSet(settings.LabelCategoryInclusionFilters);
  const excludedCategories = nameSet(settings.LabelCategoryExclusionFilters);
  const includesEverything = includedLabels.size === 0 && includedCategories.size === 0;

  return (label) => {
    const name = normalise(label.name);
    const categories = label.categories.map(normalise);
    const included =
      includesEverything || includedLabels.has(name) || categories.some((category) => includedCategories.has(category));
    const excluded = excludedLabels.has(name) || categories.some((category) => excludedCategories.has(category));
    return included && !excluded;
  };
};
