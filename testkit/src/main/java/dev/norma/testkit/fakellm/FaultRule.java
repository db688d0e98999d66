package dev.norma.testkit.fakellm;

import java.time.Duration;

/**
 * When one fault fires: with a probability per request, or on every {@code every}-th request, and
 * only inside the window {@code [from, until)} measured from the server's start (an outage from
 * 30 s to 60 s is {@code 1.0@30-60}).
 *
 * @param probability chance per request, 0..1 (draws are seeded: see {@link FaultPlan})
 * @param every       fire on requests every, 2·every, ... (counted from 1); 0 for none
 * @param from        start of the active window
 * @param until       end of the active window, exclusive; null for no end
 */
public record FaultRule(double probability, long every, Duration from, Duration until) {
  public static final FaultRule NEVER = new FaultRule(0, 0, Duration.ZERO, null);

  public FaultRule {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("fault probability must be in 0..1, got " + probability);
    }
    if (every < 0) {
      throw new IllegalArgumentException("fault period must not be negative, got " + every);
    }
    from = from == null ? Duration.ZERO : from;
    if (until != null && until.compareTo(from) <= 0) {
      throw new IllegalArgumentException("fault window must end after it starts: " + from + " .. " + until);
    }
  }

  public static FaultRule probability(double probability) {
    return new FaultRule(probability, 0, Duration.ZERO, null);
  }

  public static FaultRule every(long period) {
    return new FaultRule(0, period, Duration.ZERO, null);
  }

  /** This rule, active only from {@code from} until {@code until} after the start. */
  public FaultRule during(Duration from, Duration until) {
    return new FaultRule(probability, every, from, until);
  }

  /**
   * Parses {@code P} (a probability), {@code every:N}, either followed by an optional window
   * {@code @FROM-UNTIL} or {@code @FROM-} in seconds (decimals allowed).
   */
  public static FaultRule parse(String text) {
    String rule = text.strip();
    Duration from = Duration.ZERO;
    Duration until = null;
    int at = rule.indexOf('@');
    if (at >= 0) {
      String window = rule.substring(at + 1);
      rule = rule.substring(0, at);
      int dash = window.indexOf('-');
      if (dash < 0) {
        throw new IllegalArgumentException("fault window must be FROM-UNTIL in seconds, got '" + window + "'");
      }
      from = seconds(window.substring(0, dash));
      String end = window.substring(dash + 1);
      until = end.isBlank() ? null : seconds(end);
    }
    try {
      if (rule.startsWith("every:")) {
        return new FaultRule(0, Long.parseLong(rule.substring("every:".length())), from, until);
      }
      return new FaultRule(Double.parseDouble(rule), 0, from, until);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fault rule must be a probability or every:N, got '" + text + "'", e);
    }
  }

  private static Duration seconds(String text) {
    return Duration.ofNanos(Math.round(Double.parseDouble(text.strip()) * 1e9));
  }

  /** The rule in the command-line syntax {@link #parse} reads. */
  @Override
  public String toString() {
    String rule = every > 0 ? "every:" + every : Double.toString(probability);
    if (from.isZero() && until == null) {
      return rule;
    }
    return rule + "@" + from.toNanos() / 1e9 + "-" + (until == null ? "" : Double.toString(until.toNanos() / 1e9));
  }

  boolean activeAt(long nanosSinceStart) {
    return nanosSinceStart >= from.toNanos() && (until == null || nanosSinceStart < until.toNanos());
  }

  boolean isNever() {
    return probability == 0 && every == 0;
  }
}
