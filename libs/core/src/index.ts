export * from './errors.js';
export * from './business-date.js';
export * from './run-context.js';
export * from './config.js';
export * from './logger.js';
export * from './progress.js';
export * from './retry.js';
