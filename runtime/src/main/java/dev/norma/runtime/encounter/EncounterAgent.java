package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.wire.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One agent of an encounter game: a sharded entity that holds its mind and lends it, as state, to
 * the encounters it takes part in, one at a time and in the order of its turns. An encounter asks
 * with {@link Lend}, carrying the agent's turn number (the matchmaker stamps it); the agent lends
 * its mind when that turn has come and it is not lent already, else it sets the request aside. The
 * coordinator gives the mind back, changed, with {@link Return} once it has journaled the encounter,
 * and the agent takes up its next turn. So every encounter sees each participant exactly as the
 * single-threaded loop would, however many encounters run at once and wherever they run.
 *
 * <p>The agent journals nothing: the coordinator's journal holds every settled encounter with all
 * its participants' minds, written at once. A coordinator recovered from it (a resumed durable
 * run, a singleton moved to another node) or restarting from it (a durable run on a cluster that
 * lost a node) gives each agent the mind its last settled encounter left it with {@link Restore},
 * and admits again, with the same slots and turns, every encounter not settled. So an agent may
 * hear of an encounter more than once, and late: it is built to take that.
 * <ul>
 *   <li>Its mind is always the one its next turn needs (a mind changes only by a settled
 *   encounter), so whatever it lends is right; an agent re-created on another node starts at turn
 *   0 with its first mind, which is right until its {@link Restore} comes.</li>
 *   <li>A {@link Restore} ahead of its turn (the encounters it missed were settled) takes that
 *   mind and turn, and takes the mind back from the encounter it was lent to; one at its turn
 *   keeps a lent mind lent, for the encounter that is redone is in the same slot.</li>
 *   <li>A {@link Lend} for the slot its mind is lent to (that encounter redone) is lent again, to
 *   whoever asks now; one for a turn behind it (settled, and asked by an encounter that ended) is
 *   dropped.</li>
 *   <li>A {@link Return} for any slot but the one its mind is lent to is dropped.</li>
 * </ul>
 */
public final class EncounterAgent extends AbstractBehavior<EncounterAgent.Command> {

  /** What an agent of an encounter game is told. */
  public sealed interface Command extends CborSerializable permits Lend, Return, Restore, Retire {
  }

  /**
   * Lend the mind to the encounter in admission slot {@code slot}, as participant {@code position},
   * when turn {@code turn} comes.
   */
  public record Lend(long slot, int turn, int position, ActorRef<Encounter.Command> replyTo) implements Command {
  }

  /** The encounter in slot {@code slot} is over: the mind is now {@code state}. */
  public record Return(long slot, MindState state) implements Command {
  }

  /**
   * The agent's encounters before turn {@code nextTurn} are settled, the last leaving its mind as
   * {@code state}: take that mind, unless turn {@code nextTurn} is already behind.
   */
  public record Restore(int nextTurn, MindState state) implements Command {
  }

  /** The run is over: stop (a run on a cluster frees its agents on every node so). */
  public enum Retire implements Command {
    INSTANCE
  }

  /** The sharded entity type of a run's agents. */
  public static EntityTypeKey<Command> typeKey(String runId) {
    return EntityTypeKey.create(Command.class, "encounter-agent-" + runId);
  }

  public static Behavior<Command> create(EncounterGame<? extends Mind> game, int agentId) {
    return Behaviors.setup(context -> new EncounterAgent(context, game.newMind(agentId)));
  }

  private final Mind mind;
  private int nextTurn;
  /** The slot the mind is lent to, or -1 while the agent holds it. */
  private long lentTo = -1;
  /** Requests whose turn has not come, in arrival order; null until first needed. */
  private List<Lend> setAside;

  private EncounterAgent(ActorContext<Command> context, Mind mind) {
    super(context);
    this.mind = mind;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Lend.class, this::onLend)
        .onMessage(Return.class, this::onReturn)
        .onMessage(Restore.class, this::onRestore)
        .onMessageEquals(Retire.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onLend(Lend lend) {
    if (lentTo >= 0 && lend.slot() == lentTo) {
      lendNow(lend); // the encounter it is lent to is redone: the mind it holds is still the one lent
    } else if (lend.turn() < nextTurn) {
      return this; // settled already: asked by an encounter that ended with an earlier coordinator
    } else if (lentTo >= 0 || lend.turn() != nextTurn) {
      if (setAside == null) {
        setAside = new ArrayList<>(2);
      }
      setAside.add(lend);
    } else {
      lendNow(lend);
    }
    return this;
  }

  private void lendNow(Lend lend) {
    lentTo = lend.slot();
    lend.replyTo().tell(new Encounter.Lent(lend.position(), mind.save()));
  }

  private Behavior<Command> onReturn(Return back) {
    if (lentTo < 0 || back.slot() != lentTo) {
      return this;
    }
    mind.restore(back.state());
    lentTo = -1;
    nextTurn++;
    takeUpNextTurn();
    return this;
  }

  private Behavior<Command> onRestore(Restore restore) {
    if (restore.nextTurn() < nextTurn) {
      return this;
    }
    if (restore.nextTurn() > nextTurn) {
      // Encounters it was lent to were settled, their Returns lost with the coordinator or the node.
      mind.restore(restore.state());
      nextTurn = restore.nextTurn();
      lentTo = -1;
    }
    // At its turn already: its mind is the restored one, and a lent mind stays lent to that slot.
    takeUpNextTurn();
    return this;
  }

  /**
   * Drops the requests set aside for turns now behind, and, holding its mind, lends it to the
   * requests for the turn that has come (more than one when that encounter was redone).
   */
  private void takeUpNextTurn() {
    if (setAside == null) {
      return;
    }
    setAside.removeIf(lend -> lend.turn() < nextTurn);
    for (int i = 0; i < setAside.size(); ) {
      Lend lend = setAside.get(i);
      if (lend.turn() == nextTurn && (lentTo < 0 || lend.slot() == lentTo)) {
        setAside.remove(i);
        lendNow(lend);
      } else {
        i++;
      }
    }
    if (setAside.isEmpty()) {
      setAside = null;
    }
  }
}
