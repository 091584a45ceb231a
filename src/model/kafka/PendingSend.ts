/**
 * A record on its way from a producer to a partition, and the `SendCompletion` its producer handed back: the
 * message plus the callback and context the sender attached. Partition keeps these in its in-flight ring and
 * recycles each one once the record has reached the broker, so a send allocates nothing.
 */
import { assert } from '../../sim/assert.js';
import type { Message } from '../messages.js';
import type { SendCompletion } from '../messaging.js';

/** An acknowledgement callback as stored (its context's type is the sender's business). */
export type SendCallback = (ok: boolean, context: any) => void;

export class PendingSend implements SendCompletion {
  /** The record; null while the object waits in its partition's free list. */
  msg: Message | null = null;
  callback: SendCallback | null = null;
  context: unknown = undefined;

  andThen<C>(callback: (ok: boolean, context: C) => void, context: C): void {
    // Hot (once per acknowledged send): the inverted form builds the message only when the check fails.
    if (this.msg === null) assert(false, 'andThen on a send that has already completed');
    if (this.callback !== null) assert(false, 'andThen attached twice to one send');
    this.callback = callback;
    this.context = context;
  }
}
