import { projectTestConfig } from '@sp01/vitest-preset';

export default projectTestConfig(import.meta.dirname);
