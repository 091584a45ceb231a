/** A typed array of twice the length holding `array`'s elements first: the growth step of the struct-of-arrays tables. */
export function doubled<T extends Float64Array | Int32Array>(array: T): T {
  const bigger = new (array.constructor as { new (n: number): T })(array.length * 2);
  bigger.set(array);
  return bigger;
}
