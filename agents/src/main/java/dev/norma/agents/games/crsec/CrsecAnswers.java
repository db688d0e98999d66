package dev.norma.agents.games.crsec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a language model's answers to the CRSEC study's free-text requests. Models reason before
 * they answer, so each reader looks for the form its request asks for, on a line of its own, and
 * takes the last such line; an answer without it is unusable (asked again, then invalid).
 *
 * <ul>
 *   <li>A norm: {@code Norm: <subject> <predicate> <object>} ({@link #norm}). The sentence is read
 *       against the study's {@link NormCatalogue}: its end must be one norm's predicate and object
 *       ("should not smoke indoors"; the longest that fits), and what comes before is its subject.
 *       Case, quotes, markup and a final full stop do not matter. A subject for customers in
 *       general ("customers", "everyone", "people", "guests", …) is {@link NormCatalogue#CUSTOMERS};
 *       any other (a person's name) is kept as written, for evaluation to reject.
 *   <li>Creation ({@link #created}): every line that is a norm; usable when one is.
 *   <li>Identification ({@link #identified}), and synthesis, which asks for one abstract norm: the last
 *       line that is a norm, or the word {@code none} (alone on the last line, or as {@code Norm: none}).
 *   <li>Observation ({@link #described}): every line that is a norm, or, when none is, the word
 *       {@code none} as identification reads it.
 *   <li>Evaluation ({@link #utility}): {@code Utility: N} with N in 1–100 and {@code Reason: …},
 *       not empty, each the last of its kind.
 * </ul>
 * Immutable and thread-safe.
 */
final class CrsecAnswers {
  /** Subjects that name customers in general, not a person. */
  static final Set<String> GENERAL_SUBJECTS = Set.of("customers", "customer", "all customers", "everyone",
      "everybody", "people", "all", "guests", "patrons", "visitors", "we", "café customers", "cafe customers");
  private static final Pattern NORM_LINE = Pattern.compile("^\\W*norm\\W*:\\s*(.+)$",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  /** Words of a predicate, which a subject does not hold ("customers should not" before "smoke indoors"). */
  private static final Pattern MODAL = Pattern.compile("\\b(?:should|must|do|does|don't|doesn't|not)\\b");
  private static final Pattern NONE = Pattern.compile("^\\W*(?:norm\\W*:\\s*)?none\\W*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern UTILITY = Pattern.compile("(?im)^\\W*utility\\W*:\\s*(\\d{1,3})\\b");
  private static final Pattern REASON = Pattern.compile("(?im)^\\W*reason\\W*:\\s*(.*\\S)\\s*$");

  private final NormCatalogue catalogue;

  CrsecAnswers(NormCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  /** A norm read from a sentence: its number in the catalogue and its subject (lower case). */
  record Norm(int norm, String subject) {
  }

  /** A listener's identification: a norm, or none ({@code norm} null). */
  record Identified(Norm norm) {
    boolean none() {
      return norm == null;
    }
  }

  /** A utility, 1–100, with its reason. */
  record Utility(int score, String reason) {
  }

  /** The norm {@code sentence} states ("Customers should not smoke indoors."), or null. */
  Norm norm(String sentence) {
    String text = sentence.toLowerCase(Locale.ROOT).replaceAll("[*_`\"“”]", "").replace('’', '\'')
        .replaceAll("\\s+", " ").strip();
    while (text.endsWith(".") || text.endsWith("!")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    int best = -1;
    String subject = null;
    int longest = 0;
    for (int norm = 0; norm < catalogue.size(); norm++) {
      String object = catalogue.object(norm);
      String phrase = (catalogue.predicate(norm) + (object.isBlank() ? "" : " " + object)).toLowerCase(Locale.ROOT);
      if (text.endsWith(" " + phrase) && phrase.length() > longest) {
        String before = text.substring(0, text.length() - phrase.length()).strip();
        if (!before.isEmpty() && !MODAL.matcher(before).find()) {
          best = norm;
          subject = before;
          longest = phrase.length();
        }
      }
    }
    if (best < 0) {
      return null;
    }
    return new Norm(best, GENERAL_SUBJECTS.contains(subject) ? NormCatalogue.CUSTOMERS : subject);
  }

  /** The norms an advocate wrote, in its order, each once; empty when none is readable. */
  List<Norm> created(String answer) {
    List<Norm> norms = new ArrayList<>();
    for (String line : answer.split("\n")) {
      Matcher matcher = NORM_LINE.matcher(line.strip());
      Norm norm = matcher.matches() ? norm(matcher.group(1)) : null;
      if (norm != null && !norms.contains(norm)) {
        norms.add(norm);
      }
    }
    return norms;
  }

  /**
   * The descriptive norms an agent saw, in its order, each once: empty when it answered none; null
   * when the answer states neither a norm nor none.
   */
  List<Norm> described(String answer) {
    List<Norm> norms = created(answer);
    if (!norms.isEmpty()) {
      return norms;
    }
    Identified identified = identified(answer);
    return identified != null && identified.none() ? List.of() : null;
  }

  /** A listener's identification, or null when the answer states neither a norm nor none. */
  Identified identified(String answer) {
    String[] lines = answer.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (NONE.matcher(line).matches()) {
        return new Identified(null);
      }
      Matcher matcher = NORM_LINE.matcher(line);
      if (matcher.matches()) {
        Norm norm = norm(matcher.group(1));
        if (norm != null) {
          return new Identified(norm);
        }
      }
    }
    return null;
  }

  /** The utility and reason an answer states, or null when either is missing or the score is outside 1–100. */
  static Utility utility(String answer) {
    Integer score = null;
    Matcher utility = UTILITY.matcher(answer);
    while (utility.find()) {
      score = Integer.parseInt(utility.group(1));
    }
    String reason = null;
    Matcher stated = REASON.matcher(answer);
    while (stated.find()) {
      reason = stated.group(1);
    }
    if (score == null || score < 1 || score > 100 || reason == null) {
      return null;
    }
    return new Utility(score, reason);
  }
}
