export { opStatsTransform, deriveOpStats } from './op-stats-transform.js';
