export { postDeductionTransform, derivePostDeduction } from './post-deduction-transform.js';
