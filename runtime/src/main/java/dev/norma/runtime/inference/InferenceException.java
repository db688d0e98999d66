package dev.norma.runtime.inference;

/** A call that failed for good: its endpoint(s) never gave an answer within the retries. */
public final class InferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message) {
    super(message);
  }
}
