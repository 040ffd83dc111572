// Each fake lives in its own module; add one export line per fake.
export * from './bigquery-fake.js';
export * from './drive-fake.js';
export * from './storage-fake.js';
