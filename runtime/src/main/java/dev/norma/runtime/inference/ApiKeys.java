package dev.norma.runtime.inference;

import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.InferenceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads endpoints' API keys from where the spec says (an environment variable or a file), never
 * from the spec itself. Messages name the variable or file, never the key.
 */
public final class ApiKeys {
  private ApiKeys() {
  }

  /** The key, or null when the endpoint has none; throws with a message naming the source. */
  static String read(EndpointSpec spec) {
    if (spec.apiKeyEnv() != null) {
      String key = System.getenv(spec.apiKeyEnv());
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("inference.endpoints " + spec.name() + ": environment variable "
            + spec.apiKeyEnv() + " (apiKeyEnv) is not set");
      }
      return key.strip();
    }
    if (spec.apiKeyFile() != null) {
      try {
        String key = Files.readString(Path.of(spec.apiKeyFile()), StandardCharsets.UTF_8).strip();
        if (key.isEmpty()) {
          throw new IllegalArgumentException("inference.endpoints " + spec.name() + ": apiKeyFile "
              + spec.apiKeyFile() + " is empty");
        }
        return key;
      } catch (IOException e) {
        throw new IllegalArgumentException("inference.endpoints " + spec.name() + ": cannot read apiKeyFile "
            + spec.apiKeyFile() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return null;
  }

  /** Every endpoint whose key cannot be read, one line each; empty when all can. */
  public static List<String> problems(InferenceSpec inference) {
    List<String> problems = new ArrayList<>();
    for (EndpointSpec endpoint : inference.endpoints()) {
      try {
        read(endpoint);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }
}
