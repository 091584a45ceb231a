import { describe, expect, it } from 'vitest';
import { ActivationRecord } from '../../src/model/ActivationRecord.js';
import { ActivationRoute, DerivedOverflowMessage, reroutedTo, type ActionMeta, type ActivationMessage } from '../../src/model/messages.js';

const action: ActionMeta = { index: 2, fqn: 'ns/a', namespace: 'ns', kind: 'nodejs:20', pull: false, memoryMb: 256, timeoutMs: 60_000, concurrency: 1 };
const user = { namespace: 'ns', uuid: 'ns' };

/** The record as its controller sends it: routed, its own message (ActivationRecord.ts). */
function routed(route: ActivationRoute, record: ActivationRecord): ActivationRecord {
  record.route = route;
  return record;
}

describe('a record as its own message', () => {
  it('reads as the ActivationMessage it stands for: the id is the record’s, the rest the route’s', () => {
    const record = new ActivationRecord(41, 2, 0, true, 10, false, 0);
    const msg: ActivationMessage = routed(new ActivationRoute(action, user, true, 3), record);
    expect({ type: msg.type, activationId: msg.activationId, action: msg.action, user: msg.user, rootControllerIndex: msg.rootControllerIndex, blocking: msg.blocking, record: msg.record }).toEqual({
      type: 'activation',
      activationId: 41,
      action,
      user,
      rootControllerIndex: 3,
      blocking: true,
      record,
    });
  });

  it('is rerouted to another controller in place, onto a route shared per controller', () => {
    const record = new ActivationRecord(1, 2, 0, true, 10, false, 0);
    const route = new ActivationRoute(action, user, false, 0);
    const msg = routed(route, record);
    const to5 = reroutedTo(msg, 5) as ActivationRecord;
    expect(to5).toBe(msg);
    expect([to5.rootControllerIndex, to5.activationId, to5.record, to5.action, to5.blocking]).toEqual([5, 1, record, action, false]);
    expect(route.rootControllerIndex).toBe(0);
    const other = new ActivationRecord(2, 2, 0, true, 10, false, 0);
    expect((reroutedTo(routed(route, other), 5) as ActivationRecord).route).toBe(to5.route);
    expect((reroutedTo(msg, 0) as ActivationRecord).route).toBe(route);
  });

  it('reroutes a plain message (a test’s or a health test action’s) by copying it', () => {
    const plain: ActivationMessage = { type: 'activation', activationId: -1, action, user, rootControllerIndex: 0, blocking: false, record: null };
    expect(reroutedTo(plain, 4)).toEqual({ ...plain, rootControllerIndex: 4 });
    expect(plain.rootControllerIndex).toBe(0);
  });
});

describe('DerivedOverflowMessage', () => {
  it('reads as the OverflowMessage it stands for: time limit and pull through the wrapped message’s action', () => {
    const blackbox: ActionMeta = { ...action, kind: 'blackbox', pull: true, timeoutMs: 2_999 };
    const msg = routed(new ActivationRoute(blackbox, user, false, 1), new ActivationRecord(7, 2, 0, true, 10, false, 0));
    const m = new DerivedOverflowMessage(msg, -2_147_483_648, 1, 1234.5678);
    expect({ type: m.type, msg: m.msg, actionTimeoutSeconds: m.actionTimeoutSeconds, hash: m.hash, pull: m.pull, originalController: m.originalController, publishedAtMs: m.publishedAtMs }).toEqual({
      type: 'overflow',
      msg,
      actionTimeoutSeconds: 2, // whole seconds, truncated
      hash: -2_147_483_648,
      pull: true,
      originalController: 1,
      publishedAtMs: 1234.5678,
    });
  });

  it('gives back the publish time it was given, bit for bit', () => {
    const plain: ActivationMessage = { type: 'activation', activationId: -1, action, user, rootControllerIndex: 0, blocking: false, record: null };
    for (const t of [0, 1e-9, 0.1 + 0.2, 299_999.999_999, 2 ** 53 + 2, Number.MAX_VALUE]) {
      expect(Object.is(new DerivedOverflowMessage(plain, 0, 0, t).publishedAtMs, t)).toBe(true);
    }
  });
});
