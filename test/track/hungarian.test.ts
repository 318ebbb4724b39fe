import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../../src/track/hungarian.js';

const totalCost = (costs: number[][], columnOfRow: number[]): number =>
  columnOfRow.reduce((sum, column, row) => (column < 0 ? sum : sum + (costs[row]?.[column] ?? NaN)), 0);

/** Tries every way of giving each row of the smaller side its own column. */
const bruteForceMinimum = (costs: number[][]): number => {
  const rows = costs.length;
  const columns = costs[0]?.length ?? 0;
  const search = (row: number, used: Set<number>, skipsLeft: number): number => {
    if (row === rows) return 0;
    let best = skipsLeft > 0 ? search(row + 1, used, skipsLeft - 1) : Infinity;
    for (let column = 0; column < columns; column++) {
      if (used.has(column)) continue;
      used.add(column);
      best = Math.min(best, (costs[row]?.[column] ?? NaN) + search(row + 1, used, skipsLeft));
      used.delete(column);
    }
    return best;
  };
  return search(0, new Set(), Math.max(rows - columns, 0));
};

describe('solveAssignment', () => {
  it('finds the unique optimum of a square matrix', () => {
    // Of the six permutations, rows -> columns [1, 0, 2] costs 1 + 2 + 2 = 5; the next best costs 6.
    expect(solveAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]])).toEqual([1, 0, 2]);
  });

  it('beats the greedy choice', () => {
    // Greedy takes the cheapest entry (1) and is then forced to pay 100; crossing over costs 2 + 2.
    expect(solveAssignment([[1, 2], [2, 100]])).toEqual([1, 0]);
  });

  it('handles more columns than rows', () => {
    expect(solveAssignment([[10, 1, 5], [1, 10, 5]])).toEqual([1, 0]);
  });

  it('leaves the surplus rows unassigned when there are more rows than columns', () => {
    expect(solveAssignment([[10, 1], [1, 10], [5, 5]])).toEqual([1, 0, -1]);
  });

  it('handles negative costs', () => {
    expect(solveAssignment([[-1, -5], [-4, -3]])).toEqual([1, 0]);
  });

  it('returns no assignment for empty inputs', () => {
    expect(solveAssignment([])).toEqual([]);
    expect(solveAssignment([[], []])).toEqual([-1, -1]);
  });

  it('rejects ragged or non-finite matrices', () => {
    expect(() => solveAssignment([[1, 2], [3]])).toThrow(/row 1/);
    expect(() => solveAssignment([[1, Infinity]])).toThrow(/finite/);
  });

  it('matches brute force on random small matrices, including rectangular ones', () => {
    const matrix = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .chain(([rows, columns]) =>
        fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
      );
    fc.assert(
      fc.property(matrix, (costs) => {
        const columnOfRow = solveAssignment(costs);
        const assigned = columnOfRow.filter((column) => column >= 0);
        expect(columnOfRow).toHaveLength(costs.length);
        expect(assigned).toHaveLength(Math.min(costs.length, costs[0]?.length ?? 0));
        expect(new Set(assigned).size).toBe(assigned.length);
        expect(totalCost(costs, columnOfRow)).toBe(bruteForceMinimum(costs));
      }),
      { numRuns: 500 },
    );
  });
});
