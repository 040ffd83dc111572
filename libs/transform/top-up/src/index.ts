export { topUpTransform, deriveTopUp, topUpDaySegment } from './top-up-transform.js';
