import type { InferredType } from './adapter.js';

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const INT32_MAX = 2_147_483_647;

function fits(cell: string, type: InferredType): boolean {
  switch (type) {
    case 'boolean':
      return BOOLEAN.test(cell);
    case 'integer':
      return INTEGER.test(cell) && Math.abs(Number(cell)) <= INT32_MAX;
    case 'number':
      return NUMBER.test(cell);
    case 'date':
      return DATE.test(cell) && !Number.isNaN(Date.parse(cell));
    case 'datetime':
      // A plain date fits a datetime column: a column mixing both is datetime.
      return (DATETIME.test(cell) || DATE.test(cell)) && !Number.isNaN(Date.parse(cell.replace(' ', 'T')));
    case 'text':
      return true;
  }
}

/** agate's order, as dbt's seed loader tries types: the first that every value fits wins. */
const CANDIDATES: readonly InferredType[] = ['boolean', 'integer', 'number', 'date', 'datetime', 'text'];

/**
 * The type family of one CSV column, as dbt infers it for seeds without `column_types`.
 * A column of only empty cells is text, as in dbt.
 */
export function inferSeedType(cells: Iterable<string | null>): InferredType {
  const values = [...cells].filter((cell): cell is string => cell !== null && cell !== '');
  if (values.length === 0) return 'text';
  return CANDIDATES.find((type) => values.every((cell) => fits(cell, type))) ?? 'text';
}
