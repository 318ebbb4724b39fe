/** The report page as one self-contained HTML string: inline CSS, SVG and data: images, no requests. */
import type { VideoMetadata } from '@aws-sdk/client-rekognition';
import type { LabelResult } from './label-result.js';
import { labelColours } from './palette.js';
import { boxesAt, timelineGroups, type TimelineGroup, type TimelineRow } from './report-model.js';

export interface Thumbnail {
  timestampMs: number;
  /** JPEG bytes of the frame, scaled down; the boxes are drawn over it in SVG. */
  jpeg: Uint8Array;
  width: number;
  height: number;
}

export interface ReportPage {
  /** Shown as the page title, e.g. the video's file name or the JobId. */
  title: string;
  result: LabelResult;
  thumbnails: Thumbnail[];
  /** Why there are no thumbnails, when there are none (no video given, decoding failed, ...). */
  thumbnailsMissingReason?: string;
}

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** `m:ss.s`, the way a video player shows time. */
export const formatTime = (ms: number): string => {
  const totalSeconds = Math.max(0, ms) / 1000;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds - minutes * 60;
  return `${minutes}:${seconds.toFixed(1).padStart(4, '0')}`;
};

/** Axis ticks fall on whole seconds: `m:ss`. */
const formatTick = (ms: number): string => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;

const percent = (value: number): string => `${(Math.round(value * 10000) / 100).toString()}%`;

/** Tick spacing that gives 5 to 10 ticks whatever the duration. */
export const tickSpacingMs = (durationMs: number): number => {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((seconds) => seconds * 1000);
  return steps.find((step) => durationMs / step <= 10) ?? 3600 * 1000;
};

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2330;background:#f4f5f8}
header{background:#1d2330;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:20px;font-weight:600}
header p{margin:4px 0 0;color:#b9c0d0;font-size:13px}
main{padding:20px 28px;max-width:1280px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px 20px;margin-bottom:20px}
h2{font-size:16px;margin:0 0 12px}
.timeline{display:grid;grid-template-columns:220px 1fr;row-gap:4px;column-gap:12px;align-items:center}
.axis-track{position:relative;height:22px;border-bottom:1px solid #c8ccd6}
.tick{position:absolute;bottom:0;height:6px;border-left:1px solid #8a90a0}
.tick span{position:absolute;bottom:7px;transform:translateX(-50%);font-size:11px;color:#5d6475;white-space:nowrap}
.marker{position:absolute;bottom:-5px;width:0;height:0;border-left:5px solid transparent;border-right:5px solid transparent;border-bottom:7px solid #1d2330;transform:translateX(-5px)}
.category{grid-column:1/-1;font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:#5d6475;margin-top:10px;border-bottom:1px solid #eceef3}
.name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.name .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.name.ancestor{padding-left:18px;color:#5d6475}
.name small{color:#8a90a0;margin-left:4px}
.track{position:relative;height:18px;background:repeating-linear-gradient(90deg,#f7f8fa 0,#f7f8fa calc(10% - 1px),#eceef3 calc(10% - 1px),#eceef3 10%);border-radius:3px}
.segment{position:absolute;top:2px;bottom:2px;min-width:3px;border-radius:3px}
.ancestor-track .segment{opacity:.45}
.frames{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px}
figure{margin:0}
figure svg{width:100%;height:auto;display:block;border-radius:4px;background:#000}
figcaption{font-size:12px;color:#5d6475;margin-top:4px}
.instance rect.outline{fill:none;stroke-width:2.5}
.instance text{font-size:12px;fill:#fff;font-weight:600}
table{border-collapse:collapse}
td,th{padding:4px 14px 4px 0;text-align:left;border-bottom:1px solid #eceef3}
th{font-weight:500;color:#5d6475}
.note{color:#8a90a0}
`;

function axisRow(durationMs: number, markersMs: number[]): string {
  const spacing = tickSpacingMs(durationMs);
  const ticks: string[] = [];
  for (let t = 0; t <= durationMs; t += spacing) {
    ticks.push(`<div class="tick" style="left:${percent(t / durationMs)}"><span>${formatTick(t)}</span></div>`);
  }
  const markers = markersMs.map((t) => `<div class="marker" style="left:${percent(t / durationMs)}" title="thumbnail at ${formatTime(t)}"></div>`);
  return `<div></div><div class="axis-track">${ticks.join('')}${markers.join('')}</div>`;
}

function timelineRow(row: TimelineRow, durationMs: number, labelColour: (name: string) => string): string {
  const { label } = row;
  const colour = labelColour(row.parentOf ?? label.name);
  const bars = label.segments.map((segment) => {
    const title = `${label.name} ${formatTime(segment.startTimestampMs)}–${formatTime(segment.endTimestampMs)}, confidence ${segment.confidence.toFixed(1)}%`;
    return `<div class="segment" data-label="${escapeHtml(label.name)}" style="left:${percent(segment.startTimestampMs / durationMs)};width:${percent(segment.durationMs / durationMs)};background:${colour}" title="${escapeHtml(title)}"></div>`;
  });
  const seenMs = label.segments.reduce((sum, segment) => sum + segment.durationMs, 0);
  const nameClass = row.depth === 1 ? 'name ancestor' : 'name';
  const swatch = row.depth === 0 ? `<span class="swatch" style="background:${colour}"></span>` : '↳ ';
  return (
    `<div class="${nameClass}" title="${escapeHtml(row.parentOf ? `parent of ${row.parentOf}` : label.categories.join(', '))}">${swatch}${escapeHtml(label.name)}<small>${(seenMs / 1000).toFixed(1)} s</small></div>` +
    `<div class="track${row.depth === 1 ? ' ancestor-track' : ''}" data-row="${escapeHtml(label.name)}">${bars.join('')}</div>`
  );
}

function timelineSection(groups: TimelineGroup[], durationMs: number, markersMs: number[], labelColour: (name: string) => string): string {
  if (groups.length === 0) return '<section><h2>Timeline</h2><p class="note">No labels in this result.</p></section>';
  const rows = groups.map(
    (group) => `<div class="category">${escapeHtml(group.category)}</div>${group.rows.map((row) => timelineRow(row, durationMs, labelColour)).join('')}`,
  );
  return `<section><h2>Timeline</h2><div class="timeline">${axisRow(durationMs, markersMs)}${rows.join('')}</div></section>`;
}

function thumbnailFigure(thumbnail: Thumbnail, result: LabelResult, labelColour: (name: string) => string): string {
  const { width, height } = thumbnail;
  const boxes = boxesAt(result, thumbnail.timestampMs);
  const image = `<image href="data:image/jpeg;base64,${Buffer.from(thumbnail.jpeg).toString('base64')}" x="0" y="0" width="${width}" height="${height}"/>`;
  const instances = boxes.map(({ label, confidence, box }) => {
    const colour = labelColour(label);
    const [x, y, w, h] = [box.left * width, box.top * height, box.width * width, box.height * height].map((v) => Math.round(v * 10) / 10) as [number, number, number, number];
    const caption = `${label} ${Math.round(confidence)}%`;
    // Kept inside the picture: above the box when there is room, and never past the right edge.
    const captionWidth = caption.length * 8 + 8;
    const captionX = Math.max(0, Math.min(x, width - captionWidth));
    const captionY = y >= 16 ? y - 16 : y;
    return (
      `<g class="instance" data-label="${escapeHtml(label)}"><rect class="outline" x="${x}" y="${y}" width="${w}" height="${h}" stroke="${colour}"/>` +
      `<rect x="${captionX}" y="${captionY}" width="${captionWidth}" height="16" fill="${colour}"/>` +
      `<text x="${captionX + 4}" y="${captionY + 12}">${escapeHtml(caption)}</text></g>`
    );
  });
  const names = [...new Set(boxes.map((box) => box.label))].map((name) => `${name} ×${boxes.filter((box) => box.label === name).length}`);
  return (
    `<figure class="frame" data-timestamp="${thumbnail.timestampMs}"><svg viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="frame at ${formatTime(thumbnail.timestampMs)}">${image}${instances.join('')}</svg>` +
    `<figcaption>${formatTime(thumbnail.timestampMs)} — ${escapeHtml(names.join(', ') || 'no boxes')}</figcaption></figure>`
  );
}

function framesSection(page: ReportPage, labelColour: (name: string) => string): string {
  const body =
    page.thumbnails.length > 0
      ? `<div class="frames">${page.thumbnails.map((thumbnail) => thumbnailFigure(thumbnail, page.result, labelColour)).join('')}</div>`
      : `<p class="note">${escapeHtml(page.thumbnailsMissingReason ?? 'No frames to show.')}</p>`;
  return `<section><h2>Frames</h2>${body}</section>`;
}

const METADATA_FIELDS: Array<[keyof VideoMetadata, (value: unknown) => string]> = [
  ['Codec', String],
  ['Format', String],
  ['DurationMillis', (value) => `${String(value)} (${formatTime(Number(value))})`],
  ['FrameRate', (value) => String(Math.round(Number(value) * 1000) / 1000)],
  ['FrameWidth', String],
  ['FrameHeight', String],
  ['ColorRange', String],
];

function metadataSection(result: LabelResult): string {
  const rows = METADATA_FIELDS.filter(([field]) => result.videoMetadata[field] !== undefined).map(
    ([field, format]) => `<tr data-field="${field}"><th>${field}</th><td>${escapeHtml(format(result.videoMetadata[field]))}</td></tr>`,
  );
  const analysis = [
    `<tr><th>LabelModelVersion</th><td>${escapeHtml(result.labelModelVersion ?? 'unknown')}</td></tr>`,
    `<tr><th>Aggregation</th><td>${result.aggregateBy}</td></tr>`,
    `<tr><th>Sample interval</th><td>${Math.round(result.sampleIntervalMs)} ms</td></tr>`,
  ];
  return `<section><h2>VideoMetadata</h2><table class="metadata">${rows.join('')}${analysis.join('')}</table></section>`;
}

/** Duration the time axis spans: the video's, or the last segment's end when metadata lacks it. */
const axisDurationMs = (result: LabelResult): number =>
  Math.max(1, result.videoMetadata.DurationMillis ?? 0, ...result.labels.flatMap((label) => label.segments.map((segment) => segment.endTimestampMs)));

export function renderReportHtml(page: ReportPage): string {
  const { result } = page;
  const durationMs = axisDurationMs(result);
  const groups = timelineGroups(result.labels);
  const labelColour = labelColours(result);
  const summary = `${result.labels.length} label(s) · ${formatTime(durationMs)} · ${result.videoMetadata.FrameWidth ?? '?'}×${result.videoMetadata.FrameHeight ?? '?'}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(page.title)} — label detection report</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(summary)}</p></header><main>
${timelineSection(groups, durationMs, page.thumbnails.map((thumbnail) => thumbnail.timestampMs), labelColour)}
${framesSection(page, labelColour)}
${metadataSection(result)}
</main></body></html>
`;
}
