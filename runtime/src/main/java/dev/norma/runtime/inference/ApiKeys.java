package dev.norma.runtime.inference;

import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.InferenceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads endpoints' API keys from where the spec says (an environment variable, a file, or a
 * named credential: {@code NORMA_CREDENTIAL_<NAME>} or the file {@code NAME} in the secrets
 * directory), never from the spec itself.
 *
 * <p>A key is checked when it is read: one line of visible ASCII, nothing else, since it goes into
 * an HTTP header. A file that is not a key (two lines, a password database) is refused there, and
 * never reaches a header whose error would print it. Messages name the variable, file or
 * credential, never what it holds.
 */
public final class ApiKeys {
  /** The most bytes a key file may hold: keys are short, and a big file is not one. */
  static final int MAX_KEY_BYTES = 8192;

  private ApiKeys() {
  }

  /**
   * The key, or null when the endpoint has none; throws with a message naming the source.
   *
   * @param secretsDir the directory credentials are read from when no variable holds them; null: none
   */
  static String read(EndpointSpec spec, Path secretsDir) {
    String where = "inference.endpoints " + spec.name() + ": ";
    if (spec.apiKeyEnv() != null) {
      return fromVariable(spec.apiKeyEnv(), where + "environment variable " + spec.apiKeyEnv() + " (apiKeyEnv)");
    }
    if (spec.apiKeyFile() != null) {
      return fromFile(Path.of(spec.apiKeyFile()), where + "apiKeyFile " + spec.apiKeyFile());
    }
    if (spec.credential() != null) {
      return credential(spec.credential(), secretsDir, where);
    }
    return null;
  }

  /** Why credential {@code name} cannot be read here, or null when it can (its key is valid). */
  public static String credentialProblem(String name, Path secretsDir) {
    try {
      credential(name, secretsDir, "");
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String credential(String name, Path secretsDir, String where) {
    String variable = EndpointSpec.credentialVariable(name);
    if (System.getenv(variable) != null) {
      return fromVariable(variable, where + "credential " + name + " (variable " + variable + ")");
    }
    Path file = secretsDir == null ? null : secretsDir.resolve(name);
    if (file == null || !Files.exists(file)) {
      throw new IllegalArgumentException(where + "no credential " + name + " here: neither " + variable + " is set"
          + (secretsDir == null ? " nor a secrets directory given (NORMA_SECRETS_DIR, norma node --secrets-dir)"
          : " nor is there a file " + name + " in the secrets directory " + secretsDir));
    }
    return fromFile(file, where + "credential " + name + " (file " + file + ")");
  }

  private static String fromVariable(String variable, String source) {
    String key = System.getenv(variable);
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(source + " is not set");
    }
    return checked(key, source);
  }

  private static String fromFile(Path file, String source) {
    // Not a device, pipe or directory: reading one may never end, and none holds a key.
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(source + " is not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_KEY_BYTES + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + source + " (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(source + " is larger than " + MAX_KEY_BYTES
          + " bytes: expected one line holding the key");
    }
    String key = new String(bytes, StandardCharsets.ISO_8859_1);
    if (key.isBlank()) {
      throw new IllegalArgumentException(source + " is empty");
    }
    return checked(key, source);
  }

  /**
   * The key without the blanks around it, when what is left is one token of visible ASCII
   * (what an {@code Authorization} header may carry); else a message that says so and quotes none
   * of it.
   */
  private static String checked(String raw, String source) {
    String key = raw.strip();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(source + " does not hold a key: expected one line of visible ASCII"
            + " characters with no spaces inside, found " + describe(c));
      }
    }
    return key;
  }

  /** The kind of a character that cannot be in a key, without the character itself when it could be part of one. */
  private static String describe(char c) {
    return c == '\n' || c == '\r' ? "a line break" : c == ' ' || c == '\t' ? "a blank" : c < 0x20 || c == 0x7f
        ? "a control character" : "a character outside ASCII";
  }

  /** Every endpoint whose key cannot be read, one line each; empty when all can. */
  public static List<String> problems(InferenceSpec inference, Path secretsDir) {
    List<String> problems = new ArrayList<>();
    for (EndpointSpec endpoint : inference.endpoints()) {
      try {
        read(endpoint, secretsDir);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }
}
