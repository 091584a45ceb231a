/** Replays OpenWhisk's LoadBalancerDataTests of PR #2932 (7c547a82) against LocalLoadBalancerData. */
import { LocalLoadBalancerData } from '../../src/model/bookkeeping/LocalLoadBalancerData.js';
import { describeLoadBalancerDataTests } from './loadBalancerDataSuite.js';

describeLoadBalancerDataTests('LoadBalancerDataTests (PR #2932 7c547a82)', () => new LocalLoadBalancerData());
