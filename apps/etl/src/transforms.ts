import type { Domain, DomainTransform } from '@sp01/contracts';
import { topUpTransform } from '@sp01/transform-top-up';
import { preDeductionTransform } from '@sp01/transform-pre-deduction';
import { postDeductionTransform } from '@sp01/transform-post-deduction';
import { opStatsTransform } from '@sp01/transform-op-stats';
// generator: transform imports

/** The domain transforms this runner knows; `nx g @sp01/workspace-plugin:domain-transform` adds to it. */
export const DOMAIN_TRANSFORMS: Readonly<Partial<Record<Domain, DomainTransform>>> = {
  top_up: topUpTransform,
  pre_deduction: preDeductionTransform,
  post_deduction: postDeductionTransform,
  op_stats: opStatsTransform,
  // generator: transforms
};
