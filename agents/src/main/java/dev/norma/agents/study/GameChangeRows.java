package dev.norma.agents.study;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InterventionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The interventions that change the game rather than particular agents ({@code relabel},
 * {@code addNames}, {@code payoff}) as {@link Interventions} lists them: no agents, and in the
 * name column what they change ({@code A→B}; {@code K L}; {@code success 50 failure -100}), which
 * {@code interventions.csv} records and the report's markers show. The game's module applies
 * them (the naming game: {@code NamingPhases}).
 */
final class GameChangeRows {
  private static final List<String> ACTIONS = List.of(InterventionSpec.RELABEL, InterventionSpec.ADD_NAMES,
      InterventionSpec.PAYOFF);

  private GameChangeRows() {
  }

  static boolean changesTheGame(InterventionSpec item) {
    return ACTIONS.contains(item.action());
  }

  static Interventions.Applied applied(int position, long index, InterventionSpec item) {
    String change = switch (item.action()) {
      case InterventionSpec.RELABEL -> item.from() + "\u2192" + item.to();
      case InterventionSpec.ADD_NAMES -> String.join(" ", item.names());
      default -> (item.success() == null ? "" : "success " + item.success())
          + (item.success() != null && item.failure() != null ? " " : "")
          + (item.failure() == null ? "" : "failure " + item.failure());
    };
    return new Interventions.Applied(position, index, item.action(), change, new int[0]);
  }

  /** Every name an {@code addNames} brings, in the spec's order. */
  static List<String> addedNames(ExperimentSpec spec) {
    List<String> added = new ArrayList<>();
    for (InterventionSpec item : spec.interventions()) {
      if (InterventionSpec.ADD_NAMES.equals(item.action())) {
        added.addAll(item.names());
      }
    }
    return added;
  }
}
