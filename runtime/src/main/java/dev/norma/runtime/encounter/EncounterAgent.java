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
 * run) gives each agent the mind its last settled encounter left it with {@link Restore}; an
 * agent that holds that turn already (it outlived the coordinator) keeps its mind and takes its
 * mind back from any encounter it was lent to that will never settle.
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
    if (lentTo >= 0 || lend.turn() != nextTurn) {
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
    if (back.slot() != lentTo) {
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
    mind.restore(restore.state());
    nextTurn = restore.nextTurn();
    lentTo = -1; // an encounter it was lent to, if any, ended with the coordinator that admitted it
    takeUpNextTurn();
    return this;
  }

  /** Lends the mind to the request set aside for the turn that has now come, if one has. */
  private void takeUpNextTurn() {
    if (setAside != null) {
      for (int i = 0; i < setAside.size(); i++) {
        if (setAside.get(i).turn() == nextTurn) {
          lendNow(setAside.remove(i));
          break;
        }
      }
      if (setAside.isEmpty()) {
        setAside = null;
      }
    }
  }
}
