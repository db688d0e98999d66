package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node lets a submitted spec use: endpoint URL prefixes and directories, links resolved. */
class NodeAccessTest {
  @TempDir
  Path temp;

  private static NodeAccess access(List<String> endpoints, List<String> dirs) {
    return NodeAccess.fromConfig(ConfigFactory.parseMap(Map.of("norma.node.allow-endpoints", endpoints,
        "norma.node.allow-dirs", dirs, "norma.node.public-reads", false, "norma.inference.secrets-dir", "")));
  }

  @Test
  void anEndpointMustBeUnderAnAllowedPrefixByOriginAndWholePathSegments() {
    NodeAccess access = access(List.of("http://A.com", "https://gpu-1:8000/v1/"), List.of());
    assertThat(access.urlProblem("http://a.com/v1")).isNull();
    assertThat(access.urlProblem("HTTP://a.COM:80/x/y")).isNull();
    assertThat(access.urlProblem("https://gpu-1:8000/v1")).isNull();
    assertThat(access.urlProblem("https://gpu-1:8000/v1/x/../")).isNull();
    assertThat(access.urlProblem("https://gpu-1:8000//v1/")).isNull();
    for (String refused : List.of("http://a.com.evil.org/v1", "http://a.com:8080/v1", "https://a.com/v1",
        "http://evil.org/a.com", "https://gpu-1:8000/v10", "https://gpu-1:8000/", "https://gpu-1:8000/v1/../admin",
        "https://gpu-1:8000/v1/%2e%2e/admin", "https://gpu-1:8000/v2/../v1/../v3", "http://a.com@evil.org/",
        "https://gpu-1/v1", "ftp://a.com/")) {
      assertThat(access.urlProblem(refused)).as(refused).isNotNull();
    }
    assertThat(access.urlProblem("https://gpu-1:8000/v10")).contains("not under an endpoint URL this node allows")
        .contains("https://gpu-1:8000/v1").contains("http://a.com:80");
    assertThat(NodeAccess.none().urlProblem("http://a.com/v1")).contains("--allow-endpoint");
    assertThatThrownBy(() -> access(List.of("gpu-1:8000"), List.of())).hasMessageContaining("--allow-endpoint gpu-1:8000");
  }

  @Test
  void aPathMustLieInAnAllowedDirectoryAfterItsLinksAreResolved() throws Exception {
    Path allowed = Files.createDirectories(temp.resolve("allowed"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path secret = Files.writeString(outside.resolve("secret.txt"), "x");
    Files.writeString(allowed.resolve("model.gguf"), "x");
    Files.createSymbolicLink(allowed.resolve("link.gguf"), secret);
    Files.createSymbolicLink(allowed.resolve("out"), outside);
    Path templates = Files.createDirectories(allowed.resolve("templates"));
    Files.writeString(templates.resolve("user.txt"), "x");
    Path linked = Files.createDirectories(allowed.resolve("linked-templates"));
    Files.createSymbolicLink(linked.resolve("system.txt"), secret);
    NodeAccess access = access(List.of(), List.of(allowed.toString()));

    assertThat(access.pathProblem(allowed.resolve("model.gguf").toString(), false)).isNull();
    assertThat(access.pathProblem(templates.toString(), true)).isNull();
    assertThat(access.pathProblem(allowed + "/templates/../model.gguf", false)).isNull();
    assertThat(access.pathProblem(secret.toString(), false)).contains("is outside the directories this node allows");
    assertThat(access.pathProblem(allowed + "/../outside/secret.txt", false)).contains("is outside");
    assertThat(access.pathProblem(allowed.resolve("link.gguf").toString(), false)).contains("through a link");
    assertThat(access.pathProblem(allowed.resolve("out/secret.txt").toString(), false)).contains("through a link");
    assertThat(access.pathProblem(allowed.resolve("out").toString(), true)).contains("through a link");
    assertThat(access.pathProblem(linked.toString(), true)).contains("holds system.txt, which leads outside");
    assertThat(access.pathProblem(allowed.resolve("none.gguf").toString(), false)).contains("no file");
    assertThat(access.pathProblem(templates.toString(), false)).contains("is not a file");
    // Whether a file outside exists is not told: the same answer as for one that does.
    assertThat(access.pathProblem(outside.resolve("nothing-here").toString(), false))
        .isEqualTo(access.pathProblem(outside.resolve("nothing-here").toString(), false))
        .contains("is outside");
    assertThat(NodeAccess.none().pathProblem(allowed.toString(), true)).contains("--allow-dir");
    assertThatThrownBy(() -> access(List.of(), List.of(temp.resolve("missing").toString())))
        .hasMessageContaining("--allow-dir").hasMessageContaining("no such directory");
  }
}
