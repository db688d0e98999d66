package dev.norma.protocols.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A committed minority: agents, chosen by the seed, who always produce one name.
 *
 * @param count        how many agents are committed (give count or fraction, not both)
 * @param fraction     the committed share of the population, rounded to the nearest agent
 * @param name         the name they hold; defaults to the pool's first name (A in binary
 *                     agreement, whose majority is B); must be given when the game invents names
 * @param introduce    {@code start}, {@code prepared} (every memory first filled with H
 *                     successful plays of {@code majorityName}, Ashery et al.'s tipping setup)
 *                     or {@code atRound k} (committed from population round k on, k at most
 *                     {@value #MAX_INTRODUCTION_ROUND})
 * @param majorityName the name a prepared population agrees on before the minority appears
 */
public record CommittedSpec(Integer count, Double fraction, String name, String introduce,
                            String majorityName) {
  private static final Pattern AT_ROUND = Pattern.compile("atRound\\s*[ :=]?\\s*(\\d+)");
  /** The latest population round a minority may enter, as for {@code stop.maxRounds}. */
  public static final long MAX_INTRODUCTION_ROUND = 1_000_000_000L;

  public CommittedSpec {
    introduce = introduce == null ? "start" : introduce.trim();
  }

  /** How the minority enters the study. */
  public enum Introduction { START, PREPARED, AT_ROUND }

  public Introduction introduction() {
    if ("start".equals(introduce)) {
      return Introduction.START;
    }
    if ("prepared".equals(introduce)) {
      return Introduction.PREPARED;
    }
    if (AT_ROUND.matcher(introduce).matches()) {
      return Introduction.AT_ROUND;
    }
    throw new IllegalStateException("unvalidated committed.introduce: " + introduce);
  }

  /** The population round from which the minority is committed (0 unless {@code atRound k}). */
  public long introductionRound() {
    Matcher m = AT_ROUND.matcher(introduce);
    return m.matches() ? Long.parseLong(m.group(1)) : 0L;
  }

  public int resolveCount(int populationSize) {
    if (count != null) {
      return count;
    }
    if (fraction != null) {
      return (int) Math.round(fraction * populationSize);
    }
    return 0;
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    int n = spec.population().size();
    boolean sizeValid = n >= 2; // else population.size is reported and n bounds nothing
    if (count != null && fraction != null) {
      errors.add("count", "give either count or fraction, not both (on the command line a --set of one alone"
          + " replaces the other; or clear one with --set committed.fraction= or committed.count=)");
    }
    if (count != null && (count < 0 || sizeValid && count >= n)) {
      errors.add("count", sizeValid
          ? "expected 0.." + (n - 1) + " (fewer than population.size " + n + "), got " + count
          : "expected 0 or more, got " + count);
    }
    if (fraction != null && (fraction.isNaN() || fraction < 0 || fraction >= 1)) {
      errors.add("fraction", "expected a fraction in [0, 1), got " + fraction);
    } else if (fraction != null && count == null && sizeValid && resolveCount(n) >= n) {
      errors.add("fraction", "expected fewer committed agents than population.size " + n + ", but "
          + fraction + " of " + n + " rounds to " + resolveCount(n));
    }
    Matcher atRound = AT_ROUND.matcher(introduce);
    boolean known = "start".equals(introduce) || "prepared".equals(introduce) || atRound.matches();
    if (!known) {
      errors.add("introduce", "expected 'start', 'prepared' or 'atRound K' (K a whole number), got '" + introduce + "'");
    } else if (atRound.matches() && (atRound.group(1).length() > 10
        || Long.parseLong(atRound.group(1)) > MAX_INTRODUCTION_ROUND)) {
      errors.add("introduce", "expected 'atRound K' with K at most " + MAX_INTRODUCTION_ROUND + ", got '" + introduce + "'");
      known = false;
    }
    if (!spec.game().hasResolvablePool()) {
      return; // game.kind or game.poolSize is reported; which names exist depends on them
    }
    var pool = spec.game().resolvedNames();
    boolean inventing = pool.isEmpty();
    boolean prepared = known && introduction() == Introduction.PREPARED;
    if (name != null && !inventing && !pool.contains(name)) {
      errors.add("name", "expected one of the game's names " + pool + ", got '" + name + "'");
    }
    if (majorityName != null && !inventing && !pool.contains(majorityName)) {
      errors.add("majorityName", "expected one of the game's names " + pool + ", got '" + majorityName + "'");
    }
    // In a game that invents names the given names join the words in play, so they obey the
    // same rule as a pool's names.
    if (inventing && name != null && !GameSpec.isValidName(name)) {
      errors.add("name", "expected a non-empty name without commas, quotes or newlines, got '" + name + "'");
    }
    if (inventing && majorityName != null && !GameSpec.isValidName(majorityName)) {
      errors.add("majorityName", "expected a non-empty name without commas, quotes or newlines, got '" + majorityName + "'");
    }
    if (inventing && resolveCount(n) > 0 && name == null) {
      errors.add("name", "expected the committed name: " + spec.game().kind()
          + " without a name pool invents its words, so there is no pool to take it from");
    }
    if (prepared && inventing && majorityName == null) {
      errors.add("majorityName", "expected the majority name for a prepared population: "
          + spec.game().kind() + " without a name pool invents its words, so there is no pool to take it from");
    }
    String committedName = resolvedName(pool);
    String majority = resolvedMajorityName(pool);
    if (prepared && committedName != null && committedName.equals(majority)) {
      errors.add("majorityName", "expected a majority name different from the committed name '" + committedName + "'");
    }
  }

  /** The committed name: as given, else the first name of the pool ("A" in binary agreement). */
  public String resolvedName(java.util.List<String> pool) {
    if (name != null) {
      return name;
    }
    return pool.isEmpty() ? null : pool.get(0);
  }

  /** The prepared majority: as given, else the pool's first name that is not the committed one. */
  public String resolvedMajorityName(java.util.List<String> pool) {
    if (majorityName != null) {
      return majorityName;
    }
    String committedName = resolvedName(pool);
    for (String candidate : pool) {
      if (candidate != null && !candidate.equals(committedName)) {
        return candidate;
      }
    }
    return null;
  }
}
