package dev.norma.protocols.spec;

import java.util.List;

/** A spec that cannot run; every message names the field path and what was expected. */
public final class SpecException extends Exception {
  private final List<String> problems;

  public SpecException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public SpecException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
