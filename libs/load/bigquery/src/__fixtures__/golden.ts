import { join } from 'node:path';
import { goldenFiles } from '@sp01/vitest-preset/golden';

/** This lib's golden files, in `src/__golden__/`. */
export const expectGolden = goldenFiles(join(import.meta.dirname, '..', '__golden__'));
