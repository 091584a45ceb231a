/**
 * Access to OpenWhisk's transcribed unit-test expectations (test/fixtures/openwhisk/test-expectations.json,
 * described in docs/openwhisk.md §17.2).
 *
 * Each conformance test file opens the suites (Scala test file @ commit) it replays with `openSuite`, reads
 * every expected value through `suite.expected(name)`, and ends with a test calling
 * `suite.assertAllReplayed()` (vitest runs a file's tests in order).
 * So a suite listed in `REPLAYED_SUITES` is replayed entry by entry, and coverage.test.ts checks that every
 * suite in the file is either listed there or in `NOT_REPLAYED_HERE` with a reason.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export interface Expectation {
  readonly source: string;
  readonly name: string;
  readonly expected: unknown;
}

export const EXPECTATIONS_PATH = fileURLToPath(new URL('../fixtures/openwhisk/test-expectations.json', import.meta.url));

export function loadExpectations(): readonly Expectation[] {
  const parsed = JSON.parse(readFileSync(EXPECTATIONS_PATH, 'utf8')) as { tests: Expectation[] };
  return parsed.tests;
}

/** The `source` strings of the suites, exactly as in the JSON. */
export const SOURCES = {
  lbServiceObjectMB: 'tests/src/test/scala/whisk/core/loadBalancer/test/LoadBalancerServiceObjectTests.scala@31c5f21e4',
  lbServiceObjectPR:
    'tests/src/test/scala/whisk/core/loadBalancer/test/LoadBalancerServiceObjectTests.scala@7c547a82f (refs/pull/2932/head)',
  overflowPR: 'tests/src/test/scala/whisk/core/loadBalancer/test/OverflowTests.scala@7c547a82f',
  shardingSH2: 'tests/src/test/scala/whisk/core/loadBalancer/test/ShardingContainerPoolBalancerTests.scala@a72ee3e3b',
  shardingHEAD:
    'tests/src/test/scala/org/apache/openwhisk/core/loadBalancer/test/ShardingContainerPoolBalancerTests.scala@1fae641a2',
  forcibleSemaphore: 'tests/src/test/scala/org/apache/openwhisk/common/ForcibleSemaphoreTests.scala@1fae641a2',
  nestedSemaphore: 'tests/src/test/scala/org/apache/openwhisk/common/NestedSemaphoreTests.scala@1fae641a2',
  resizableSemaphore: 'tests/src/test/scala/org/apache/openwhisk/common/ResizableSemaphoreTests.scala@1fae641a2',
  loadBalancerDataPR: 'tests/src/test/scala/whisk/core/loadBalancer/test/LoadBalancerDataTests.scala@7c547a82f',
  invokerSupervisionMB: 'tests/src/test/scala/whisk/core/loadBalancer/test/InvokerSupervisionTests.scala@31c5f21e4',
  invokerSupervisionHEAD:
    'tests/src/test/scala/org/apache/openwhisk/core/loadBalancer/test/InvokerSupervisionTests.scala@1fae641a2',
  batcherMB: 'tests/src/test/scala/whisk/core/database/test/BatcherTests.scala@31c5f21e4',
} as const;

/** Suites replayed in this folder, with the test file that replays each. */
export const REPLAYED_SUITES: Readonly<Record<string, string>> = {
  [SOURCES.lbServiceObjectMB]: 'LoadBalancerServiceObjectTests.test.ts',
  [SOURCES.lbServiceObjectPR]: 'LoadBalancerServiceObjectTests.test.ts',
  [SOURCES.overflowPR]: 'OverflowTests.test.ts',
  [SOURCES.shardingSH2]: 'ShardingContainerPoolBalancerTests.test.ts',
  [SOURCES.shardingHEAD]: 'ShardingContainerPoolBalancerTests.test.ts',
  [SOURCES.forcibleSemaphore]: 'SemaphoreTests.test.ts',
  [SOURCES.nestedSemaphore]: 'SemaphoreTests.test.ts',
  [SOURCES.resizableSemaphore]: 'SemaphoreTests.test.ts',
  [SOURCES.loadBalancerDataPR]: 'loadBalancerDataSuite.ts', // run by LoadBalancerDataTests.test.ts (local) and the distributed test
  [SOURCES.batcherMB]: '../model/store/BatcherTests.test.ts',
};

/** Suites this folder does not replay, and why. */
export const NOT_REPLAYED_HERE: Readonly<Record<string, string>> = {
  [SOURCES.invokerSupervisionMB]: 'replayed in test/model/... (InvokerPool/InvokerActor health rules, helper A2)',
  [SOURCES.invokerSupervisionHEAD]: 'replayed in test/model/... (InvokerPool/InvokerActor health rules, helper A2)',
};

export interface Suite {
  /** The expected value of the entry `name`; fails the test if there is no such entry. Marks it replayed. */
  expected(name: string): unknown;
  /** Every entry of the suite was read through `expected` (call from the file's last test). */
  assertAllReplayed(): void;
}

export function openSuite(source: string): Suite {
  const entries = loadExpectations().filter((e) => e.source === source);
  if (entries.length === 0) throw new Error(`no expectations with source ${source}`);
  const replayed = new Set<string>();
  return {
    expected(name: string): unknown {
      const matches = entries.filter((e) => e.name === name);
      if (matches.length !== 1) throw new Error(`expected exactly one entry "${name}" in ${source}, found ${matches.length}`);
      replayed.add(name);
      return matches[0]!.expected;
    },
    assertAllReplayed(): void {
      const missing = entries.map((e) => e.name).filter((n) => !replayed.has(n));
      expect(missing, `entries of ${source} never replayed`).toEqual([]);
    },
  };
}
