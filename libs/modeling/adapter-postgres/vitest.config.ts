import { projectTestConfig } from '../../../vitest.preset.js';

export default projectTestConfig(import.meta.dirname);
