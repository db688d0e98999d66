package dev.norma.agents.games.crsec;

import dev.norma.agents.games.crsec.NormRecord.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every norm a study can hold, numbered, so that agents' records, observations and measures name a
 * norm by one int. For theme t there are four: injunctive proper ({@code 4t}, "Customers should not
 * smoke indoors", what an advocate writes), injunctive improper ({@code 4t + 1}), descriptive proper
 * ({@code 4t + 2}, "Customers do not smoke indoors") and descriptive improper ({@code 4t + 3}); after
 * them one abstract injunctive norm per group of two or more themes ("Customers should show
 * consideration for others"), which only a synthesis writes and which binds every theme of its group.
 */
public final class NormCatalogue {
  private final List<Theme> themes;
  /** The groups of two or more themes, in order of first appearance. */
  private final List<String> groups = new ArrayList<>();
  /** For each theme, its group's number, or -1 when it is alone in its group. */
  private final int[] groupOf;

  public NormCatalogue(List<Theme> themes) {
    this.themes = List.copyOf(themes);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Theme theme : this.themes) {
      counts.merge(theme.group(), 1, Integer::sum);
    }
    counts.forEach((group, count) -> {
      if (count >= 2) {
        groups.add(group);
      }
    });
    this.groupOf = new int[this.themes.size()];
    for (int t = 0; t < groupOf.length; t++) {
      groupOf[t] = groups.indexOf(this.themes.get(t).group());
    }
  }

  public List<Theme> themes() {
    return themes;
  }

  /** Norms in the catalogue. */
  public int size() {
    return 4 * themes.size() + groups.size();
  }

  /** Theme t's norm of this type, for the proper action or the improper one. */
  public int specific(int theme, Type type, boolean proper) {
    return 4 * theme + (type == Type.DESCRIPTIVE ? 2 : 0) + (proper ? 0 : 1);
  }

  /** The abstract norm of theme t's group, or -1 when the theme is alone in its group. */
  public int abstractOf(int theme) {
    return groupOf[theme] < 0 ? -1 : 4 * themes.size() + groupOf[theme];
  }

  public boolean isAbstract(int norm) {
    return norm >= 4 * themes.size();
  }

  /** The theme of a specific norm; -1 for an abstract one. */
  public int theme(int norm) {
    return isAbstract(norm) ? -1 : norm / 4;
  }

  public Type type(int norm) {
    return !isAbstract(norm) && norm % 4 >= 2 ? Type.DESCRIPTIVE : Type.INJUNCTIVE;
  }

  /** Whether the norm asks for (or describes) the proper action; abstract norms do. */
  public boolean proper(int norm) {
    return isAbstract(norm) || norm % 2 == 0;
  }

  /** Whether the norm speaks of theme t: its own specific norms and its group's abstract norm. */
  public boolean covers(int norm, int theme) {
    return isAbstract(norm) ? abstractOf(theme) == norm : norm / 4 == theme;
  }

  /** Whether an advocate writes this norm from its stances: the injunctive proper ones. */
  public boolean proposedByAdvocates(int norm) {
    return !isAbstract(norm) && norm % 4 == 0;
  }

  /** The same norm for the other action (a mishearing); an abstract norm has none and stays. */
  public int opposite(int norm) {
    return isAbstract(norm) ? norm : norm ^ 1;
  }

  /** The themes an abstract norm merges (its group's); a specific norm's own theme. */
  public List<Integer> themesOf(int norm) {
    List<Integer> covered = new ArrayList<>();
    for (int t = 0; t < themes.size(); t++) {
      if (covers(norm, t)) {
        covered.add(t);
      }
    }
    return covered;
  }

  /** The sentence's predicate: "should not smoke", "do not smoke", "should show". */
  public String predicate(int norm) {
    if (isAbstract(norm)) {
      return "should show";
    }
    Theme theme = themes.get(theme(norm));
    boolean doing = theme.properIsDoing() == proper(norm);
    String modal = type(norm) == Type.INJUNCTIVE ? "should " : "";
    if (doing) {
      return modal + theme.verb();
    }
    return modal.isEmpty() ? "do not " + theme.verb() : "should not " + theme.verb();
  }

  /** The sentence's object: "indoors", "consideration for others". */
  public String object(int norm) {
    return isAbstract(norm) ? groups.get(norm - 4 * themes.size()) : themes.get(theme(norm)).object();
  }

  /** The whole sentence with {@code subject}: "Customers should not smoke indoors." */
  public String content(int norm, String subject) {
    String object = object(norm);
    String sentence = subject + " " + predicate(norm) + (object.isBlank() ? "" : " " + object) + ".";
    return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }

  /** The subject of every norm that passes evaluation. */
  public static final String CUSTOMERS = "customers";

  /** A name for agent {@code id}, as a norm that names a person shows it. */
  public static String personalName(int id) {
    return "Agent-" + id;
  }
}
