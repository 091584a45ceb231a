/**
 * Closed forms from queueing theory that validation tests and benchmarks compare the simulator against.
 *
 * Erlang C for an M/M/c queue with arrival rate λ, service rate μ per server and c servers (offered load
 * a = λ/μ, utilisation ρ = a/c < 1): the probability an arrival waits is
 *   C(c, a) = (a^c / c!) · (1 / (1 − ρ)) / (Σ_{k<c} a^k / k! + (a^c / c!) · (1 / (1 − ρ))),
 * and the mean wait in queue is Wq = C(c, a) / (c·μ − λ). Terms are built iteratively to avoid overflow.
 */
import { assert } from './assert.js';

export function erlangC(servers: number, arrivalRate: number, serviceRate: number): number {
  assert(servers >= 1, 'Erlang C needs at least one server');
  const offered = arrivalRate / serviceRate;
  const rho = offered / servers;
  assert(rho < 1, `Erlang C needs utilisation below 1, got ${rho}`);
  let term = 1;
  let sum = 1;
  for (let k = 1; k < servers; k++) {
    term *= offered / k;
    sum += term;
  }
  const top = ((term * offered) / servers) / (1 - rho);
  return top / (sum + top);
}

/** Mean time in queue (before service) of an M/M/c queue, in the time unit of the rates' inverse. */
export function erlangCMeanWait(servers: number, arrivalRate: number, serviceRate: number): number {
  return erlangC(servers, arrivalRate, serviceRate) / (servers * serviceRate - arrivalRate);
}
