package dev.norma.agents.games.crsec;

import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.games.crsec.NormRecord.Type;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The {@code rounds.csv} columns of a CRSEC study, from what the engine reports (not thread-safe:
 * one caller). Per period:
 *
 * <ul>
 *   <li>{@code conflicts}: observed actions that broke the observer's active injunctive norm or,
 *       where it holds none on the theme, its stance; {@code normConflicts}: those that broke an
 *       active norm (what agents speak up about);
 *   <li>{@code conversations}: times someone spoke up; {@code adopted}: candidates activated (from
 *       conversations, observation and synthesis); {@code rejected}: candidates not activated (a
 *       check failed, or the utility fell short);
 *   <li>{@code improperShare}: the share of actions that were the improper one;
 *       {@code complianceRate}: of the actions of agents holding an active injunctive norm on the
 *       theme, the share that followed it (NaN when there were none);
 *   <li>{@code active.THEME}: at the period's end, the share of agents holding an active injunctive
 *       norm on the theme (its own or its group's abstract one);
 *   <li>{@code unproposedNorms}: norms held active by at least one agent that no advocate proposed
 *       (descriptive norms from observation, abstract norms from synthesis), and
 *       {@code unproposedShare}, the share of agents holding one;
 *   <li>how far norms travelled, each the largest over the catalogue's injunctive norms (those
 *       passed on by talk; descriptive ones are seen, not told), since the start:
 *       {@code travelAgents} (agents that held it active), {@code travelRooms} (rooms in which a
 *       period ended with someone holding it active) and {@code travelHops} (conversations
 *       between its origin and a holder);
 *   <li>{@code invalidTurns}: turns of the language-model policy whose answer was unusable after every
 *       re-ask (the rule's safe default stood in: no norm, the habitual action, silence); 0 by rule.
 * </ul>
 *
 * <p>Agents that left ({@code removeAgents}) count no more from the period they left: they play no
 * more, so the sums of the room outcomes are the present agents' alone, and what they held is taken
 * out of the shares ({@code active.THEME}, {@code unproposedShare}, over the agents present) and of
 * {@code unproposedNorms} when that period ends. The travel columns, counted since the start, keep
 * what a leaver held before it left.
 */
final class CrsecMeasures implements EncounterMeasures {
  private final NormCatalogue catalogue;
  private final int populationSize;
  private final CrsecInterventions presence;
  /** Agents that left and whose last observation is out of the counts. */
  private final BitSet uncounted;
  private final double[][] held;
  /** Agents holding each norm active now. */
  private final int[] holders;
  /** Agents holding an active injunctive norm on each theme now. */
  private final int[] covered;
  /** Agents holding an active norm no advocate proposed, now. */
  private int unproposedHolders;
  private final BitSet[] everHeld;
  private final BitSet[] roomsReached;
  private int maxHops;
  /** The period's sums of the room outcomes. */
  private final double[] sums = new double[CrsecRules.OUTCOME_COLUMNS.size()];

  CrsecMeasures(NormCatalogue catalogue, int populationSize, int rooms) {
    this(catalogue, populationSize, rooms, CrsecInterventions.NONE);
  }

  /** The measures of a study whose agents leave as {@code presence} says. */
  CrsecMeasures(NormCatalogue catalogue, int populationSize, int rooms, CrsecInterventions presence) {
    this.catalogue = catalogue;
    this.populationSize = populationSize;
    this.presence = presence;
    this.uncounted = new BitSet(populationSize);
    this.held = new double[populationSize][];
    this.holders = new int[catalogue.size()];
    this.covered = new int[catalogue.themes().size()];
    this.everHeld = new BitSet[catalogue.size()];
    this.roomsReached = new BitSet[catalogue.size()];
    for (int norm = 0; norm < catalogue.size(); norm++) {
      everHeld[norm] = new BitSet(populationSize);
      roomsReached[norm] = new BitSet(rooms);
    }
  }

  /** The columns for {@code themes}, in row order. */
  static List<String> columns(List<Theme> themes) {
    List<String> columns = new ArrayList<>(List.of("conflicts", "normConflicts", "conversations", "adopted",
        "rejected", "improperShare", "complianceRate"));
    for (Theme theme : themes) {
      columns.add("active." + theme.name());
    }
    columns.addAll(List.of("unproposedNorms", "unproposedShare", "travelAgents", "travelRooms", "travelHops",
        "invalidTurns"));
    return columns;
  }

  @Override
  public List<String> columns() {
    return columns(catalogue.themes());
  }

  @Override
  public void observed(int agent, double[] before, double[] after) {
    if (before != null) {
      count(before, -1);
    }
    count(after, 1);
    held[agent] = after;
    for (int norm = 0; norm < after.length; norm++) {
      if (after[norm] > 0 && catalogue.type(norm) == Type.INJUNCTIVE) {
        everHeld[norm].set(agent);
        maxHops = Math.max(maxHops, (int) after[norm] - 1);
      }
    }
  }

  private void count(double[] observation, int sign) {
    boolean unproposed = false;
    for (int norm = 0; norm < observation.length; norm++) {
      if (observation[norm] > 0) {
        holders[norm] += sign;
        unproposed |= !catalogue.proposedByAdvocates(norm);
      }
    }
    unproposedHolders += unproposed ? sign : 0;
    for (int theme = 0; theme < covered.length; theme++) {
      for (int norm = 0; norm < observation.length; norm++) {
        if (observation[norm] > 0 && catalogue.type(norm) == Type.INJUNCTIVE && catalogue.covers(norm, theme)) {
          covered[theme] += sign;
          break;
        }
      }
    }
  }

  /**
   * The room's outcome; the room counts as reached by every norm its members held active at the end
   * of its period (their observations after it, which the engine reported just before).
   */
  @Override
  public void encounter(long index, int[] members, double[] outcome) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += outcome[i];
    }
    int room = (int) outcome[CrsecRules.ROOM];
    for (int member : members) {
      double[] holding = held[member];
      for (int norm = 0; norm < holding.length; norm++) {
        if (holding[norm] > 0 && catalogue.type(norm) == Type.INJUNCTIVE) {
          roomsReached[norm].set(room);
        }
      }
    }
  }

  @Override
  public double[] endRound(long round) {
    int present = uncountLeavers(round);
    List<Double> row = new ArrayList<>();
    row.add(sums[CrsecRules.CONFLICTS]);
    row.add(sums[CrsecRules.NORM_CONFLICTS]);
    row.add(sums[CrsecRules.CONVERSATIONS]);
    row.add(sums[CrsecRules.ADOPTED]);
    row.add(sums[CrsecRules.REJECTED]);
    row.add(sums[CrsecRules.IMPROPER] / sums[CrsecRules.ACTIONS]);
    row.add(sums[CrsecRules.NORM_BOUND] == 0 ? Double.NaN : sums[CrsecRules.COMPLIED] / sums[CrsecRules.NORM_BOUND]);
    for (int count : covered) {
      row.add(count / (double) present);
    }
    int unproposed = 0;
    int agents = 0;
    int rooms = 0;
    for (int norm = 0; norm < holders.length; norm++) {
      unproposed += holders[norm] > 0 && !catalogue.proposedByAdvocates(norm) ? 1 : 0;
      agents = Math.max(agents, everHeld[norm].cardinality());
      rooms = Math.max(rooms, roomsReached[norm].cardinality());
    }
    row.add((double) unproposed);
    row.add(unproposedHolders / (double) present);
    row.add((double) agents);
    row.add((double) rooms);
    row.add((double) maxHops);
    row.add(sums[CrsecRules.INVALID]);
    java.util.Arrays.fill(sums, 0);
    return row.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Takes out of the counts what the agents that left by {@code period} held when they last played
   * (their minds change no more); returns the agents present in the period.
   */
  private int uncountLeavers(long period) {
    if (!presence.anyoneLeaves()) {
      return populationSize;
    }
    int present = 0;
    for (int agent = 0; agent < populationSize; agent++) {
      if (presence.present(agent, period)) {
        present++;
      } else if (!uncounted.get(agent)) {
        uncounted.set(agent);
        count(held[agent], -1);
      }
    }
    return present;
  }
}
