/**
 * Test-suite set-up: every run the tests make checks invariants (src/model/checks), so a bookkeeping bug
 * anywhere fails the suite with the invariant that broke.
 */
import { setChecksByDefault } from '../src/runScenario.js';

setChecksByDefault(true);
