import { describe, expect, it } from 'vitest';
import { FrameBufferPool } from '../src/frames/buffers.js';
import { cellsInside, changedFraction, changedFractionBeyondExposure, frameSignature } from '../src/picture.js';

const solid = (width: number, height: number, grey: number) => new Uint8Array(width * height * 3).fill(grey);

describe('frame signatures', () => {
  it('averages each grid cell to its grey level', () => {
    const signature = frameSignature(solid(64, 64, 100), 64, 64, 4);
    expect(signature).toHaveLength(16);
    for (const value of signature) expect(value).toBeCloseTo(100, 3);
  });

  it('counts the fraction of cells that changed beyond the noise threshold', () => {
    const before = solid(64, 64, 100);
    const after = before.slice();
    // Paint the top-left 16x16 pixels white: exactly one cell of a 4x4 grid.
    for (let y = 0; y < 16; y += 1) after.fill(255, y * 64 * 3, (y * 64 + 16) * 3);
    const a = frameSignature(before, 64, 64, 4);
    const b = frameSignature(after, 64, 64, 4);
    expect(changedFraction(a, b)).toBe(1 / 16);
    expect(changedFraction(a, frameSignature(solid(64, 64, 105), 64, 64, 4))).toBe(0); // +5 grey levels: noise
    expect(changedFraction(a, frameSignature(solid(64, 64, 120), 64, 64, 4))).toBe(1);
  });
});

describe('changes beyond exposure', () => {
  const all = Array.from({ length: 16 }, (_, cell) => cell);
  // Grey levels with no pattern, as a real scene's cells have (a fixed pseudo-random draw).
  const texture = [112, 47, 188, 73, 151, 96, 40, 175, 129, 62, 199, 84, 143, 55, 167, 101];

  it('sees no change when the whole picture only got darker, and every change when it moved', () => {
    expect(changedFractionBeyondExposure(texture, texture.map((grey) => grey - 40), all)).toBe(0);
    expect(changedFraction(texture, texture.map((grey) => grey - 40), all)).toBe(1);
    const shifted = texture.map((_, cell) => texture[(cell + 1) % 16]!);
    expect(changedFractionBeyondExposure(texture, shifted, all)).toBeGreaterThan(0.75);
  });

  it('counts a changed cell of a darker picture as changed', () => {
    const darker = texture.map((grey, cell) => grey - 30 + (cell === 5 ? 60 : 0));
    expect(changedFractionBeyondExposure(texture, darker, all)).toBe(1 / 16);
  });
});

describe('cellsInside', () => {
  it('lists the cells whose centres the box covers, or the one holding a small box', () => {
    expect(cellsInside({ columns: 4, rows: 4 }, { left: 0, top: 0, width: 0.5, height: 0.25 })).toEqual([0, 1]);
    expect(cellsInside({ columns: 4, rows: 4 }, { left: 0.55, top: 0.55, width: 0.05, height: 0.05 })).toEqual([10]);
  });
});

describe('FrameBufferPool', () => {
  it('reuses given-back buffers and refuses ones of the wrong size', () => {
    const pool = new FrameBufferPool(12);
    const first = pool.take();
    pool.give(first);
    expect(pool.take()).toBe(first);
    pool.give(new Uint8Array(0)); // a detached (transferred) view is not reusable
    expect(pool.take()).not.toBe(first);
    expect(pool.take().byteLength).toBe(12);
  });
});
