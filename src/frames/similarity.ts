/**
 * Cheap "nothing changed" test for work avoidance: frames are reduced to a tiny grayscale grid, and
 * two frames differ by the fraction of grid cells whose mean grey level moved by more than a noise
 * threshold — a motion-area measure, so one small moving object counts as much as it covers, while
 * compression noise and slight flicker count for nothing.
 */

/** Side of the grayscale grid a frame is reduced to. 16x16 keeps small moving objects visible. */
export const SIGNATURE_GRID = 16;

/** Mean grey level of each cell of a `grid` x `grid` partition of an RGB24 frame. */
export function frameSignature(pixels: Uint8Array, width: number, height: number, grid = SIGNATURE_GRID): Float32Array {
  const sums = new Float32Array(grid * grid);
  const counts = new Uint32Array(grid * grid);
  // Every other pixel of every other row is plenty for a mean, and halves the cost four times over.
  for (let y = 0; y < height; y += 2) {
    const cellRow = Math.floor((y * grid) / height) * grid;
    for (let x = 0; x < width; x += 2) {
      const offset = (y * width + x) * 3;
      const cell = cellRow + Math.floor((x * grid) / width);
      sums[cell]! += 0.299 * pixels[offset]! + 0.587 * pixels[offset + 1]! + 0.114 * pixels[offset + 2]!;
      counts[cell]! += 1;
    }
  }
  for (let cell = 0; cell < sums.length; cell += 1) sums[cell] = sums[cell]! / Math.max(1, counts[cell]!);
  return sums;
}

/** Grey-level change of a cell's mean below which it is noise (codec noise moves means by 0.1–1). */
export const CELL_CHANGE_THRESHOLD = 8;

/** Fraction (0..1) of cells whose mean grey level changed by more than `cellThreshold`. */
export function changedFraction(a: Float32Array, b: Float32Array, cellThreshold = CELL_CHANGE_THRESHOLD): number {
  let changed = 0;
  for (let cell = 0; cell < a.length; cell += 1) if (Math.abs(a[cell]! - b[cell]!) > cellThreshold) changed += 1;
  return changed / a.length;
}
