/**
 * Staged rollouts decided at the edge: a candidate version and a rollout record in Consul beside an
 * application's configuration key, instances that each decide from their own bucket and labels
 * whether to run the candidate ({@link dev.hotconf.consul.rollout.RolloutSource}, {@link
 * dev.hotconf.consul.rollout.RolloutFollower}), and a driver that moves the stages, halts and
 * reverts on bad health, and promotes ({@link dev.hotconf.consul.rollout.RolloutDriver}). No server
 * of its own: Consul holds every piece of state.
 */
package dev.hotconf.consul.rollout;
