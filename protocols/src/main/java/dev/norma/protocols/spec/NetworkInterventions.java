package dev.norma.protocols.spec;

import java.util.List;

/**
 * Validation of the interventions that change who meets whom: {@code removeAgents} and
 * {@code rewire}. One instance walks a spec's list in order and keeps what they change: how many
 * agents are still present, and which network is in force.
 *
 * <p>{@code removeAgents} takes {@code count} or {@code fraction} of the agents present (only the
 * committed ones with {@code committed: true} or a {@code name}, only the others with
 * {@code committed: false}); at least 2 agents must stay. {@code rewire} takes a
 * {@code topology}, checked as the spec's own, or {@code p} to rewire the network in force (not
 * the complete one: every pair is linked there already). Both need a seeded schedule: the
 * {@code continuous} schedule pairs whichever agents are free. Neither is taken with
 * {@code topology.kind: rooms}, nor a rewire into rooms: the rooms are reseated every period.
 */
final class NetworkInterventions {
  /** Fewer than this many agents cannot meet. */
  static final int MIN_PRESENT = 2;

  private final ExperimentSpec spec;
  private int present;
  private String networkKind;

  NetworkInterventions(ExperimentSpec spec) {
    this.spec = spec;
    this.present = spec.population().size();
    this.networkKind = spec.topology().kind();
  }

  static boolean handles(InterventionSpec item) {
    return InterventionSpec.REMOVE_AGENTS.equals(item.action()) || InterventionSpec.REWIRE.equals(item.action());
  }

  /** The agents present after the interventions checked so far. */
  int present() {
    return present;
  }

  /** Refuses the fields of these actions on the others ({@code committed} on a commit, and so on). */
  void refuseFieldsOfOtherActions(InterventionSpec item, SpecErrors errors) {
    if (item.committed() != null && !InterventionSpec.REMOVE_AGENTS.equals(item.action())) {
      errors.add("committed", "applies only to action " + InterventionSpec.REMOVE_AGENTS);
    }
    if (!InterventionSpec.REWIRE.equals(item.action())) {
      if (item.topology() != null) {
        errors.add("topology", "applies only to action " + InterventionSpec.REWIRE);
      }
      if (item.p() != null) {
        errors.add("p", "applies only to action " + InterventionSpec.REWIRE);
      }
    }
  }

  /**
   * Checks a {@code removeAgents} or {@code rewire} item.
   *
   * @param committedNow the agents committed at that moment (at most)
   * @param timed        whether the item's moment is valid (else it changes no count)
   * @return the change in the number of committed agents (negative: committed agents left)
   */
  int validate(InterventionSpec item, SpecErrors errors, int committedNow, boolean timed) {
    if (ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind())) {
      errors.add("action", "'" + item.action() + "' needs schedule.kind 'sequential' or 'rounds': the continuous"
          + " schedule pairs whichever agents are free, as they become free");
      return 0;
    }
    if (TopologySpec.ROOMS.equals(networkKind)) {
      errors.add("action", "'" + item.action() + "' is not available with topology.kind 'rooms' (yet): the rooms"
          + " are seated afresh every period, and an agent who left or a new network would leave them uneven");
      return 0;
    }
    return InterventionSpec.REWIRE.equals(item.action()) ? validateRewire(item, errors)
        : validateRemoval(item, errors, committedNow, timed);
  }

  private int validateRemoval(InterventionSpec item, SpecErrors errors, int committedNow, boolean timed) {
    boolean onlyCommitted = Boolean.TRUE.equals(item.committed()) || item.name() != null;
    if (Boolean.FALSE.equals(item.committed()) && item.name() != null) {
      errors.add("name", "names the committed agents to remove: not with committed: false");
      return 0;
    }
    int available = onlyCommitted ? committedNow : Boolean.FALSE.equals(item.committed())
        ? present - committedNow : present;
    String which = onlyCommitted ? " committed" : Boolean.FALSE.equals(item.committed()) ? " uncommitted" : "";
    boolean valid = true;
    if (item.count() != null && item.fraction() != null) {
      errors.add("count", "give either count or fraction, not both");
      valid = false;
    } else if (item.count() == null && item.fraction() == null) {
      errors.add("count", "expected count or fraction: how many agents leave");
      valid = false;
    }
    if (item.count() != null && item.count() < 1) {
      errors.add("count", "expected 1 or more agents, got " + item.count());
      valid = false;
    } else if (item.count() != null && item.count() > available) {
      errors.add("count", "expected at most the " + available + which + " agents present at that moment, got "
          + item.count());
      valid = false;
    }
    if (item.fraction() != null && (item.fraction().isNaN() || item.fraction() <= 0 || item.fraction() > 1)) {
      errors.add("fraction", "expected a fraction in (0, 1], got " + item.fraction());
      valid = false;
    }
    List<String> pool = spec.game().hasResolvablePool() ? spec.game().resolvedNames() : List.of();
    if (item.name() != null && !pool.isEmpty() && !pool.contains(item.name())) {
      errors.add("name", "expected one of the game's names " + pool + ", got '" + item.name() + "'");
    }
    if (!valid || !timed) {
      return 0;
    }
    int leaving = Math.min(available, item.resolveCount(available));
    if (present - leaving < MIN_PRESENT) {
      errors.add(item.count() != null ? "count" : "fraction", "leaves " + (present - leaving) + " of the "
          + present + " agents present at that moment: at least " + MIN_PRESENT + " must stay to meet");
      return 0;
    }
    present -= leaving;
    // Removing from everyone may take committed agents too; the count stays an upper bound.
    return onlyCommitted ? -leaving : 0;
  }

  private int validateRewire(InterventionSpec item, SpecErrors errors) {
    if (item.count() != null || item.fraction() != null || item.name() != null) {
      errors.add(item.count() != null ? "count" : item.fraction() != null ? "fraction" : "name",
          "does not apply to action rewire: it changes the network, not the agents");
    }
    if (item.topology() != null && item.p() != null) {
      errors.add("p", "give either topology (a new network) or p (rewire the current one), not both");
      return 0;
    }
    if (item.topology() != null && item.topology().rooms()) {
      errors.at("topology").add("kind", "a rewire cannot seat the population in rooms (yet): give the spec's own"
          + " topology: {kind: rooms} from the start");
      return 0;
    }
    if (item.topology() != null) {
      item.topology().validate(errors.at("topology"), spec);
      networkKind = item.topology().kind();
      return 0;
    }
    if (item.p() == null) {
      errors.add("topology", "expected the new network, topology: {kind: ...} as for the spec's topology,"
          + " or p: the probability with which each link of the current network is rewired");
      return 0;
    }
    if (item.p().isNaN() || item.p() < 0 || item.p() > 1) {
      errors.add("p", "expected a rewiring probability in [0, 1], got " + item.p());
    } else if (TopologySpec.COMPLETE.equals(networkKind)) {
      errors.add("p", "the network in force then is complete: every pair is linked already, so rewiring"
          + " changes nothing; give topology: {kind: ...} for a new network");
    }
    return 0;
  }
}
