import { createPgliteAdapter } from './postgres-adapter.js';
import { executionSuite } from './__fixtures__/execution-suite.js';

// One in-memory PGlite for the file: each test works in its own schemas.
executionSuite('PGlite', () => createPgliteAdapter(), 4);
