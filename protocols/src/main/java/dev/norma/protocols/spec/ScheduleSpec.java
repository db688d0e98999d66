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
  public static final String SEQUENTIAL = "sequential";
  public static final String ROUNDS = "rounds";
  public static final String CONTINUOUS = "continuous";
  public static final List<String> KINDS = List.of(SEQUENTIAL, ROUNDS, CONTINUOUS);

  public ScheduleSpec {
    kind = kind == null ? SEQUENTIAL : kind;
    inFlight = inFlight == null ? 2000 : inFlight;
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
