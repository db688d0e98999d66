package dev.norma.runtime.study;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Maps agent ids to shards: agent {@code i} lives in shard {@code i mod shards}, so agents spread
 * evenly and the shard of an id needs no hashing or string building on the hot path.
 */
final class AgentShards extends ShardingMessageExtractor<ShardingEnvelope<AgentEntity.Command>, AgentEntity.Command> {
  private final String[] shardIds;

  AgentShards(int shards) {
    this.shardIds = new String[shards];
    for (int i = 0; i < shards; i++) {
      shardIds[i] = Integer.toString(i);
    }
  }

  @Override
  public String entityId(ShardingEnvelope<AgentEntity.Command> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return shardIds[Math.floorMod(parseAgentId(entityId), shardIds.length)];
  }

  @Override
  public AgentEntity.Command unwrapMessage(ShardingEnvelope<AgentEntity.Command> envelope) {
    return envelope.message();
  }

  /** Agent ids are decimal ints; parsing by hand avoids Integer.parseInt's checks on the hot path. */
  static int parseAgentId(String entityId) {
    int value = 0;
    for (int i = 0; i < entityId.length(); i++) {
      char c = entityId.charAt(i);
      if (c < '0' || c > '9') {
        return entityId.hashCode();
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
