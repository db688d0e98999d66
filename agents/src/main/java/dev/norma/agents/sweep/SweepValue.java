package dev.norma.agents.sweep;

import java.math.BigDecimal;

/**
 * One value a sweep gives a spec path, in its canonical text: a number is written without
 * trailing zeros or exponent ({@code 0.10} and {@code 1e-1} are both {@code 0.1}, {@code 500.0} is
 * {@code 500}), so that a value names the same runs however it was typed; anything else is text.
 *
 * @param text    the canonical text, as given to the spec ({@code --set path=text})
 * @param numeric whether it is a number
 */
public record SweepValue(String text, boolean numeric) {
  public SweepValue {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a sweep value cannot be empty");
    }
  }

  /** The value typed as {@code raw}: a number when it reads as one, else text (quotes removed). */
  public static SweepValue of(String raw) {
    String trimmed = raw.strip();
    BigDecimal number = number(trimmed);
    if (number != null) {
      return of(number);
    }
    if (trimmed.length() >= 2 && (trimmed.startsWith("'") && trimmed.endsWith("'")
        || trimmed.startsWith("\"") && trimmed.endsWith("\""))) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    return new SweepValue(trimmed, false);
  }

  /** The number {@code value} in canonical text. */
  public static SweepValue of(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() < 0) {
      stripped = stripped.setScale(0);
    }
    return new SweepValue(stripped.toPlainString(), true);
  }

  /** The number {@code text} reads as, or null (only plain decimal notation, as YAML reads it). */
  static BigDecimal number(String text) {
    if (text.isEmpty() || !text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return null;
    }
    return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
  }

  /** The value for JSON: a number for a number, else the text. */
  public Object json() {
    return numeric ? new BigDecimal(text) : text;
  }

  /** The value as part of a file name: characters outside {@code [A-Za-z0-9.+-]} become '-'. */
  public String fileSafe() {
    return text.replaceAll("[^A-Za-z0-9.+-]", "-");
  }

  @Override
  public String toString() {
    return text;
  }
}
