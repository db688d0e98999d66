package dev.norma.runtime.node;

import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * One per node: tells the cluster where this node's HTTP API is, and keeps where every member's is,
 * so that {@code GET /cluster} can name them and a client (a sweep placing whole runs on nodes) can
 * reach each node without being told every address. A replicated map (Pekko Distributed Data) from
 * cluster address to HTTP URL, written locally and spread by gossip; a node restarted at the same
 * address writes its new URL over the old one.
 *
 * <p>Protocol: none from outside; it hears only the replicator. Lifecycle: lives as long as the
 * node. On failure it is restarted by its supervisor and publishes again.
 */
final class NodeDirectory {
  /** The replicated map of cluster address to HTTP URL. */
  static final org.apache.pekko.cluster.ddata.Key<LWWMap<String, String>> URLS = LWWMapKey.create("norma-node-urls");

  private NodeDirectory() {
  }

  interface Command {
  }

  private record Changed(Replicator.SubscribeResponse<LWWMap<String, String>> response) implements Command {
  }

  private record Published(Replicator.UpdateResponse<LWWMap<String, String>> response) implements Command {
  }

  /**
   * @param selfUrl this node's HTTP API
   * @param urls    filled with every member's HTTP API by cluster address, read by the HTTP API
   */
  static Behavior<Command> create(String selfUrl, Map<String, String> urls) {
    return Behaviors.setup(context -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Command, LWWMap<String, String>> replicator) -> {
          SelfUniqueAddress self = DistributedData.get(context.getSystem()).selfUniqueAddress();
          String address = self.uniqueAddress().address().toString();
          urls.put(address, selfUrl);
          replicator.subscribe(URLS, Changed::new);
          replicator.askUpdate(replyTo -> new Replicator.Update<>(URLS, LWWMap.create(), Replicator.writeLocal(),
              replyTo, map -> map.put(self, address, selfUrl)), Published::new);
          return Behaviors.receive(Command.class)
              .onMessage(Changed.class, changed -> {
                if (changed.response() instanceof Replicator.Changed<LWWMap<String, String>> c) {
                  urls.putAll(c.get(URLS).getEntries());
                }
                return Behaviors.same();
              })
              .onMessage(Published.class, published -> Behaviors.same())
              .build();
        }));
  }
}
