import { describe, expect, it } from 'vitest';
import { readLabelResult } from '../../src/report/label-result.js';
import { formatTime, renderReportHtml, tickSpacingMs } from '../../src/report/render-html.js';
import { carResponse, carAt, box } from './fixtures.js';

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);

describe('renderReportHtml', () => {
  const result = readLabelResult(carResponse());
  const html = renderReportHtml({ title: 'cars.mp4', result, thumbnails: [{ timestampMs: 1500, jpeg, width: 200, height: 100 }] });

  it('draws one bar per segment at its place on a 10 s axis', () => {
    const carBars = [...html.matchAll(/class="segment" data-label="Car" style="left:([\d.]+)%;width:([\d.]+)%/g)].map((match) => [match[1], match[2]]);
    expect(carBars).toEqual([
      ['10', '15'],
      ['60', '5'],
    ]);
  });

  it('draws the instances of the thumbnail time in the thumbnail pixel space', () => {
    // Boxes at 1.5 s: (0.1, 0.2, 0.3, 0.4) and (0.5, 0.5, 0.2, 0.2) of a 200x100 picture.
    expect(html).toContain('<rect class="outline" x="20" y="20" width="60" height="40"');
    expect(html).toContain('<rect class="outline" x="100" y="50" width="40" height="20"');
    expect(html).toContain(`href="data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}"`);
  });

  it('shows the VideoMetadata fields', () => {
    expect(html).toMatch(/<tr data-field="FrameWidth"><th>FrameWidth<\/th><td>1000<\/td>/);
    expect(html).toMatch(/<tr data-field="FrameHeight"><th>FrameHeight<\/th><td>500<\/td>/);
  });

  it('makes no external request: no http(s) resource, and a CSP that forbids them', () => {
    const withoutNamespaces = html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '');
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes label names and titles', () => {
    const hostile = carResponse();
    hostile.Labels = [{ ...carAt(1000, 90, [box(0, 0, 0.5, 0.5)]), Label: { ...carAt(1000, 90, [box(0, 0, 0.5, 0.5)]).Label, Name: '<img src=x onerror=alert(1)>' } }];
    const page = renderReportHtml({ title: '"><script>', result: readLabelResult(hostile), thumbnails: [{ timestampMs: 1000, jpeg, width: 10, height: 10 }] });
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('"><script>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('says why there are no frames when there is no video', () => {
    const page = renderReportHtml({ title: 't', result, thumbnails: [], thumbnailsMissingReason: 'No video given' });
    expect(page).toContain('No video given');
    expect(page).not.toContain('<figure');
  });
});

describe('formatTime and tickSpacingMs', () => {
  it('formats like a video player', () => {
    expect(formatTime(0)).toBe('0:00.0');
    expect(formatTime(61_250)).toBe('1:01.3');
  });

  it('keeps the axis at 10 ticks or fewer', () => {
    expect(tickSpacingMs(10_000)).toBe(1000);
    expect(tickSpacingMs(39_855)).toBe(5000);
    expect(tickSpacingMs(3_600_000)).toBe(600_000);
  });
});
