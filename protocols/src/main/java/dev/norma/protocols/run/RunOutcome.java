package dev.norma.protocols.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a run ended, or how its last session stopped: the {@code status} of {@code summary.json}.
 * Written and read by its name in the files ({@link #wireName()}), which never changes.
 */
public enum RunOutcome {
  /** A stop rule was met (convergence, a flip, the round cap). */
  COMPLETED("completed"),
  /** Stopped from outside (Ctrl-C, SIGTERM); a durable run can be resumed. */
  INTERRUPTED("interrupted"),
  /** A call or cost budget was reached. */
  BUDGET_EXHAUSTED("budget-exhausted"),
  /** Ended for good on request ({@code norma cancel}). */
  CANCELLED("cancelled"),
  /** Could not go on; the stop reason says why. */
  FAILED("failed");

  private final String wireName;

  RunOutcome(String wireName) {
    this.wireName = wireName;
  }

  /** The name in {@code summary.json}, the journal and the node's API. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The outcome written as {@code name}. */
  @JsonCreator
  public static RunOutcome of(String name) {
    for (RunOutcome outcome : values()) {
      if (outcome.wireName.equals(name)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown run status: " + name);
  }

  @Override
  public String toString() {
    return wireName;
  }
}
