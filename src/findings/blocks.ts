/** Every generated block of docs/findings.md, by section. */
import type { FindingsBlock } from './block.js';
import { azureBlocks } from './azureBlocks.js';
import { bookkeepingBlocks } from './bookkeepingBlocks.js';
import { coldStartBlocks } from './coldStartBlocks.js';
import { membershipBlocks } from './membershipBlocks.js';
import { overflowBlocks } from './overflowBlocks.js';
import { policyBlocks } from './policyBlocks.js';
import { slowStoreBlocks } from './slowStoreBlocks.js';
import { thrashBlocks } from './thrashBlocks.js';
import { validationBlocks } from './validationBlocks.js';

export const FINDINGS_BLOCKS: readonly FindingsBlock[] = [...validationBlocks, ...overflowBlocks, ...bookkeepingBlocks, ...slowStoreBlocks, ...membershipBlocks, ...azureBlocks, ...thrashBlocks, ...coldStartBlocks, ...policyBlocks];
