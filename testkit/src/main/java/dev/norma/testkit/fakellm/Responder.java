package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;

/**
 * What the fake model says: the answer text to one prompt. Called on a request-handling thread,
 * concurrently, so implementations must be thread-safe; any randomness comes from the stream
 * passed in, which the server derives from its seed and the request (its {@code seed} field, or
 * its arrival number).
 */
@FunctionalInterface
public interface Responder {

  /**
   * @param prompt the prompt text: a completion prompt, or the chat messages' contents joined by
   *               blank lines
   */
  String answer(String prompt, Streams.RandomStream random);

  /** A short name for logs and the system fingerprint. */
  default String name() {
    return getClass().getSimpleName();
  }
}
