/**
 * `--max-bytes`: a budget checked against dry-run estimates BEFORE anything runs, so a
 * run that would scan too much stops while it has cost nothing (dry runs are free).
 * `maximumBytesBilled` on each job is the second fence: BigQuery itself fails a job that
 * would bill more, before it runs.
 */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
};

/** `10GB` (10⁹), `1.5GiB` (2³⁰·1.5), `500000000`, `1e9` → bytes. SI units are decimal, -iB units binary. */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`byte size must be a non-negative number, not ${value}`);
    return Math.floor(value);
  }
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgtp]i?b|b)?\s*$/i.exec(value);
  if (!match) throw new Error(`cannot read ${JSON.stringify(value)} as a byte size: write e.g. 10GB, 500MiB or 1000000000`);
  const unit = UNITS[(match[2] ?? 'b').toLowerCase()] as number;
  return Math.floor(Number(match[1]) * unit);
}

export interface BytesEstimate {
  unique_id: string;
  bytes_processed?: number | undefined;
}

export interface BytesBudgetCheck {
  total_bytes: number;
  max_bytes: number;
  within_budget: boolean;
  /** The estimates, largest first: what to look at when the budget is exceeded. */
  largest: { unique_id: string; bytes_processed: number }[];
}

export function checkBytesBudget(estimates: Iterable<BytesEstimate>, maxBytes: number): BytesBudgetCheck {
  const known = [...estimates]
    .filter((e): e is { unique_id: string; bytes_processed: number } => typeof e.bytes_processed === 'number')
    .sort((a, b) => b.bytes_processed - a.bytes_processed || a.unique_id.localeCompare(b.unique_id));
  const total = known.reduce((sum, e) => sum + e.bytes_processed, 0);
  return { total_bytes: total, max_bytes: maxBytes, within_budget: total <= maxBytes, largest: known.map(({ unique_id, bytes_processed }) => ({ unique_id, bytes_processed })) };
}

export class BytesBudgetExceededError extends Error {
  constructor(readonly check: BytesBudgetCheck) {
    const top = check.largest
      .slice(0, 5)
      .map((e) => `${e.unique_id} ${formatBytes(e.bytes_processed)}`)
      .join(', ');
    super(`the selection would process ${formatBytes(check.total_bytes)}, over the --max-bytes budget of ${formatBytes(check.max_bytes)}; largest: ${top}`);
    this.name = 'BytesBudgetExceededError';
  }
}

/** Throws {@link BytesBudgetExceededError} when the estimates add up to more than `maxBytes`. */
export function assertWithinBytesBudget(estimates: Iterable<BytesEstimate>, maxBytes: number): BytesBudgetCheck {
  const check = checkBytesBudget(estimates, maxBytes);
  if (!check.within_budget) throw new BytesBudgetExceededError(check);
  return check;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** BigQuery on-demand analysis price per TiB processed (USD, US multi-region, 2023 list price). */
export const ON_DEMAND_USD_PER_TIB = 6.25;

export function onDemandCost(bytes: number, usdPerTiB = ON_DEMAND_USD_PER_TIB): number {
  return (bytes / 2 ** 40) * usdPerTiB;
}
