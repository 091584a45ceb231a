/**
 * A double kept as its two 32-bit halves, each a small integer that V8 stores in an object field without a
 * 16-byte heap number (Node has no pointer compression, and a fractional field is boxed). `ActivationRecord`
 * keeps its arrival and run time this way, `DerivedOverflowMessage` its publish time. The halves go through one
 * shared scratch buffer, in the platform's byte order, the same both ways, so a value comes back bit for bit.
 */
const scratch = new Float64Array(1);
const halves = new Int32Array(scratch.buffer);

/** The low 32 bits of `value`'s representation, as a signed integer. */
export function lowHalf(value: number): number {
  scratch[0] = value;
  return halves[0]!;
}

/** The high 32 bits of `value`'s representation, as a signed integer. */
export function highHalf(value: number): number {
  scratch[0] = value;
  return halves[1]!;
}

/** The double whose halves `lowHalf` and `highHalf` gave. */
export function joinHalves(low: number, high: number): number {
  halves[0] = low;
  halves[1] = high;
  return scratch[0]!;
}
