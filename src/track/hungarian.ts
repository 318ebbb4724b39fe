/**
 * Minimum-cost assignment (the Hungarian method, in its shortest-augmenting-path form with row and
 * column potentials, O(rows² · columns)). Rectangular matrices are fine: the smaller side is fully
 * assigned, the larger side keeps `min(rows, columns)` assigned entries.
 *
 * @param costs `costs[row][column]`, finite numbers, every row the same length.
 * @returns for each row, the column assigned to it, or -1 when the row is left unassigned.
 */
export const solveAssignment = (costs: readonly (readonly number[])[]): number[] => {
  const rowCount = costs.length;
  const columnCount = costs[0]?.length ?? 0;
  for (const [row, rowCosts] of costs.entries()) {
    if (rowCosts.length !== columnCount) {
      throw new RangeError(`Assignment costs must be rectangular: row ${row} has ${rowCosts.length} entries, row 0 has ${columnCount}.`);
    }
    if (!rowCosts.every(Number.isFinite)) throw new RangeError(`Assignment costs must be finite: row ${row} is not.`);
  }
  if (rowCount === 0 || columnCount === 0) return new Array<number>(rowCount).fill(-1);
  if (rowCount <= columnCount) return assignEveryRow(costs, rowCount, columnCount);

  const transposed = Array.from({ length: columnCount }, (_, column) => costs.map((rowCosts) => rowCosts[column] as number));
  const rowOfColumn = assignEveryRow(transposed, columnCount, rowCount);
  const columnOfRow = new Array<number>(rowCount).fill(-1);
  rowOfColumn.forEach((row, column) => (columnOfRow[row] = column));
  return columnOfRow;
};

/**
 * Adds rows one at a time, each along a shortest augmenting path in reduced costs; the potentials
 * keep every reduced cost non-negative, which is what makes the final matching optimal.
 * Requires rowCount <= columnCount. Internally 1-based: index 0 is the virtual "unassigned" slot.
 */
const assignEveryRow = (costs: readonly (readonly number[])[], rowCount: number, columnCount: number): number[] => {
  const cost = (row: number, column: number): number => (costs[row - 1] as readonly number[])[column - 1] as number;
  const rowPotential = new Float64Array(rowCount + 1);
  const columnPotential = new Float64Array(columnCount + 1);
  const rowOfColumn = new Int32Array(columnCount + 1);
  const previousColumn = new Int32Array(columnCount + 1);

  for (let row = 1; row <= rowCount; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    const slack = new Float64Array(columnCount + 1).fill(Infinity);
    const visited = new Uint8Array(columnCount + 1);
    do {
      visited[column] = 1;
      const pathRow = rowOfColumn[column] as number;
      let delta = Infinity;
      let nextColumn = 0;
      for (let candidate = 1; candidate <= columnCount; candidate++) {
        if (visited[candidate]) continue;
        const reduced = cost(pathRow, candidate) - (rowPotential[pathRow] as number) - (columnPotential[candidate] as number);
        if (reduced < (slack[candidate] as number)) {
          slack[candidate] = reduced;
          previousColumn[candidate] = column;
        }
        if ((slack[candidate] as number) < delta) {
          delta = slack[candidate] as number;
          nextColumn = candidate;
        }
      }
      for (let candidate = 0; candidate <= columnCount; candidate++) {
        if (visited[candidate]) {
          const assignedRow = rowOfColumn[candidate] as number;
          rowPotential[assignedRow] = (rowPotential[assignedRow] as number) + delta;
          columnPotential[candidate] = (columnPotential[candidate] as number) - delta;
        } else {
          slack[candidate] = (slack[candidate] as number) - delta;
        }
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);
    // Flip the augmenting path: every column on it takes the row of the column before it.
    while (column !== 0) {
      const before = previousColumn[column] as number;
      rowOfColumn[column] = rowOfColumn[before] as number;
      column = before;
    }
  }

  const columnOfRow = new Array<number>(rowCount).fill(-1);
  for (let column = 1; column <= columnCount; column++) {
    const row = rowOfColumn[column] as number;
    if (row !== 0) columnOfRow[row - 1] = column - 1;
  }
  return columnOfRow;
};
