export {
  RESEND_NAME,
  SAMPLE_DATES,
  SAMPLE_SEED,
  sampleFiles,
  writeSampleSet,
  type Manifest,
  type ManifestEntry,
  type SampleFile,
} from './sample-week.js';
