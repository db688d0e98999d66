package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.protocols.spec.EndpointSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key is checked when read, and no message quotes what a key file or variable holds. */
class ApiKeysTest {
  private static final String SENTINEL = "sk-sentinel-9f1c";

  @TempDir
  Path temp;

  private static EndpointSpec fromFile(Path file) {
    return new EndpointSpec("e", "http://127.0.0.1:9/v1", null, "m", null, file.toString(), null, null, null, null,
        null, null, null, null);
  }

  private static EndpointSpec fromCredential(String name) {
    return new EndpointSpec("e", "http://127.0.0.1:9/v1", null, "m", null, null, name, null, null, null, null, null,
        null, null, null, null, null);
  }

  @Test
  void aKeyFileHoldsOneLineOfVisibleAsciiAndIsNeverQuoted() throws Exception {
    assertThat(ApiKeys.read(fromFile(Files.writeString(temp.resolve("ok"), "  " + SENTINEL + "\r\n")), null))
        .isEqualTo(SENTINEL);
    for (String bad : new String[] {SENTINEL + "\n" + SENTINEL + "\n", SENTINEL + " more", SENTINEL + "é",
        "root:" + SENTINEL + ":19000:0:99999:7:::\ndaemon:*:19000::::::\n", SENTINEL + "\u0000"}) {
      Path file = Files.writeString(temp.resolve("bad"), bad, java.nio.charset.StandardCharsets.UTF_8);
      assertThatThrownBy(() -> ApiKeys.read(fromFile(file), null))
          .hasMessageContaining("apiKeyFile " + file).hasMessageContaining("does not hold a key")
          .message().doesNotContain("sentinel").doesNotContain("root");
    }
    Path big = Files.write(temp.resolve("big"), new byte[ApiKeys.MAX_KEY_BYTES + 1]);
    assertThatThrownBy(() -> ApiKeys.read(fromFile(big), null)).hasMessageContaining("larger than");
    assertThatThrownBy(() -> ApiKeys.read(fromFile(temp), null)).hasMessageContaining("not a regular file");
    assertThatThrownBy(() -> ApiKeys.read(fromFile(Path.of("/dev/zero")), null))
        .hasMessageContaining("not a regular file");
  }

  @Test
  void aCredentialIsReadFromTheSecretsDirectoryWhenNoVariableHoldsIt() throws Exception {
    Path secrets = Files.createDirectories(temp.resolve("secrets"));
    Files.writeString(secrets.resolve("hosted"), SENTINEL + "\n");
    Files.writeString(secrets.resolve("two-lines"), SENTINEL + "\n" + SENTINEL);
    assertThat(ApiKeys.read(fromCredential("hosted"), secrets)).isEqualTo(SENTINEL);
    assertThat(ApiKeys.credentialProblem("hosted", secrets)).isNull();
    assertThat(ApiKeys.credentialProblem("two-lines", secrets)).contains("credential two-lines")
        .contains("a line break").doesNotContain("sentinel");
    assertThat(ApiKeys.credentialProblem("absent", secrets)).contains("no credential absent")
        .contains("NORMA_CREDENTIAL_ABSENT");
    assertThat(ApiKeys.credentialProblem("hosted", null)).contains("no credential hosted")
        .contains("NORMA_SECRETS_DIR");
  }
}
