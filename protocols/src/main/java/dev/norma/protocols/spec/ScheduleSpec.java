package dev.norma.protocols.spec;

import java.util.List;

/**
 * Who meets whom, and when.
 *
 * @param kind     {@code sequential}: one random pair at a time, as in the papers;
 *                 {@code rounds}: a random matching of the population each round;
 *                 {@code continuous}: agents paired as they become free (timing-dependent)
 * @param inFlight how many interactions may run at once; deterministic schedules give the same
 *                 result for every value
 */
public record ScheduleSpec(String kind, Integer inFlight) {
  /**
   * Interactions in flight unless the spec says: enough for agents on several nodes, whose
   * interactions wait on each other's crossings, to keep both cores of each busy; one node loses
   * nothing to it, and language-model studies are narrowed to what their endpoints take anyway.
   */
  public static final int DEFAULT_IN_FLIGHT = 8000;
  public static final String SEQUENTIAL = "sequential";
  public static final String ROUNDS = "rounds";
  public static final String CONTINUOUS = "continuous";
  public static final List<String> KINDS = List.of(SEQUENTIAL, ROUNDS, CONTINUOUS);

  public ScheduleSpec {
    kind = kind == null ? SEQUENTIAL : kind;
    inFlight = inFlight == null ? DEFAULT_IN_FLIGHT : inFlight;
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    if (!KINDS.contains(kind)) {
      errors.add("kind", "expected one of " + KINDS + ", got '" + kind + "'");
    }
    if (inFlight < 1 || inFlight > 1_000_000) {
      errors.add("inFlight", "expected 1..1000000 interactions in flight, got " + inFlight);
    }
  }
}
