package dev.norma.protocols.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects validation errors, each named by the dotted path of its field. */
public final class SpecErrors {
  private final List<String> sink;
  private final String prefix;

  public SpecErrors() {
    this(new ArrayList<>(), "");
  }

  private SpecErrors(List<String> sink, String prefix) {
    this.sink = sink;
    this.prefix = prefix;
  }

  /** Errors of a nested object, prefixed by its path. */
  public SpecErrors at(String field) {
    return new SpecErrors(sink, prefix + field + ".");
  }

  public void add(String field, String message) {
    sink.add(prefix + field + ": " + message);
  }

  public List<String> messages() {
    return List.copyOf(sink);
  }

  public boolean isEmpty() {
    return sink.isEmpty();
  }
}
