/**
 * An ffmpeg filter script that draws a result's boxes and labels over the video: one `drawbox`
 * (and one `drawtext`, when a font is available) per instance, each enabled only for the time its
 * sample stands for. Pure, so it is tested without ffmpeg.
 */
import type { LabelResult } from '../report/label-result.js';
import { labelColours } from '../report/palette.js';

export interface FilterScriptOptions {
  frameWidth: number;
  frameHeight: number;
  /** A TrueType font for the label text; without one only boxes are drawn. */
  fontFile?: string;
  /** Filters that turn the decoded picture into the displayed one, which the boxes refer to (ProbedVideo.displayFilters). */
  displayFilters?: readonly string[];
}

/** Thick enough to survive 4:2:0 chroma subsampling (2x2 pixel blocks) with its colour intact. */
export const boxThickness = (frameHeight: number): number => Math.max(4, Math.round(frameHeight / 90));

export const labelFontSize = (frameHeight: number): number => Math.max(12, Math.round(frameHeight / 28));

/** `#rrggbb` -> ffmpeg's `0xRRGGBB`. */
const ffmpegColour = (hex: string): string => `0x${hex.slice(1).toUpperCase()}`;

/**
 * Label text goes inside single quotes in the filtergraph; quotes, backslashes and colons would
 * need two levels of escaping there, and label names never need them.
 */
export const safeText = (text: string): string => text.replace(/[^\p{L}\p{N} .%&+#()-]/gu, ' ');

const seconds = (ms: number): string => (ms / 1000).toFixed(4);

/**
 * When a box is shown: from its sample's timestamp until the next sample. Half a millisecond of
 * slack on each side absorbs the rounding of timestamps to whole milliseconds.
 */
const enableBetween = (timestampMs: number, sampleIntervalMs: number): string =>
  `between(t,${seconds(timestampMs - 0.5)},${seconds(timestampMs + sampleIntervalMs - 0.5)})`;

export function annotationFilters(result: LabelResult, options: FilterScriptOptions): string[] {
  const { frameWidth: width, frameHeight: height } = options;
  const thickness = boxThickness(height);
  const fontSize = labelFontSize(height);
  const textPadding = Math.max(2, Math.round(fontSize / 5));
  const labelColour = labelColours(result);
  return result.labels.flatMap((label) => {
    const colour = ffmpegColour(labelColour(label.name));
    return label.occurrences.flatMap((occurrence) =>
      occurrence.instances.flatMap((instance) => {
        const x = Math.max(0, Math.round(instance.box.left * width));
        const y = Math.max(0, Math.round(instance.box.top * height));
        const w = Math.max(thickness * 2, Math.min(width - x, Math.round(instance.box.width * width)));
        const h = Math.max(thickness * 2, Math.min(height - y, Math.round(instance.box.height * height)));
        const enable = `enable='${enableBetween(occurrence.timestampMs, result.sampleIntervalMs)}'`;
        const box = `drawbox=x=${x}:y=${y}:w=${w}:h=${h}:color=${colour}@1:t=${thickness}:${enable}`;
        if (!options.fontFile) return [box];
        const textHeight = fontSize + 2 * textPadding;
        const textY = y >= textHeight ? y - textHeight + textPadding : y + thickness + textPadding;
        const text = safeText(`${label.name} ${Math.round(instance.confidence)}%`);
        const caption =
          `drawtext=fontfile='${options.fontFile}':expansion=none:text='${text}':fontsize=${fontSize}:fontcolor=white` +
          `:box=1:boxcolor=${colour}@0.85:boxborderw=${textPadding}:x=${x + textPadding}:y=${textY}:${enable}`;
        return [box, caption];
      }),
    );
  });
}

/** The whole script for `-filter_script:v`; `null` passes the video through when nothing is drawn. */
export const annotationFilterScript = (result: LabelResult, options: FilterScriptOptions): string =>
  `${[...(options.displayFilters ?? []), ...annotationFilters(result, options)].join(',\n') || 'null'}\n`;
