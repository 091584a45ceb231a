/**
 * Replays OpenWhisk's LoadBalancerServiceObjectTests before PR #2932 (MB 31c5f21e) and in it (PR 7c547a82),
 * with the inputs of those Scala tests, plus generateHash's numeric quirks (docs/openwhisk.md §2).
 */
import { describe, expect, it } from 'vitest';
import {
  createPairwiseCoprimeNumbersUntil,
  generateHash,
  javaStringHashCode,
  JvmException,
  memoize,
  pairwiseCoprimeNumbersUntil,
  schedulePR,
  schedulePrePR,
  type InvokerWithUsage,
} from '../../src/model/controller/LoadBalancerService.js';
import type { InvokerState } from '../../src/model/messages.js';
import { openSuite, SOURCES } from './expectations.js';

const INT_MIN_VALUE = -2147483648;

function inv(id: number, state: InvokerState, usage: number): InvokerWithUsage {
  return { id, state, usage };
}
/** n Healthy invokers with no load (the Scala tests' `invokers(n)`). */
function invokers(n: number): InvokerWithUsage[] {
  return Array.from({ length: n }, (_, i) => inv(i, 'Healthy', 0));
}
function hashInto<A>(list: readonly A[], hash: number): A {
  return list[hash % list.length]!;
}
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const coprimeCases = [0, -1, 1, 2, 3, 4, 5, 9, 10];

describe('LoadBalancerServiceObjectTests (MB 31c5f21e)', () => {
  const suite = openSuite(SOURCES.lbServiceObjectMB);

  it('memoize: does not recompute a value which was already given', () => {
    let calls = 0;
    const add1 = memoize((second: number) => {
      calls += 1;
      return 1 + second;
    });
    expect([add1(1), calls]).toEqual([2, 1]);
    expect([add1(1), calls]).toEqual([2, 1]);
    expect([add1(2), calls]).toEqual([3, 2]);
    expect([add1(1), calls]).toEqual([2, 2]);
  });

  for (const x of coprimeCases) {
    it(`pairwiseCoprimeNumbersUntil(${x})`, () => {
      expect(pairwiseCoprimeNumbersUntil(x)).toEqual(suite.expected(`pairwiseCoprimeNumbersUntil(${x})`));
    });
  }

  it('the memoized coprime table returns the same values, computed once per size', () => {
    const memoized = createPairwiseCoprimeNumbersUntil();
    for (const x of coprimeCases) expect(memoized(x)).toEqual(pairwiseCoprimeNumbersUntil(x));
    expect(memoized(10)).toBe(memoized(10));
  });

  it('None on empty list', () => {
    expect(schedulePrePR([], 0, 1)).toBe(suite.expected('None on empty list'));
  });

  it('None on offline/unhealthy', () => {
    const invs = [inv(0, 'Offline', 0), inv(1, 'UnHealthy', 0)];
    expect(schedulePrePR(invs, 0, 1)).toBe(suite.expected('None on offline/unhealthy'));
  });

  it('home invoker', () => {
    const invs = invokers(10);
    const hash = 2;
    expect(schedulePrePR(invs, 1, hash)).toBe(hash % invs.length);
    expect(schedulePrePR(invs, 1, hash)).toBe(suite.expected('home invoker'));
  });

  it('only online invoker', () => {
    const invs = [inv(0, 'Offline', 0), inv(1, 'UnHealthy', 0), inv(2, 'Healthy', 0)];
    expect(schedulePrePR(invs, 0, 1)).toBe(suite.expected('only online invoker'));
  });

  it('skip offline/unhealthy even if underloaded', () => {
    // MB's version: the home invoker sits exactly at the threshold (busy at usage == T).
    const invs = [inv(0, 'Healthy', 10), inv(1, 'UnHealthy', 0), inv(2, 'Healthy', 0)];
    expect(schedulePrePR(invs, 10, 0)).toBe(suite.expected('skip offline/unhealthy even if underloaded'));
  });

  it('jump by hashed step when home overloaded', () => {
    const invokerCount = 10;
    const hash = 2;
    const invs = invokers(invokerCount);
    invs[hash % invokerCount] = inv(hash % invokerCount, 'Healthy', 1);
    const step = hashInto(pairwiseCoprimeNumbersUntil(invokerCount), hash);
    expect(schedulePrePR(invs, 1, hash)).toBe((hash + step) % invs.length);
    expect(schedulePrePR(invs, 1, hash)).toBe(suite.expected('jump by hashed step when home overloaded'));
  });

  it('wrap: step for n=3,hash=1 is 2', () => {
    expect(hashInto(pairwiseCoprimeNumbersUntil(3), 1)).toBe(suite.expected('wrap: step for n=3,hash=1 is 2'));
  });

  it('wrap the search at end of list', () => {
    const invs = [inv(0, 'Healthy', 1), inv(1, 'Healthy', 1), inv(2, 'Healthy', 0)];
    expect(schedulePrePR(invs, 1, 1)).toBe(suite.expected('wrap the search at end of list'));
  });

  it('multiply threshold in 3 iterations', () => {
    // The Scala comment names invoker 1, but its assertion (and the code) give invoker 0: first below 3·16.
    const invs = [inv(0, 'Healthy', 33), inv(1, 'Healthy', 36), inv(2, 'Healthy', 33)];
    expect(schedulePrePR(invs, 16, 0)).toBe(suite.expected('multiply threshold in 3 iterations'));
  });

  it('home invoker if all above 3x', () => {
    const invs = [inv(0, 'Healthy', 51), inv(1, 'Healthy', 50), inv(2, 'Healthy', 49)];
    expect(schedulePrePR(invs, 16, 0)).toBe(suite.expected('home invoker if all above 3x'));
  });

  for (const hash of [0, 1, 2, 3]) {
    it(`partitioned set hash=${hash}`, () => {
      const invs = [inv(3, 'Healthy', 0), inv(4, 'Healthy', 0), inv(5, 'Healthy', 0)];
      expect(schedulePrePR(invs, 1, hash)).toBe(suite.expected(`partitioned set hash=${hash}`));
    });
  }

  it('the first healthy invoker is the last resort, nearest home in walk order', () => {
    // home 1, step 2 (n = 3, hash 1): walk 1, 0, 2; invoker 1 is unhealthy, all others far above 3T.
    const invs = [inv(0, 'Healthy', 100), inv(1, 'UnHealthy', 0), inv(2, 'Healthy', 100)];
    expect(schedulePrePR(invs, 1, 1)).toBe(0);
  });

  it('replays every MB expectation', () => suite.assertAllReplayed());
});

describe('LoadBalancerServiceObjectTests (PR #2932 7c547a82)', () => {
  const suite = openSuite(SOURCES.lbServiceObjectPR);

  for (const overflow of [false, true]) {
    it(`empty list overflow=${overflow}`, () => {
      expect(schedulePR([], 1, 1, overflow)).toBe(suite.expected(`empty list overflow=${overflow}`));
    });

    it(`offline/unhealthy overflow=${overflow}`, () => {
      const invs = [inv(0, 'Offline', 0), inv(1, 'UnHealthy', 0)];
      expect(schedulePR(invs, 1, 1, overflow)).toBe(suite.expected(`offline/unhealthy overflow=${overflow}`));
    });

    it(`home invoker overflow=${overflow}`, () => {
      expect(schedulePR(invokers(10), 1, 2, overflow)).toBe(suite.expected(`home invoker overflow=${overflow}`));
    });

    it(`only online overflow=${overflow}`, () => {
      const invs = [inv(0, 'Offline', 0), inv(1, 'UnHealthy', 0), inv(2, 'Healthy', 0)];
      expect(schedulePR(invs, 1, 1, overflow)).toBe(suite.expected(`only online overflow=${overflow}`));
    });

    it(`skip unhealthy overflow=${overflow}`, () => {
      const invs = [inv(0, 'Healthy', 11), inv(1, 'UnHealthy', 0), inv(2, 'Healthy', 0)];
      expect(schedulePR(invs, 10, 0, overflow)).toBe(suite.expected(`skip unhealthy overflow=${overflow}`));
    });

    it(`jump by step overflow=${overflow}`, () => {
      const invs = invokers(10);
      invs[2] = inv(2, 'Healthy', 1);
      expect(schedulePR(invs, 1, 2, overflow)).toBe(suite.expected(`jump by step overflow=${overflow}`));
    });

    it(`wrap overflow=${overflow}`, () => {
      const invs = [inv(0, 'Healthy', 1), inv(1, 'Healthy', 1), inv(2, 'Healthy', 0)];
      expect(schedulePR(invs, 1, 1, overflow)).toBe(suite.expected(`wrap overflow=${overflow}`));
    });

    for (const hash of [0, 1, 2, 3]) {
      it(`partitioned hash=${hash} overflow=${overflow}`, () => {
        const invs = [inv(3, 'Healthy', 0), inv(4, 'Healthy', 0), inv(5, 'Healthy', 0)];
        expect(schedulePR(invs, 1, hash, overflow)).toBe(suite.expected(`partitioned hash=${hash} overflow=${overflow}`));
      });
    }
  }

  it('multiply threshold overflow=true', () => {
    const invs = [inv(0, 'Healthy', 33), inv(1, 'Healthy', 36), inv(2, 'Healthy', 33)];
    expect(schedulePR(invs, 16, 0, true)).toBe(suite.expected('multiply threshold overflow=true'));
  });

  it('no multiply when overflow=false', () => {
    const invs = [inv(0, 'Healthy', 33), inv(1, 'Healthy', 36), inv(2, 'Healthy', 33)];
    expect(schedulePR(invs, 16, 0, false)).toBe(suite.expected('no multiply when overflow=false'));
  });

  it('home if all above 3x overflow=true', () => {
    const invs = [inv(0, 'Healthy', 51), inv(1, 'Healthy', 50), inv(2, 'Healthy', 49)];
    expect(schedulePR(invs, 16, 0, true)).toBe(suite.expected('home if all above 3x overflow=true'));
  });

  it('None if all busy overflow=false', () => {
    const invs = [inv(0, 'Healthy', 51), inv(1, 'Healthy', 50), inv(2, 'Healthy', 49)];
    expect(schedulePR(invs, 16, 0, false)).toBe(suite.expected('None if all busy overflow=false'));
  });

  it('requires invokerBusyThreshold > 0, even for an empty list (IllegalArgumentException)', () => {
    for (const threshold of [0, -1]) {
      const error = thrown(() => schedulePR([], threshold, 1, false));
      expect(error).toBeInstanceOf(JvmException);
      expect((error as JvmException).simpleName).toBe('IllegalArgumentException');
    }
    // The pre-PR schedule accepts 0 (its tests called it so).
    expect(schedulePrePR(invokers(2), 0, 1)).toBe(1);
  });

  it('replays every PR expectation', () => suite.assertAllReplayed());
});

describe('generateHash (docs/openwhisk.md §2)', () => {
  it('is Java String.hashCode over UTF-16 code units with 32-bit wrap', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('guest')).toBe(98708952);
    // "polygenelubricants".hashCode() is famously Int.MinValue.
    expect(javaStringHashCode('polygenelubricants')).toBe(INT_MIN_VALUE);
    // A surrogate pair counts as two code units: 31 · 0xD83D + 0xDE00.
    expect(javaStringHashCode('\u{1F600}')).toBe(31 * 0xd83d + 0xde00);
  });

  it('is abs(hash(namespace) XOR hash(fqn))', () => {
    const expected = Math.abs(javaStringHashCode('guest') ^ javaStringHashCode('guest/hello'));
    expect(generateHash('guest', 'guest/hello')).toBe(expected);
    expect(generateHash('guest', 'guest/hello')).toBeGreaterThanOrEqual(0);
  });

  const minValuePairs: ReadonlyArray<readonly [string, string]> = [
    ['guest', 'guest/cjjfjuuh'],
    ['whisk.system', 'whisk.system/avlzqzgf'],
    ['myorg_dev', 'myorg_dev/pkg/acruaftt'],
  ];

  for (const [namespace, fqn] of minValuePairs) {
    it(`abs(Int.MinValue) stays negative: ("${namespace}","${fqn}")`, () => {
      expect(javaStringHashCode(namespace) ^ javaStringHashCode(fqn)).toBe(INT_MIN_VALUE);
      expect(generateHash(namespace, fqn)).toBe(INT_MIN_VALUE);
    });
  }

  it('("polygenelubricants","polygenelubricants/x") is NOT Int.MinValue (an easy mistake: its XOR is 1577)', () => {
    // hash("…/x") = MinValue·961 + 47·31 + 120 = MinValue + 1577, so the XOR is 1577.
    expect(generateHash('polygenelubricants', 'polygenelubricants/x')).toBe(1577);
  });

  it('with fixAbsMinValue (ControllerFix hash-abs-min-value) the hash is 0 instead', () => {
    expect(generateHash('guest', 'guest/cjjfjuuh', { fixAbsMinValue: true })).toBe(0);
    expect(generateHash('guest', 'guest/hello', { fixAbsMinValue: true })).toBe(generateHash('guest', 'guest/hello'));
  });

  const hash = generateHash('guest', 'guest/cjjfjuuh');

  for (const n of [1, 2, 4, 8]) {
    it(`a MinValue hash schedules on invoker 0 with ${n} healthy invokers`, () => {
      expect(schedulePrePR(invokers(n), 16, hash)).toBe(0);
      expect(schedulePR(invokers(n), 16, hash, false)).toBe(0);
      expect(schedulePR(invokers(n), 16, hash, true)).toBe(0);
      // The fix places it identically where OpenWhisk does not throw.
      expect(schedulePR(invokers(n), 16, generateHash('guest', 'guest/cjjfjuuh', { fixAbsMinValue: true }), false)).toBe(0);
    });
  }

  for (const n of [3, 5, 16]) {
    it(`a MinValue hash throws IndexOutOfBoundsException with ${n} invokers (all eras)`, () => {
      for (const run of [
        () => schedulePrePR(invokers(n), 16, hash),
        () => schedulePR(invokers(n), 16, hash, false),
        () => schedulePR(invokers(n), 16, hash, true),
      ]) {
        const error = thrown(run);
        expect(error).toBeInstanceOf(JvmException);
        expect((error as JvmException).jvmClass).toBe('java.lang.IndexOutOfBoundsException');
      }
      const fixed = generateHash('guest', 'guest/cjjfjuuh', { fixAbsMinValue: true });
      expect(schedulePR(invokers(n), 16, fixed, false)).toBe(0);
    });
  }

  it('Java % keeps the dividend sign: MinValue % n for n = 3, 5, 10', () => {
    expect([INT_MIN_VALUE % 3, INT_MIN_VALUE % 5, INT_MIN_VALUE % 10, INT_MIN_VALUE % 16]).toEqual([-2, -3, -8, -0]);
  });
});
