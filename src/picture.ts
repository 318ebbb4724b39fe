import type { Box, FrameThumbnail } from './types.js';

/**
 * Pictures reduced to small grey-level grids, and how much two of them differ: shared by frame
 * scheduling ("is this the same picture?", on a frame's signature) and tracking ("did the pixels
 * under this box change?", on its thumbnail), so both use one noise rule. Two grids differ by the
 * fraction of cells whose mean grey level moved by more than a noise threshold — a motion-area
 * measure, so one small moving object counts as much as it covers, while compression noise and
 * slight flicker count for nothing.
 */

/** Side of the grayscale grid a frame is reduced to. 16x16 keeps small moving objects visible. */
export const SIGNATURE_GRID = 16;

/** Mean grey level of each cell of a `grid` x `grid` partition of an RGB24 frame. */
export function frameSignature(pixels: Uint8Array, width: number, height: number, grid = SIGNATURE_GRID): Float32Array {
  return cellMeans(pixels, width, height, grid, grid);
}

/**
 * Columns of a frame's {@link FrameThumbnail}: fine enough that a small object's box covers several
 * cells (a 910x512 frame gives 64x36 cells of 14x14 pixels), cheap enough for every sampled frame.
 */
export const THUMBNAIL_COLUMNS = 64;

/** A frame reduced to a grayscale grid of square-ish cells, {@link THUMBNAIL_COLUMNS} wide. */
export function frameThumbnail(pixels: Uint8Array, width: number, height: number): FrameThumbnail {
  // Cells at least 2 pixels a side, since only every other pixel is read.
  const columns = Math.max(1, Math.min(THUMBNAIL_COLUMNS, Math.floor(width / 2)));
  const rows = Math.max(1, Math.min(Math.floor(height / 2), Math.round((columns * height) / width)));
  // Whole grey levels: 2.3 KB a frame, kept for every sampled frame until tracking (100 MB for 6 hours at 2 frames/s).
  return { columns, rows, luma: Uint8Array.from(cellMeans(pixels, width, height, columns, rows), Math.round) };
}

/** Mean grey level of each cell of a `columns` x `rows` partition of an RGB24 frame, row by row. */
function cellMeans(pixels: Uint8Array, width: number, height: number, columns: number, rows: number): Float32Array {
  const sums = new Float32Array(columns * rows);
  const counts = new Uint32Array(columns * rows);
  // Every other pixel of every other row is plenty for a mean, and halves the cost four times over.
  const columnOf = Uint16Array.from({ length: Math.ceil(width / 2) }, (_, half) => Math.floor((2 * half * columns) / width));
  for (let y = 0; y < height; y += 2) {
    const cellRow = Math.floor((y * rows) / height) * columns;
    for (let x = 0; x < width; x += 2) {
      const offset = (y * width + x) * 3;
      const cell = cellRow + (columnOf[x >> 1] as number);
      sums[cell]! += 0.299 * pixels[offset]! + 0.587 * pixels[offset + 1]! + 0.114 * pixels[offset + 2]!;
      counts[cell]! += 1;
    }
  }
  for (let cell = 0; cell < sums.length; cell += 1) sums[cell] = sums[cell]! / Math.max(1, counts[cell]!);
  return sums;
}

/** Grey-level change of a cell's mean below which it is noise (codec noise moves means by 0.1–1). */
export const CELL_CHANGE_THRESHOLD = 8;

/**
 * Fraction (0..1) of cells — all of them, or those listed in `cells` — whose mean grey level changed
 * by more than {@link CELL_CHANGE_THRESHOLD} between `a` and `b` (two grids of the same shape).
 */
export function changedFraction(a: ArrayLike<number>, b: ArrayLike<number>, cells?: readonly number[]): number {
  const isChanged = (cell: number) => Math.abs((a[cell] as number) - (b[cell] as number)) > CELL_CHANGE_THRESHOLD;
  if (cells) return cells.filter(isChanged).length / cells.length;
  let changed = 0;
  for (let cell = 0; cell < a.length; cell += 1) if (isChanged(cell)) changed += 1;
  return changed / a.length;
}

/**
 * The cells of a `columns` x `rows` grid whose centres lie inside `box` (normalised to the frame),
 * row by row; at least the cell holding the box's centre, so a box smaller than a cell still has one.
 */
export function cellsInside({ columns, rows }: Pick<FrameThumbnail, 'columns' | 'rows'>, box: Box): number[] {
  const span = (start: number, size: number, cells: number): [number, number] => {
    const first = Math.ceil(start * cells - 0.5);
    const last = Math.floor((start + size) * cells - 0.5);
    if (first <= last) return [Math.max(first, 0), Math.min(last, cells - 1)];
    const centre = Math.min(Math.max(Math.floor((start + size / 2) * cells), 0), cells - 1);
    return [centre, centre];
  };
  const [firstColumn, lastColumn] = span(box.left, box.width, columns);
  const [firstRow, lastRow] = span(box.top, box.height, rows);
  const cells: number[] = [];
  for (let row = firstRow; row <= lastRow; row += 1) for (let column = firstColumn; column <= lastColumn; column += 1) cells.push(row * columns + column);
  return cells;
}

/**
 * {@link changedFraction} once the picture's overall brightness change is taken out: each cell's
 * change is measured from the median change of the cells compared, so a camera's exposure or
 * white-balance step (measured on car-detection.mp4: mean grey level 105 -> 65 -> 77 within 2 s
 * of a still view) changes no cell, while a pan or a zoom, which moves different cells differently,
 * still changes most of them.
 */
export function changedFractionBeyondExposure(a: ArrayLike<number>, b: ArrayLike<number>, cells: readonly number[]): number {
  if (cells.length === 0) return 0;
  const changes = cells.map((cell) => (b[cell] as number) - (a[cell] as number));
  const median = [...changes].sort((x, y) => x - y)[changes.length >> 1] as number;
  return changes.filter((change) => Math.abs(change - median) > CELL_CHANGE_THRESHOLD).length / cells.length;
}
