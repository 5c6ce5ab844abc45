import { afterAll, beforeAll } from 'vitest';

// Shared node+browser test files use mocha's names (the browser runner is mocha);
// vitest calls them beforeAll/afterAll.
Object.assign(globalThis, { before: beforeAll, after: afterAll });
