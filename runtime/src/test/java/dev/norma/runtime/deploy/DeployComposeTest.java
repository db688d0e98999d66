package dev.norma.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The local cluster's compose file, checked by parsing it (no container engine runs here): three
 * nodes that find each other and the database, with the variables {@code norma node} reads.
 */
class DeployComposeTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Set<String> NODE_VARIABLES = Set.of("NORMA_HOST", "NORMA_PORT", "NORMA_HTTP_PORT",
      "NORMA_SEED_NODES", "NORMA_DB_URL", "NORMA_DB_USER", "NORMA_DB_PASSWORD", "NORMA_TOKEN", "NORMA_DATA",
      "NORMA_SBR_STABLE_AFTER", "NORMA_HEARTBEAT_PAUSE", "NORMA_LOG_LEVEL", "NORMA_METRICS_PORT", "JAVA_TOOL_OPTIONS");

  @SuppressWarnings("unchecked")
  @Test
  void threeNodesJoinTheFirstAndShareThePostgresJournal() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(DEPLOY.resolve("docker-compose.yml")));
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKeys("postgres", "node1", "node2", "node3");
    Map<String, Object> postgres = (Map<String, Object>) services.get("postgres");
    Map<String, String> postgresEnv = (Map<String, String>) postgres.get("environment");

    for (String name : List.of("node1", "node2", "node3")) {
      Map<String, Object> node = (Map<String, Object>) services.get(name);
      Map<String, Object> env = (Map<String, Object>) node.get("environment");
      assertThat(NODE_VARIABLES).as(name + " sets only variables the node reads").containsAll(env.keySet());
      assertThat(env.get("NORMA_HOST")).isEqualTo(name);
      String seed = (String) env.get("NORMA_SEED_NODES");
      String seedService = seed.substring(0, seed.indexOf(':'));
      assertThat(services).as("the seed node is a service").containsKey(seedService);
      assertThat(seed.substring(seed.indexOf(':') + 1)).isEqualTo(env.get("NORMA_PORT"));
      assertThat((String) env.get("NORMA_DB_URL")).startsWith("jdbc:postgresql://postgres:5432/"
          + postgresEnv.get("POSTGRES_DB"));
      assertThat(env.get("NORMA_DB_USER")).isEqualTo(postgresEnv.get("POSTGRES_USER"));
      assertThat(env.get("NORMA_DB_PASSWORD")).isEqualTo(postgresEnv.get("POSTGRES_PASSWORD"));
      List<String> ports = (List<String>) node.get("ports");
      assertThat(ports).singleElement().asString().endsWith(":" + env.get("NORMA_HTTP_PORT"));
      Map<String, Object> build = (Map<String, Object>) node.get("build");
      assertThat(DEPLOY.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"))).exists();
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void prometheusScrapesEveryNodeAndGrafanaShowsTheDashboard() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(DEPLOY.resolve("docker-compose.yml")));
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    Set<String> nodes = new java.util.TreeSet<>();
    for (String name : List.of("node1", "node2", "node3")) {
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(name)).get("environment");
      nodes.add(name + ":" + env.get("NORMA_METRICS_PORT"));
    }
    Map<String, Object> prometheus = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/prometheus.yml")));
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
    Map<String, Object> nodeJob = jobs.stream().filter(j -> "norma-nodes".equals(j.get("job_name"))).findFirst()
        .orElseThrow();
    List<Map<String, Object>> targets = (List<Map<String, Object>>) nodeJob.get("static_configs");
    assertThat((List<String>) targets.get(0).get("targets")).containsExactlyInAnyOrderElementsOf(nodes);

    // Every file compose mounts exists, and each service finds it where it looks.
    Map<String, String> mounts = new java.util.HashMap<>();
    for (String service : List.of("prometheus", "grafana")) {
      for (String volume : (List<String>) ((Map<String, Object>) services.get(service)).get("volumes")) {
        String[] parts = volume.split(":");
        assertThat(DEPLOY.resolve(parts[0])).as(volume).exists();
        mounts.put(parts[1], parts[0]);
      }
    }
    for (String rules : (List<String>) prometheus.get("rule_files")) {
      assertThat(mounts).containsKey("/etc/prometheus/" + rules);
    }
    Map<String, Object> provider = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) new Yaml().load(
        Files.readString(DEPLOY.resolve("grafana/provisioning/dashboards/norma.yml")))).get("providers")).get(0);
    String dashboards = (String) ((Map<String, Object>) provider.get("options")).get("path");
    for (String dashboard : List.of("norma-dashboard.json", "norma-science-dashboard.json")) {
      assertThat(mounts).containsEntry(dashboards + "/" + dashboard, "./grafana/" + dashboard);
    }
    Map<String, Object> datasource = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) new Yaml().load(
        Files.readString(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")))).get("datasources")).get(0);
    assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
    assertThat((List<String>) ((Map<String, Object>) services.get("prometheus")).get("ports")).contains("9090:9090");
  }

  @Test
  void theImageRunsTheRuntimeJarThatTheBuildProduces() throws Exception {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertThat(dockerfile).contains("COPY runtime/target/norma-runtime.jar").contains("COPY runtime/target/lib")
        .contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/norma/norma-runtime.jar\"]");
    String runtimePom = Files.readString(Path.of("pom.xml"));
    assertThat(runtimePom).contains("<finalName>norma-runtime</finalName>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
  }
}
