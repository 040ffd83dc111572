import { createPgliteWarehouse } from './index.js';
import { describeWarehouse } from './__fixtures__/warehouse-suite.js';

describeWarehouse({ name: 'PGlite (in memory)', open: () => createPgliteWarehouse() });
