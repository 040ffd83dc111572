import { opStatsContract } from './op-stats.js';
import { postDeductionContract } from './post-deduction.js';
import { preDeductionContract } from './pre-deduction.js';
import type { Domain, ReportContract } from './report.js';
import { topUpContract } from './top-up.js';
// generator: contract imports

/** The four source reports, by domain. */
export const REPORT_CONTRACTS: Readonly<Record<Domain, ReportContract<object>>> = {
  top_up: topUpContract as ReportContract<object>,
  pre_deduction: preDeductionContract as ReportContract<object>,
  post_deduction: postDeductionContract as ReportContract<object>,
  op_stats: opStatsContract as ReportContract<object>,
  // generator: contracts
};
