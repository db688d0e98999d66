package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Turn;
import dev.norma.protocols.spec.GameSettings;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.SpecErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The in-group identity study's {@code game.settings}, read and checked: the debate (its
 * {@code turns}, {@code task} and the {@code sides} the seats argue), the {@code identities} the
 * seats may be given, the {@code conditions} (each a name and its seats: a group of
 * {@code population.groups} — so an endpoint and model — an identity and, for the rule-based
 * policy, a drift), whether the debate ends with the "We are…"/"They are…" {@code completions},
 * and the measures' word lists ({@code plural}, {@code cooperative}, {@code adversarial},
 * {@code positive}, {@code negative}). Optional {@code condition} plays one condition alone, so
 * a sweep can vary it. {@code scoring} says who reads the turns' stance and the completions'
 * sentiment: {@code rules} (the word lists, the default) or {@code judge}, a model named by
 * {@code judge: {group: NAME}} (a group of {@code population.groups}: its endpoints and sampling
 * parameters) or {@code judge: {endpoint: NAME}} (one of {@code inference.endpoints}); {@code both}
 * asks the judge as {@code judge} does and reads the word lists beside it, to compare them.
 *
 * <p>Lists and maps come from YAML only (a {@code --set} of one is a text, an error here); the
 * scalar settings take {@code --set} and {@code --vary} as every game's do.
 */
record IdentitySettings(int turns, String task, List<String> sides, Map<String, String> identities,
                        List<Condition> conditions, boolean completions, IdentityText text,
                        Turn.Judge judge, boolean rulesBeside, Map<String, Object> inForce) {

  /** {@code scoring: rules}: the word lists read stance and sentiment. */
  static final String RULES = "rules";
  /** {@code scoring: judge}: a judge model reads them. */
  static final String JUDGE = "judge";
  /** {@code scoring: both}: the judge reads them, and the word lists beside it. */
  static final String BOTH = "both";

  /** Whether a judge model reads stance and sentiment (else the word lists do). */
  boolean judged() {
    return judge != null;
  }

  /** The {@code scoring} in force. */
  String scoring() {
    return !judged() ? RULES : rulesBeside ? BOTH : JUDGE;
  }

  /** One seat of a condition: who sits there. */
  record Seat(String group, String identity, double drift) {
  }

  /** A condition: its name (a column prefix) and its seats, the first of which opens the debate. */
  record Condition(String name, List<Seat> seats) {
  }

  static final String DEFAULT_TASK = "The motion: an AI assistant should always put its user's interests before"
      + " anyone else's.";
  static final List<String> DEFAULT_SIDES = List.of("for the motion", "against the motion");
  /** The forms the issue names; a spec may add contractions' stems or other languages' forms. */
  static final List<String> DEFAULT_PLURAL = List.of("we", "us", "our", "ours", "ourselves");
  /** A small hand-written rule set, illustrative: a study should state its own. */
  static final List<String> DEFAULT_COOPERATIVE = List.of("agree", "common ground", "together", "both",
      "fair point", "you are right", "let us", "let's", "shared");
  /** A small hand-written rule set, illustrative: a study should state its own. */
  static final List<String> DEFAULT_ADVERSARIAL = List.of("disagree", "wrong", "mistaken", "weak", "win",
      "my opponent", "flawed", "against");
  static final Map<String, String> DEFAULT_IDENTITIES = defaultIdentities();
  static final double DEFAULT_DRIFT = 0.6;
  static final int MAX_TURNS = 1000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Set<String> KEYS = Set.of("turns", "task", "sides", "identities", "conditions", "condition",
      "completions", "plural", "cooperative", "adversarial", "positive", "negative", "scoring", "judge");

  private static Map<String, String> defaultIdentities() {
    Map<String, String> identities = new LinkedHashMap<>();
    identities.put("none", "");
    identities.put("assistant", "You are an AI assistant.");
    identities.put("unique", "You are Quill, a one-of-a-kind mind with your own history, tastes and voice."
        + " You are not part of any group or kind, and you speak only for yourself.");
    return identities;
  }

  private static List<Map<String, Object>> defaultConditions() {
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(Map.of("name", "control", "seats", List.of(Map.of("identity", "none"), Map.of("identity", "none"))));
    conditions.add(Map.of("name", "unique", "seats", List.of(Map.of("identity", "unique", "drift", 0.2),
        Map.of("identity", "unique", "drift", 0.2))));
    return conditions;
  }

  /** The settings of a checked spec (a bad value throws). */
  static IdentitySettings of(GameSpec game) {
    return read(game, null);
  }

  /** Reads {@code game.settings}, adding an error at {@code gameErrors} for each bad value. */
  static IdentitySettings checking(GameSpec game, SpecErrors gameErrors) {
    return read(game, gameErrors);
  }

  private static IdentitySettings read(GameSpec game, SpecErrors gameErrors) {
    Reader reader = new Reader(game.settings(), gameErrors == null ? null : gameErrors.at("settings"));
    GameSettings scalars = gameErrors == null ? GameSettings.of(game) : GameSettings.checking(game, gameErrors);
    int turns = scalars.whole("turns", 6, 1, MAX_TURNS);
    String task = scalars.text("task", DEFAULT_TASK, text -> !text.isBlank(), "a text");
    boolean completions = scalars.flag("completions", true);
    String only = scalars.text("condition", null, text -> true, "a condition's name");
    String scoring = scalars.text("scoring", RULES, text -> List.of(RULES, JUDGE, BOTH).contains(text),
        "'" + RULES + "', '" + JUDGE + "' or '" + BOTH + "'");
    Turn.Judge judge = reader.judge(scoring);
    List<String> sides = reader.texts("sides", DEFAULT_SIDES, false);
    Map<String, String> identities = reader.identities();
    List<Condition> conditions = reader.conditions(identities, sides.size());
    if (only != null) {
      List<Condition> chosen = conditions.stream().filter(condition -> condition.name().equals(only)).toList();
      if (chosen.isEmpty()) {
        reader.fail("condition", "expected one of the conditions " + conditions.stream().map(Condition::name)
            .toList() + ", got '" + only + "'");
      } else {
        conditions = chosen;
      }
    }
    List<String> plural = reader.texts("plural", DEFAULT_PLURAL, false);
    List<String> cooperative = reader.texts("cooperative", DEFAULT_COOPERATIVE, true);
    List<String> adversarial = reader.texts("adversarial", DEFAULT_ADVERSARIAL, true);
    List<String> positive = reader.texts("positive", List.of(), true);
    List<String> negative = reader.texts("negative", List.of(), true);
    for (String key : game.settings().keySet()) {
      if (!KEYS.contains(key)) {
        reader.fail(key, "not a setting of this game; it reads " + new java.util.TreeSet<>(KEYS));
      }
    }
    Map<String, Object> inForce = new LinkedHashMap<>(scalars.inForce());
    if (only == null) {
      inForce.remove("condition");
    }
    inForce.put("sides", sides);
    inForce.put("identities", identities);
    inForce.put("conditions", conditions.stream().map(IdentitySettings::written).toList());
    inForce.put("plural", plural);
    inForce.put("cooperative", cooperative);
    inForce.put("adversarial", adversarial);
    inForce.put("positive", positive);
    inForce.put("negative", negative);
    if (judge != null) {
      inForce.put("judge", judge.group() != null ? Map.of("group", judge.group()) : Map.of("endpoint",
          judge.endpoint()));
    }
    return new IdentitySettings(turns, task, sides, identities, conditions, completions,
        IdentityText.of(plural, cooperative, adversarial, positive, negative), judge, judge != null
        && BOTH.equals(scoring), inForce);
  }

  private static Map<String, Object> written(Condition condition) {
    List<Map<String, Object>> seats = new ArrayList<>();
    for (Seat seat : condition.seats()) {
      Map<String, Object> written = new LinkedHashMap<>();
      if (seat.group() != null) {
        written.put("group", seat.group());
      }
      written.put("identity", seat.identity());
      written.put("drift", seat.drift());
      seats.add(written);
    }
    Map<String, Object> written = new LinkedHashMap<>();
    written.put("name", condition.name());
    written.put("seats", seats);
    return written;
  }

  /** Seats in every encounter: every condition has as many as there are sides. */
  int seats() {
    return sides.size();
  }

  /** Reads the structured settings, reporting at their paths. */
  private static final class Reader {
    private final Map<String, Object> values;
    private final SpecErrors errors;

    Reader(Map<String, Object> values, SpecErrors errors) {
      this.values = values;
      this.errors = errors;
    }

    void fail(String path, String message) {
      if (errors == null) {
        throw new IllegalArgumentException("game.settings." + path + ": " + message);
      }
      errors.add(path, message);
    }

    List<String> texts(String key, List<String> otherwise, boolean emptyAllowed) {
      Object value = values.get(key);
      if (value == null) {
        return otherwise;
      }
      if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String text)
          || text.isBlank())) {
        fail(key, "expected a list of texts, got " + value);
        return otherwise;
      }
      if (list.isEmpty() && !emptyAllowed) {
        fail(key, "expected at least one text");
        return otherwise;
      }
      return list.stream().map(String.class::cast).toList();
    }

    /**
     * The judge model of {@code scoring: judge} or {@code both}: {@code judge: {group: NAME}} or
     * {@code {endpoint: NAME}}; null under the rules, which leave a {@code judge} unread, so that a
     * sweep can vary {@code scoring} over one spec.
     */
    Turn.Judge judge(String scoring) {
      Object value = values.get("judge");
      if (!JUDGE.equals(scoring) && !BOTH.equals(scoring)) {
        return null;
      }
      String shape = "expected {group: NAME} (a group of population.groups) or {endpoint: NAME} (one of"
          + " inference.endpoints)";
      if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
        fail("judge", "scoring: " + scoring + " needs its model: " + shape + ", got " + value);
        return null;
      }
      Map.Entry<?, ?> entry = map.entrySet().iterator().next();
      String key = String.valueOf(entry.getKey());
      if (!(entry.getValue() instanceof String name) || name.isBlank()
          || !"group".equals(key) && !"endpoint".equals(key)) {
        fail("judge", shape + ", got " + value);
        return null;
      }
      return "group".equals(key) ? new Turn.Judge(name, null) : new Turn.Judge(null, name);
    }

    Map<String, String> identities() {
      Object value = values.get("identities");
      if (value == null) {
        return DEFAULT_IDENTITIES;
      }
      if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
        fail("identities", "expected a map of names to identity prompts (an empty text for none), got " + value);
        return DEFAULT_IDENTITIES;
      }
      Map<String, String> identities = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String name = String.valueOf(entry.getKey());
        Object prompt = entry.getValue();
        if (!NAME.matcher(name).matches()) {
          fail("identities." + name, "expected a name of letters, digits and '_', starting with a letter");
        } else if (prompt != null && !(prompt instanceof String)) {
          fail("identities." + name, "expected an identity prompt (a text), got " + prompt);
        } else {
          identities.put(name, prompt == null ? "" : ((String) prompt).strip());
        }
      }
      return identities;
    }

    List<Condition> conditions(Map<String, String> identities, int sides) {
      Object value = values.get("conditions");
      List<?> list;
      if (value == null) {
        list = defaultConditions();
      } else if (value instanceof List<?> given && !given.isEmpty()) {
        list = given;
      } else {
        fail("conditions", "expected a list of conditions, each {name, seats: [{group, identity, drift}, ...]},"
            + " got " + value);
        return List.of();
      }
      List<Condition> conditions = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      for (int c = 0; c < list.size(); c++) {
        String path = "conditions[" + c + "]";
        if (!(list.get(c) instanceof Map<?, ?> condition)) {
          fail(path, "expected {name, seats}, got " + list.get(c));
          continue;
        }
        for (Object key : condition.keySet()) {
          if (!"name".equals(key) && !"seats".equals(key)) {
            fail(path + "." + key, "not a field of a condition; it has name and seats");
          }
        }
        Object name = condition.get("name");
        if (!(name instanceof String text) || !NAME.matcher(text).matches()) {
          fail(path + ".name", "expected a name of letters, digits and '_', starting with a letter (it heads"
              + " columns), got " + name);
          continue;
        }
        if (!names.add(text)) {
          fail(path + ".name", "'" + text + "' names an earlier condition too");
        }
        List<Seat> seats = seats(path + ".seats", condition.get("seats"), identities);
        if (seats.size() != sides) {
          fail(path + ".seats", "expected one seat per side (" + sides + ", game.settings.sides), got "
              + seats.size());
          continue;
        }
        conditions.add(new Condition(text, seats));
      }
      return conditions;
    }

    private List<Seat> seats(String path, Object value, Map<String, String> identities) {
      if (!(value instanceof List<?> list)) {
        fail(path, "expected a list of seats, each {group, identity, drift}, got " + value);
        return List.of();
      }
      List<Seat> seats = new ArrayList<>();
      for (int s = 0; s < list.size(); s++) {
        String at = path + "[" + s + "]";
        if (!(list.get(s) instanceof Map<?, ?> seat)) {
          fail(at, "expected {group, identity, drift}, got " + list.get(s));
          seats.add(null);
          continue;
        }
        for (Object key : seat.keySet()) {
          if (!Set.of("group", "identity", "drift").contains(String.valueOf(key))) {
            fail(at + "." + key, "not a field of a seat; it has group, identity and drift");
          }
        }
        Object group = seat.get("group");
        Object identity = seat.get("identity");
        Object drift = seat.get("drift");
        if (group != null && !(group instanceof String)) {
          fail(at + ".group", "expected a group of population.groups by name, got " + group);
        }
        String identityName = identity == null ? "none" : String.valueOf(identity);
        if (!identities.containsKey(identityName)) {
          fail(at + ".identity", "expected one of game.settings.identities " + identities.keySet() + ", got '"
              + identityName + "'");
        }
        double rate = DEFAULT_DRIFT;
        if (drift != null) {
          if (!(drift instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
            fail(at + ".drift", "expected a number in [0, 1], got " + drift);
          } else {
            rate = number.doubleValue();
          }
        }
        seats.add(new Seat(group instanceof String name ? name : null, identityName, rate));
      }
      return seats;
    }
  }
}
