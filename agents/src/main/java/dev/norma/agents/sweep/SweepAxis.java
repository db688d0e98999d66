package dev.norma.agents.sweep;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code --vary path=VALUES} of a sweep: a spec path and the values it takes, in order.
 * VALUES is a range {@code start:end:step}, which includes its end ({@code 0:0.30:0.02} holds
 * 0.3 exactly: values are computed in decimal, not binary, floating point), or a list
 * {@code [a,b,c]}, or one value.
 */
public record SweepAxis(String path, List<SweepValue> values) {
  /** More values than this on one axis is a typo (a step of 0.0001 for 0.001), not a study. */
  public static final int MAX_VALUES = 10_000;

  public SweepAxis {
    values = List.copyOf(values);
  }

  /**
   * Reads one {@code --vary} argument.
   *
   * @throws IllegalArgumentException naming the option, when it cannot be read
   */
  public static SweepAxis parse(String option) {
    int eq = option.indexOf('=');
    String where = "--vary " + option;
    if (eq <= 0) {
      throw new IllegalArgumentException(where + ": expected path=VALUES, e.g. committed.fraction=0:0.30:0.02"
          + " or population.size=[500,1000]");
    }
    String path = option.substring(0, eq).strip();
    for (String segment : path.split("\\.", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(where + ": empty path segment, expected e.g. population.size=[500,1000]");
      }
    }
    if ("seed".equals(path)) {
      throw new IllegalArgumentException(where + ": each run's seed is derived from --seed, the run's values and"
          + " its replicate; vary the replicates instead (--replicates)");
    }
    String text = option.substring(eq + 1).strip();
    List<SweepValue> values;
    if (text.startsWith("[")) {
      if (!text.endsWith("]")) {
        throw new IllegalArgumentException(where + ": a list ends with ']', e.g. [500,1000,2000]");
      }
      values = new ArrayList<>();
      for (String element : text.substring(1, text.length() - 1).split(",", -1)) {
        if (element.isBlank()) {
          throw new IllegalArgumentException(where + ": empty value in the list");
        }
        values.add(SweepValue.of(element));
      }
    } else if (text.contains(":") && !text.contains("://")) {
      values = range(where, text);
    } else if (text.isEmpty()) {
      throw new IllegalArgumentException(where + ": no values, expected start:end:step or [a,b,c]");
    } else {
      values = List.of(SweepValue.of(text));
    }
    Set<String> seen = new HashSet<>();
    for (SweepValue value : values) {
      if (!seen.add(value.text())) {
        throw new IllegalArgumentException(where + ": the value " + value + " is given twice");
      }
    }
    return new SweepAxis(path, values);
  }

  private static List<SweepValue> range(String where, String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(where + ": a range is start:end:step, e.g. 0:0.30:0.02");
    }
    BigDecimal[] numbers = new BigDecimal[3];
    String[] names = {"start", "end", "step"};
    for (int i = 0; i < 3; i++) {
      numbers[i] = SweepValue.number(parts[i].strip());
      if (numbers[i] == null) {
        throw new IllegalArgumentException(where + ": the range's " + names[i] + " '" + parts[i].strip()
            + "' is not a number");
      }
    }
    BigDecimal start = numbers[0];
    BigDecimal end = numbers[1];
    BigDecimal step = numbers[2];
    if (step.signum() <= 0) {
      throw new IllegalArgumentException(where + ": the range's step must be above 0, got " + parts[2].strip());
    }
    if (start.compareTo(end) > 0) {
      throw new IllegalArgumentException(where + ": the range's start " + parts[0].strip()
          + " is above its end " + parts[1].strip());
    }
    BigDecimal count = end.subtract(start).divide(step, 0, RoundingMode.FLOOR).add(BigDecimal.ONE);
    if (count.compareTo(BigDecimal.valueOf(MAX_VALUES)) > 0) {
      throw new IllegalArgumentException(where + ": the range has " + count.toPlainString()
          + " values, more than " + MAX_VALUES + "; take a larger step");
    }
    List<SweepValue> values = new ArrayList<>();
    for (int i = 0; i < count.intValue(); i++) {
      values.add(SweepValue.of(start.add(step.multiply(BigDecimal.valueOf(i)))));
    }
    return values;
  }
}
