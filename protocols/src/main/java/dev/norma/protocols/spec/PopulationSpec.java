package dev.norma.protocols.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * @param size   agents in the study
 * @param groups language-model agents with settings of their own ({@link GroupSpec}); none by default
 */
public record PopulationSpec(Integer size, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GroupSpec> groups) {
  public PopulationSpec {
    size = size == null ? 24 : size;
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DISABLED)
  public PopulationSpec(Integer size) {
    this(size, null);
  }

  void validate(SpecErrors errors) {
    if (size < 2) {
      errors.add("size", "expected at least 2 agents, got " + size);
    }
  }

  /**
   * The groups: each valid on its own; names distinct; id ranges apart; all of them together no
   * more than the population; only for language-model agents.
   */
  void validateGroups(SpecErrors errors, ExperimentSpec spec) {
    if (groups.isEmpty() || size < 2) {
      return;
    }
    if (!PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      errors.add("groups", "groups give language-model agents endpoints, sampling and personas of their own;"
          + " expected policy.kind 'llm', got '" + spec.policy().resolvedKind(spec.game()) + "'");
      return;
    }
    Set<String> names = new HashSet<>();
    boolean[] taken = new boolean[size];
    long total = 0;
    boolean sized = true;
    for (int g = 0; g < groups.size(); g++) {
      GroupSpec group = groups.get(g);
      SpecErrors at = errors.at("groups[" + g + "]");
      int before = errors.messages().size();
      group.validate(at, spec);
      if (group.name() != null && !names.add(group.name())) {
        at.add("name", "expected a name no other group has, got '" + group.name() + "' again");
      }
      if (errors.messages().size() > before) {
        sized = false;
        continue;
      }
      total += group.size(size);
      int[] range = group.idRange();
      for (int id = range == null ? 0 : range[0]; range != null && id <= range[1]; id++) {
        if (taken[id]) {
          at.add("ids", "agent " + id + " is in an earlier group's ids already");
          break;
        }
        taken[id] = true;
      }
    }
    if (sized && total > size) {
      errors.add("groups", "the groups take " + total + " agents, more than the population's " + size);
    }
  }
}
