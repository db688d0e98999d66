package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import dev.norma.agents.encounter.MindArrays;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.wire.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * One encounter, or one population step, as a short-lived actor: it borrows its participants'
 * minds ({@link EncounterAgent.Lend}), plays the game's rule on them once all have come, reports
 * what happened, with each changed mind, to the coordinator (which journals it and then gives
 * each participant its mind back) and stops. The minds travel as state, so an encounter may run on any node.
 *
 * <p>With language-model agents the encounter is the game's {@link Exchange}: turn by turn it asks
 * the acting participant's model through the run's {@link LlmDeliberation} and gives the choice
 * back, one call at a time, in the order the game gives; then it settles as above. Other
 * encounters go on meanwhile (their calls are batched by the gateway); the participants wait,
 * each agent taking its encounters in index order.
 */
public final class Encounter extends AbstractBehavior<Encounter.Command> {

  /** What an encounter is told. */
  public sealed interface Command extends CborSerializable
      permits Lent, Chose, Summarised, Said, Stopping, NobodyToWaitFor {
  }

  /** The acting participant's summary for the summary turn asked (an empty text when none came). */
  record Summarised(String answer) implements Command {
  }

  /** The acting participant's text for the free-text turn asked (an empty text when none came). */
  record Said(String text) implements Command {
  }

  /** The acting participant's choice for the turn asked (an option, or {@link Turn#NO_CHOICE}). */
  record Chose(int option) implements Command {
  }

  /** The gateway closed before the turn was answered: the run is ending, and nothing is settled. */
  record Stopping() implements Command {
  }

  /** The encounter has no participant (a room everyone has left): nothing to wait for. */
  private record NobodyToWaitFor() implements Command {
  }

  /** Participant {@code position}'s mind, lent. */
  public record Lent(int position, MindState state) implements Command {
  }

  /**
   * What the encounter is.
   *
   * @param slot    its place in the coordinator's admission order (encounters and steps)
   * @param index   the encounter's index, or -1 for the population step after round {@code round}
   * @param members the participants, in the game's order (every agent by id for a step)
   * @param turns   each participant's turn number for it
   * @param generation how many times the run restarted from its ledger before admitting it
   */
  record Plan(long slot, long index, long round, int[] members, int[] turns, int generation) {
    boolean step() {
      return index < 0;
    }
  }

  /**
   * What the coordinator is told when the encounter is over: the event it journals, with every
   * participant's mind as the encounter left it, the observations before and after, and what was
   * said (no lines for a population step or a game of choices). The participants get their minds
   * back from the coordinator once the event is written.
   */
  record Finished(dev.norma.protocols.journal.EncounterEvent.Settled settled, int generation)
      implements EncounterCoordinator.Command {
  }

  /**
   * @param deliberation asks the models of a study played through a language model; null when the
   *                     game's rule plays
   */
  static <M extends Mind> Behavior<Command> create(Plan plan, EncounterGame<M> game, LlmDeliberation deliberation,
                                                   ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents,
                                                   ActorRef<EncounterCoordinator.Command> coordinator) {
    return Behaviors.setup(context -> new Encounter(context, plan, game, deliberation, agents, coordinator));
  }

  private final Plan plan;
  private final EncounterGame<Mind> game;
  private final ActorRef<EncounterCoordinator.Command> coordinator;
  private final LlmDeliberation deliberation;
  private final MindState[] lent;
  private int waiting;
  private Mind[] minds;
  private double[][] before;
  private Exchange exchange;

  @SuppressWarnings("unchecked")
  private <M extends Mind> Encounter(ActorContext<Command> context, Plan plan, EncounterGame<M> game,
                                     LlmDeliberation deliberation,
                                     ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents,
                                     ActorRef<EncounterCoordinator.Command> coordinator) {
    super(context);
    this.plan = plan;
    this.game = (EncounterGame<Mind>) game;
    this.deliberation = deliberation;
    this.coordinator = coordinator;
    int n = plan.members().length;
    this.lent = new MindState[n];
    this.waiting = n;
    for (int i = 0; i < n; i++) {
      agents.tell(new ShardingEnvelope<>(Integer.toString(plan.members()[i]),
          new EncounterAgent.Lend(plan.slot(), plan.turns()[i], i, context.getSelf())));
    }
    if (n == 0) {
      // Nobody to wait for (a room everyone has left): it plays at once.
      context.getSelf().tell(new NobodyToWaitFor());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Lent.class, this::onLent)
        .onMessage(NobodyToWaitFor.class, nobody -> play())
        .onMessage(Chose.class, chose -> {
          exchange.choose(chose.option());
          return askNext();
        })
        .onMessage(Summarised.class, summarised -> {
          exchange.summarised(summarised.answer());
          return askNext();
        })
        .onMessage(Said.class, said -> {
          exchange.said(said.text());
          return askNext();
        })
        .onMessage(Stopping.class, stopping -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onLent(Lent lent) {
    if (this.lent[lent.position()] == null) {
      this.lent[lent.position()] = lent.state();
      waiting--;
    }
    if (waiting > 0) {
      return this;
    }
    return play();
  }

  /** Every participant's mind is here: plays the encounter by rule, or opens its conversation. */
  private Behavior<Command> play() {
    int[] members = plan.members();
    // Agent 0's fresh mind gives the array's class when the encounter has nobody in it.
    Mind first = game.newMind(members.length == 0 ? 0 : members[0]);
    minds = MindArrays.newArray(first.getClass(), members.length);
    before = new double[members.length][];
    for (int i = 0; i < members.length; i++) {
      minds[i] = i == 0 ? first : game.newMind(members[i]);
      minds[i].restore(this.lent[i]);
      before[i] = game.observe(minds[i]);
    }
    if (plan.step()) {
      game.populationStep(minds, plan.round());
      return settle(null, java.util.List.of());
    }
    if (deliberation == null) {
      EncounterGame.Played played = game.playWithTranscript(minds, plan.index());
      return settle(played.outcome(), played.transcript());
    }
    exchange = game.conversations().open(minds, plan.index());
    return askNext();
  }

  /** Asks the next turn's model, or settles the encounter when no turn is left. */
  private Behavior<Command> askNext() {
    Turn turn = exchange.next();
    if (turn == null) {
      return settle(exchange.outcome(), exchange.transcript());
    }
    int agent = plan.members()[turn.participant()];
    LlmRequest.Role role = LlmRequest.Role.turn(turn.role(), turn.number());
    if (turn.summary()) {
      getContext().pipeToSelf(deliberation.summarise(turn.prompt(), agent, plan.index(), role),
          (answer, error) -> error != null ? new Stopping() : new Summarised(answer));
    } else if (turn.freeText()) {
      getContext().pipeToSelf(deliberation.say(turn.prompt(), turn::usable, agent, plan.index(), role),
          (text, error) -> error != null ? new Stopping() : new Said(text));
    } else {
      getContext().pipeToSelf(deliberation.decide(turn.prompt(), turn.parser(), agent, plan.index(), role,
              turn.judge()),
          (option, error) -> error != null ? new Stopping() : new Chose(option));
    }
    return this;
  }

  /** Tells the coordinator how the encounter ended, and stops: the coordinator gives the minds back. */
  private Behavior<Command> settle(double[] outcome, java.util.List<dev.norma.agents.encounter.Utterance> transcript) {
    int[] members = plan.members();
    double[][] after = new double[members.length][];
    java.util.List<MindState> states = new java.util.ArrayList<>(members.length);
    for (int i = 0; i < members.length; i++) {
      after[i] = game.observe(minds[i]);
      states.add(minds[i].save());
    }
    coordinator.tell(new Finished(new dev.norma.protocols.journal.EncounterEvent.Settled(plan.slot(), plan.index(),
        plan.round(), members, plan.turns(), states, outcome == null ? new double[0] : outcome, before, after,
        EncounterLedger.lines(transcript)), plan.generation()));
    return Behaviors.stopped();
  }
}
