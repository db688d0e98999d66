package dev.norma.protocols.spec;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Typed reading of a module game's {@code game.settings}, with defaults and ranges, the same way
 * for checking a spec (each bad value is an error at {@code game.settings.KEY}) and for making the
 * game from a checked one (a bad value throws). YAML gives numbers and booleans; a {@code --set}
 * override may give them as text, which is read the same.
 */
public final class GameSettings {
  private final Map<String, Object> values;
  private final SpecErrors errors;
  private final Set<String> read = new LinkedHashSet<>();
  private final Map<String, Object> inForce = new LinkedHashMap<>();

  private GameSettings(Map<String, Object> values, SpecErrors errors) {
    this.values = values;
    this.errors = errors;
  }

  /** Reads {@code game.settings}, adding errors for bad values to {@code gameErrors} at {@code settings}. */
  public static GameSettings checking(GameSpec game, SpecErrors gameErrors) {
    return new GameSettings(game.settings(), gameErrors.at("settings"));
  }

  /** Reads the settings of a checked spec: a bad value throws {@link IllegalArgumentException}. */
  public static GameSettings of(GameSpec game) {
    return new GameSettings(game.settings(), null);
  }

  /** A whole number in {@code [min, max]}, or {@code otherwise} when absent. */
  public int whole(String key, int otherwise, int min, int max) {
    Double number = number(key, n -> n == Math.rint(n) && n >= min && n <= max,
        "a whole number in " + min + ".." + max);
    int value = number == null ? otherwise : number.intValue();
    inForce.put(key, value);
    return value;
  }

  /** A number in {@code [min, max]}, or {@code otherwise} when absent. */
  public double real(String key, double otherwise, double min, double max) {
    Double number = number(key, n -> n >= min && n <= max, "a number in [" + min + ", " + max + "]");
    double value = number == null ? otherwise : number;
    inForce.put(key, value);
    return value;
  }

  /**
   * The number at {@code key}, or null when it is absent or bad (reported as not {@code expected}).
   *
   * @param fits whether a number (never NaN) is in range
   */
  private Double number(String key, java.util.function.DoublePredicate fits, String expected) {
    Object value = values.get(key);
    read.add(key);
    if (value == null) {
      return null;
    }
    Double number = number(value);
    if (number == null || number.isNaN() || !fits.test(number)) {
      fail(key, "expected " + expected + ", got " + describe(value));
      return null;
    }
    return number;
  }

  /**
   * A text that {@code fits}, or {@code otherwise} when absent. A number or a boolean given where a
   * text is expected is read as YAML gives it ({@code 7}, {@code true}).
   */
  public String text(String key, String otherwise, java.util.function.Predicate<String> fits, String expected) {
    Object value = values.get(key);
    read.add(key);
    String text = otherwise;
    if (value != null) {
      String given = String.valueOf(value);
      if (!fits.test(given)) {
        fail(key, "expected " + expected + ", got " + describe(value));
      } else {
        text = given;
      }
    }
    inForce.put(key, text);
    return text;
  }

  /** true or false, or {@code otherwise} when absent. */
  public boolean flag(String key, boolean otherwise) {
    Object value = values.get(key);
    read.add(key);
    if (value == null) {
      inForce.put(key, otherwise);
      return otherwise;
    }
    if (value instanceof Boolean || "true".equals(value) || "false".equals(value)) {
      boolean flag = value instanceof Boolean b ? b : Boolean.parseBoolean((String) value);
      inForce.put(key, flag);
      return flag;
    }
    fail(key, "expected true or false, got " + describe(value));
    return otherwise;
  }

  /**
   * Every setting read so far with the value in force (the default where none was given), typed:
   * what a run directory's {@code spec.yaml} states, so a later change of a default does not change
   * what the run was.
   */
  public Map<String, Object> inForce() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inForce));
  }

  /** Reports every setting not read so far: a misspelt key is an error, not a silent default. */
  public void noOthers() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        fail(key, "not a setting of this game; it reads " + read);
      }
    }
  }

  private static Double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }

  private void fail(String key, String message) {
    if (errors == null) {
      throw new IllegalArgumentException("game.settings." + key + ": " + message);
    }
    errors.add(key, message);
  }
}
