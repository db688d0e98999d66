package dev.norma.runtime.inference;

/** An endpoint that cannot serve at all: an in-process model that cannot be read or loaded. */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }
}
