export { preDeductionTransform, derivePreDeduction } from './pre-deduction-transform.js';
