/**
 * Replays OpenWhisk's LoadBalancerDataTests (PR #2932) against DistributedLoadBalancerData, as the Scala suite
 * does for both stores. Every expectation is about the controller's own reads, which the distributed store
 * answers at once from its wrapped local store; the cluster has a second controller that never writes, and
 * the simulation is not run, so nothing is replicated in between.
 */
import { describeLoadBalancerDataTests } from '../../conformance/loadBalancerDataSuite.js';
import { makeCluster } from './harness.js';

describeLoadBalancerDataTests('LoadBalancerDataTests (PR #2932) against DistributedLoadBalancerData', () => makeCluster({ instances: [0, 1] }).lbds[0]!);
