/**
 * The report as a person sees it: a real detection result for the bottle video, rendered by the
 * built CLI, opened in headless Chromium. The screenshot's path is printed for a look by eye.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { media } from '../media.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const chromiumPath = '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.log(`report page test skipped: ${chromiumPath} is missing (apt-get install chromium)`);

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!haveChromium)('edge-label-detection report, in a browser', () => {
  it('shows Bottle bars on the timeline, boxes on the frames, and the 640x360 metadata', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'edge-label-detection-report-'));
    const resultPath = join(directory, 'bottle.json');
    const reportPath = join(directory, 'report.html');
    const detect = await execa('node', [cli, 'detect', media.bottle, '--fps', '1', '--workers', '2', '--quiet', '--out', resultPath], { reject: false });
    expect(detect.exitCode, String(detect.stderr)).toBe(0);
    const report = await execa('node', [cli, 'report', resultPath, '--video', media.bottle, '--out', reportPath], { reject: false });
    expect(report.exitCode, String(report.stderr)).toBe(0);

    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const outsideRequests: string[] = [];
      page.on('request', (request) => {
        if (!/^(file|data):/.test(request.url())) outsideRequests.push(request.url());
      });
      await page.goto(`file://${reportPath}`);
      expect(await page.locator('.segment[data-label="Bottle"]').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('figure.frame .instance[data-label="Bottle"]').count()).toBeGreaterThanOrEqual(1);
      // Every pictured frame was chosen among timestamps with boxes, so none may be empty.
      const frames = await page.locator('figure.frame').count();
      expect(frames).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < frames; i += 1) expect(await page.locator('figure.frame').nth(i).locator('.instance').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('tr[data-field="FrameWidth"] td').textContent()).toBe('640');
      expect(await page.locator('tr[data-field="FrameHeight"] td').textContent()).toBe('360');
      // The bars are really laid out: the Bottle row's first bar has a visible width.
      const bar = await page.locator('.segment[data-label="Bottle"]').first().boundingBox();
      expect(bar?.width ?? 0).toBeGreaterThan(2);
      expect(outsideRequests).toEqual([]);
      const screenshot = join(tmpdir(), `edge-label-detection-report-${process.pid}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`report screenshot: ${screenshot}`);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
