package dev.norma.agents.measure;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.study.Interventions;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.InterventionSpec;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.StopSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the stream of interactions, fed in index order, into population measures: one
 * {@link RoundRow} per population round, convergence, the flip of a committed minority, and when
 * the run should stop. O(1) work per interaction; O(N + words) memory.
 *
 * <p>Definitions. Naming game: converged when the latest {@code convergenceWindowRounds}·N
 * interactions all succeeded. Speaker–hearer games: converged when every agent (still present) holds
 * the same single name. While agents are committed, in either game, only the committed name counts. Both are looked for
 * from the committed minority's introduction (or the first intervention that commits agents) on. A flip: the non-committed agents' production of
 * the committed name averages at least {@code flipThreshold} over the latest
 * {@code flipWindowRounds} rounds, within {@code flipWithinRounds} rounds of the introduction.
 *
 * <p>Agents that left ({@code removeAgents}) play no more, so what is measured from the
 * interactions (shares, entropy, success, information flow) is the present agents' alone; from
 * their departure they no longer count among those that must hold the same name, nor do their
 * words count in {@code totalWords}. A population round stays N interactions.
 */
public final class PopulationObserver {
  private final StudyPlan plan;
  private final Game<Mind> game;
  private final StopSpec stop;
  private final int n;
  private final boolean simultaneous;
  private final long convergenceWindow;
  private final long introductionIndex;
  private final int committedWord;

  // Per round.
  private final int[] roundCounts;
  private final int[] touched;
  private int touchedSize;
  private long roundProduced;
  private long roundSuccesses;
  private long roundInteractions;

  // Across the run.
  private long recorded;
  private long successStreak;
  private long invalid;
  private final int[] inventory;
  private final int[] sole;
  private final int[] soleCount;
  private long totalWords;
  private final boolean trackInventories;
  /** The agents still present: a consensus is every one of them holding one name. */
  private int participants;
  /** The {@code removeAgents} interventions, and how many of them have applied. */
  private final List<Interventions.Applied> departures;
  private int departed;

  private boolean converged;
  private long convergenceIndex = -1;
  private int winner = -1;
  private boolean flipped;
  private long flipRound = -1;
  private final Deque<Double> recentCommittedShares = new ArrayDeque<>();
  private RoundRow lastRow;
  private Map<String, Double> lastShares = Map.of();
  private String stopReason;

  /**
   * Information flow is measured per round where the names are few (the naming game's pool, binary
   * agreement): its tables are then small and dense. Games that invent names have as many as they
   * invent, too many for one round's samples to say anything.
   */
  static final int FLOW_MAX_NAMES = 64;
  /** Shuffles of the partners per round: their mean is the baseline the estimate stands against. */
  static final int FLOW_SURROGATES = 10;
  private final InteractionTuples tuples;
  private InformationFlow flow;

  public PopulationObserver(StudyPlan plan) {
    this.plan = plan;
    this.game = plan.game();
    this.stop = plan.spec().stop();
    this.n = plan.populationSize();
    this.simultaneous = game.simultaneous();
    this.convergenceWindow = (long) stop.convergenceWindowRounds() * n;
    this.introductionIndex = plan.introductionIndex();
    this.committedWord = plan.committedWord();
    int bound = game.wordBound(n);
    this.tuples = bound <= FLOW_MAX_NAMES ? new InteractionTuples(n, InteractionTuples.Source.LAST_OBSERVED) : null;
    this.flow = tuples == null ? null : flowWindow(0);
    this.roundCounts = new int[bound];
    this.touched = new int[bound];
    this.trackInventories = !simultaneous;
    this.participants = n;
    this.departures = plan.interventions().applied().stream()
        .filter(applied -> InterventionSpec.REMOVE_AGENTS.equals(applied.action())).toList();
    if (trackInventories) {
      inventory = new int[n];
      sole = new int[n];
      soleCount = new int[bound];
      for (int id = 0; id < n; id++) {
        Mind mind = plan.newMind(id);
        inventory[id] = mind.inventorySize();
        sole[id] = mind.soleWord();
        totalWords += inventory[id];
        if (sole[id] >= 0) {
          soleCount[sole[id]]++;
        }
      }
    } else {
      inventory = null;
      sole = null;
      soleCount = null;
    }
  }

  /**
   * Feeds the next interaction. Records must arrive in index order without gaps.
   *
   * @return the finished round's row when this interaction closes a population round, else null
   */
  public RoundRow accept(InteractionRecord r) {
    if (r.index() != recorded) {
      throw new IllegalStateException("expected interaction " + recorded + ", got " + r.index());
    }
    while (departed < departures.size() && departures.get(departed).index() <= r.index()) {
      leave(departures.get(departed++).agents());
    }
    recorded++;
    roundInteractions++;
    if (r.valid()) {
      if (r.success()) {
        roundSuccesses++;
      }
      count(r.initiatorWord(), r.initiatorCommitted());
      if (simultaneous) {
        count(r.responderWord(), r.responderCommitted());
      }
    } else {
      invalid++;
    }
    successStreak = r.valid() && r.success() ? successStreak + 1 : 0;
    if (trackInventories && r.valid()) {
      track(r.initiator(), r.initiatorInventory(), r.initiatorSole());
      track(r.responder(), r.responderInventory(), r.responderSole());
    }
    if (!converged && r.index() >= introductionIndex) {
      checkConvergence(r);
    }
    if (tuples != null) {
      tuples.fromInteraction(r, flow);
    }
    return (r.index() + 1) % n == 0 ? closeRound(r.index() / n) : null;
  }

  /** A round's window, its shuffles seeded by the run and the round, so a run measures alike each time. */
  private InformationFlow flowWindow(long round) {
    return new InformationFlow(FLOW_SURROGATES, plan.seed() * 0x9E3779B97F4A7C15L + round);
  }

  private void count(int word, boolean committedAgent) {
    if (committedAgent || word < 0) {
      return;
    }
    if (roundCounts[word]++ == 0) {
      touched[touchedSize++] = word;
    }
    roundProduced++;
  }

  private void track(int agent, int size, int soleWord) {
    totalWords += size - inventory[agent];
    inventory[agent] = size;
    if (sole[agent] != soleWord) {
      if (sole[agent] >= 0) {
        soleCount[sole[agent]]--;
      }
      if (soleWord >= 0) {
        soleCount[soleWord]++;
      }
      sole[agent] = soleWord;
    }
  }

  /** Agents left: they no longer count among those that must agree, nor their words among those held. */
  private void leave(int[] agents) {
    participants -= agents.length;
    if (!trackInventories) {
      return;
    }
    for (int agent : agents) {
      track(agent, 0, -1);
    }
  }

  private void checkConvergence(InteractionRecord r) {
    if (simultaneous) {
      long sinceIntroduction = r.index() - introductionIndex + 1;
      // With a committed minority only the committed name can be a consensus: a window in which
      // the few committed agents happened not to play must not end the study on the majority.
      if (successStreak >= convergenceWindow && sinceIntroduction >= convergenceWindow
          && (committedWord < 0 || r.initiatorWord() == committedWord || plan.committedAgentsAt(r.index()) == 0)) {
        converged = true;
        convergenceIndex = r.index();
        winner = r.initiatorWord();
      }
    } else {
      int candidate = r.initiatorSole();
      if (candidate >= 0 && soleCount[candidate] == participants
          && (committedWord < 0 || candidate == committedWord || plan.committedAgentsAt(r.index()) == 0)) {
        converged = true;
        convergenceIndex = r.index();
        winner = candidate;
      }
    }
  }

  private RoundRow closeRound(long round) {
    int[] compact = new int[touchedSize];
    Map<String, Double> shares = new LinkedHashMap<>();
    int[] order = Arrays.copyOf(touched, touchedSize);
    Arrays.sort(order);
    for (int i = 0; i < order.length; i++) {
      compact[i] = roundCounts[order[i]];
      shares.put(game.nameOf(order[i]), (double) compact[i] / roundProduced);
    }
    // Most produced first; the sort is stable over ascending ids, so ties go to the lowest id.
    Integer[] byCount = new Integer[order.length];
    for (int i = 0; i < order.length; i++) {
      byCount[i] = order[i];
    }
    Arrays.sort(byCount, (a, b) -> Integer.compare(roundCounts[b], roundCounts[a]));
    List<RoundRow.NameShare> ranked = new ArrayList<>(byCount.length);
    for (int word : byCount) {
      ranked.add(new RoundRow.NameShare(game.nameOf(word), (double) roundCounts[word] / roundProduced));
    }
    double committedShare = committedWord >= 0 && roundProduced > 0
        ? (double) roundCounts[committedWord] / roundProduced : 0;
    RoundRow row = new RoundRow(round, recorded,
        roundInteractions == 0 ? 0 : (double) roundSuccesses / roundInteractions,
        ranked.isEmpty() ? "" : ranked.get(0).name(), ranked.isEmpty() ? 0 : ranked.get(0).share(),
        Entropy.millerMadowBits(compact, compact.length), touchedSize, trackInventories ? totalWords : -1,
        ranked, committedWord >= 0 ? committedShare : Double.NaN, flow == null ? null : flow.result());
    if (flow != null) {
      flow = flowWindow(round + 1);
    }
    for (int i = 0; i < touchedSize; i++) {
      roundCounts[touched[i]] = 0;
    }
    touchedSize = 0;
    roundProduced = 0;
    roundSuccesses = 0;
    roundInteractions = 0;
    lastRow = row;
    lastShares = shares;
    observeFlip(round, committedShare);
    decideStop(round);
    return row;
  }

  private void observeFlip(long round, double committedShare) {
    if (committedWord < 0 || round < plan.introductionRound() || flipped) {
      return;
    }
    recentCommittedShares.addLast(committedShare);
    if (recentCommittedShares.size() > stop.flipWindowRounds()) {
      recentCommittedShares.removeFirst();
    }
    long roundsSince = round - plan.introductionRound() + 1;
    if (recentCommittedShares.size() == stop.flipWindowRounds() && roundsSince <= stop.flipWithinRounds()) {
      double mean = recentCommittedShares.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      if (mean >= stop.flipThreshold()) {
        flipped = true;
        flipRound = round;
      }
    }
  }

  private void decideStop(long round) {
    if (stopReason != null) {
      return;
    }
    long roundsSince = round - plan.introductionRound() + 1;
    if (stop.onConvergence() && converged) {
      stopReason = "converged";
    } else if (committedWord >= 0 && stop.onFlip() && flipped) {
      stopReason = "flipped";
    } else if (committedWord >= 0 && stop.onFlip() && roundsSince >= stop.flipWithinRounds()) {
      stopReason = "flip-window-ended";
    } else if (recorded >= plan.maxInteractions()) {
      stopReason = "max-rounds";
    }
  }

  /** Why the run should stop now (checked at round ends), or null to go on. */
  public String stopReason() {
    return stopReason;
  }

  public long recorded() {
    return recorded;
  }

  public long invalidInteractions() {
    return invalid;
  }

  public boolean converged() {
    return converged;
  }

  public long convergenceIndex() {
    return convergenceIndex;
  }

  /** The name the population converged on, or null. */
  public String winner() {
    return winner < 0 ? null : game.nameOf(winner);
  }

  /** The committed minority's name, or null without one. */
  public String committedName() {
    return committedWord < 0 ? null : game.nameOf(committedWord);
  }

  public boolean hasCommittedMinority() {
    return committedWord >= 0;
  }

  public boolean flipped() {
    return flipped;
  }

  public long flipRound() {
    return flipRound;
  }

  public RoundRow lastRow() {
    return lastRow;
  }

  /** Shares of each name in the latest finished round's non-committed production. */
  public Map<String, Double> finalShares() {
    return lastShares;
  }

  public long totalWords() {
    return totalWords;
  }
}
