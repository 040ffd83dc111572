// Each fake lives in its own module; add one export line per fake.
export * from './bigquery-fake.js';
