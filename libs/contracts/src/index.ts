export * from './cells.js';
export * from './report.js';
export * from './pipeline.js';
export * from './top-up.js';
export * from './pre-deduction.js';
export * from './post-deduction.js';
export * from './op-stats.js';
export * from './registry.js';
