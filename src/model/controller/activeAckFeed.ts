/**
 * The active-ack feed every balancer sets up the same way (Scala: `activeAckConsumer` and `activationFeed` in
 * LoadBalancerService.scala at MB and PR, later in CommonLoadBalancer.scala): topic `completed<instance>`,
 * consumer group `completions`, maxPeek `ackMaxPeek`, polled every `ackPollMs`.
 */
import { topics, type Message } from '../messages.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import type { LoadBalancerContext } from './LoadBalancer.js';

export function activeAckFeed(context: LoadBalancerContext, handler: (msg: Message) => void): MessageFeed {
  const { config } = context;
  // Stryker disable next-line StringLiteral: the topic is this controller's alone, so its group is never shared
  const consumer = context.messaging.getConsumer(topics.completed(context.instance), 'completions', config.ackMaxPeek);
  // Stryker disable next-line StringLiteral: the feed's description only labels its assertion messages
  return new MessageFeed('activeack', consumer, config.ackMaxPeek, config.ackPollMs, handler, context.scheduler);
}
