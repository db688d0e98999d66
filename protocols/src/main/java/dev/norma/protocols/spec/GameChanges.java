package dev.norma.protocols.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the interventions that change the game rather than particular agents —
 * {@code relabel}, {@code addNames} and {@code payoff} — against the game as it is at each one's
 * moment: the pool after the relabels and additions before it. One instance walks a spec's list in
 * order. These actions change the name pool and the payoff of the naming game
 * ({@code game.kind: naming}); the other games refuse them with an error naming the action.
 *
 * <p>Rules: {@code relabel} names two different names of the pool at that moment, and leaves at
 * least two; {@code addNames} names new names, never in the pool before (a name relabelled away
 * does not come back); {@code payoff} gives {@code success} or {@code failure} or both, and the
 * success payoff in force after it stays above the failure payoff.
 */
final class GameChanges {
  /** The actions checked here. */
  static final List<String> ACTIONS = List.of(InterventionSpec.RELABEL, InterventionSpec.ADD_NAMES,
      InterventionSpec.PAYOFF);

  private final ExperimentSpec spec;
  private final boolean naming;
  private final List<String> pool;
  private final Set<String> everInPool;
  private int success;
  private int failure;

  GameChanges(ExperimentSpec spec) {
    this.spec = spec;
    GameSpec game = spec.game();
    this.naming = GameSpec.NAMING.equals(game.kind()) && game.hasResolvablePool();
    this.pool = naming ? new ArrayList<>(game.resolvedNames()) : new ArrayList<>();
    this.everInPool = new HashSet<>(pool);
    this.success = game.payoff().success();
    this.failure = game.payoff().failure();
  }

  /**
   * Checks {@code item} if it is one of {@link #ACTIONS} (then the pool and payoff in force move
   * on), else only that it sets none of their fields.
   *
   * @return whether it is one of {@link #ACTIONS}
   */
  boolean check(InterventionSpec item, SpecErrors errors) {
    String action = item.action();
    if (action == null || !ACTIONS.contains(action)) {
      refuse(errors, item.from() != null, "from", action);
      refuse(errors, item.to() != null, "to", action);
      refuse(errors, item.names() != null, "names", action);
      refuse(errors, item.success() != null, "success", action);
      refuse(errors, item.failure() != null, "failure", action);
      return false;
    }
    refuse(errors, item.count() != null, "count", action);
    refuse(errors, item.fraction() != null, "fraction", action);
    refuse(errors, item.name() != null, "name", action);
    if (!naming) {
      errors.add("action", "'" + action + "' changes the naming game's name pool or payoff: it applies to "
          + "game.kind '" + GameSpec.NAMING + "', not '" + spec.game().kind() + "'");
      return true;
    }
    switch (action) {
      case InterventionSpec.RELABEL -> checkRelabel(item, errors);
      case InterventionSpec.ADD_NAMES -> checkAddNames(item, errors);
      default -> checkPayoff(item, errors);
    }
    return true;
  }

  private static void refuse(SpecErrors errors, boolean given, String field, String action) {
    if (given) {
      errors.add(field, "not a field of action '" + action + "'");
    }
  }

  private void checkRelabel(InterventionSpec item, SpecErrors errors) {
    refuse(errors, item.names() != null, "names", item.action());
    refuse(errors, item.success() != null, "success", item.action());
    refuse(errors, item.failure() != null, "failure", item.action());
    boolean fromValid = inPool(item.from(), "from", errors);
    boolean toValid = inPool(item.to(), "to", errors);
    if (fromValid && toValid && item.from().equals(item.to())) {
      errors.add("to", "expected a name other than from ('" + item.from() + "')");
    } else if (fromValid && toValid && pool.size() <= 2) {
      errors.add("from", "expected a pool of 3 or more names at that moment: relabelling '" + item.from()
          + "' would leave " + (pool.size() - 1) + " of " + pool);
    } else if (fromValid && toValid) {
      pool.remove(item.from());
    }
  }

  private boolean inPool(String name, String field, SpecErrors errors) {
    if (name == null) {
      errors.add(field, "expected a name of the pool at that moment " + pool);
      return false;
    }
    if (!pool.contains(name)) {
      errors.add(field, "expected a name of the pool at that moment " + pool + ", got '" + name + "'");
      return false;
    }
    return true;
  }

  private void checkAddNames(InterventionSpec item, SpecErrors errors) {
    refuse(errors, item.from() != null, "from", item.action());
    refuse(errors, item.to() != null, "to", item.action());
    refuse(errors, item.success() != null, "success", item.action());
    refuse(errors, item.failure() != null, "failure", item.action());
    List<String> names = item.names();
    if (names == null || names.isEmpty()) {
      errors.add("names", "expected a list of one or more new names");
      return;
    }
    if (everInPool.size() + names.size() > GameSpec.MAX_NAMES) {
      errors.add("names", "expected at most " + GameSpec.MAX_NAMES + " names in all, the starting pool and every "
          + "addNames together; this one makes " + (everInPool.size() + names.size()));
      return;
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null || !GameSpec.isValidName(name)) {
        errors.add("names[" + i + "]", "expected a non-empty name without commas, quotes or newlines, got '"
            + name + "'");
      } else if (!everInPool.add(name)) {
        errors.add("names[" + i + "]", "expected a new name: '" + name + "' is or was in the pool (or is listed twice)");
      } else {
        pool.add(name);
      }
    }
  }

  private void checkPayoff(InterventionSpec item, SpecErrors errors) {
    refuse(errors, item.from() != null, "from", item.action());
    refuse(errors, item.to() != null, "to", item.action());
    refuse(errors, item.names() != null, "names", item.action());
    if (item.success() == null && item.failure() == null) {
      errors.add("success", "expected success or failure (or both): the payoffs from that moment on");
      return;
    }
    int newSuccess = item.success() == null ? success : item.success();
    int newFailure = item.failure() == null ? failure : item.failure();
    if (newSuccess <= newFailure) {
      errors.add(item.success() != null ? "success" : "failure", "expected a success payoff greater than the failure "
          + "payoff at that moment, got success " + newSuccess + " and failure " + newFailure);
      return;
    }
    success = newSuccess;
    failure = newFailure;
  }
}
