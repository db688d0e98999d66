package dev.norma.protocols.spec;

/** @param size number of agents N (at least 2) */
public record PopulationSpec(Integer size) {
  public PopulationSpec {
    size = size == null ? 24 : size;
  }

  void validate(SpecErrors errors) {
    if (size < 2) {
      errors.add("size", "expected at least 2 agents, got " + size);
    }
  }
}
