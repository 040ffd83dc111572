export { runOracle, type OracleOptions, type OracleReport, type Preparation } from './oracle.js';
export { formatReport } from './report.js';
