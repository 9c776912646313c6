import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { scaledMs } from '@paved/test-timing';

// findBy*/waitFor budgets follow the suite's one time scale
// (PAVED_TEST_TIME_SCALE); Testing Library's 1 s default is too tight for a
// busy 2-core CI machine rendering a whole page.
configure({ asyncUtilTimeout: scaledMs(10_000) });
