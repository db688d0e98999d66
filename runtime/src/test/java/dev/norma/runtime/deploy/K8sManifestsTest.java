package dev.norma.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.node.NormaNode;
import dev.norma.runtime.study.JournalDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in {@code k8s/}, checked without a cluster: the base's files as they
 * are, and every overlay as {@code kubectl kustomize} renders it (when kubectl is on the PATH).
 * What is checked is what the node's code and configuration expect of its pods: discovery finds
 * them by label and by the port named {@code management}, the probes ask management's health
 * paths, every variable set is one the node reads, and secrets only come from the Secret whose
 * keys k8s/README.md documents. Schema validation is {@code k8s/validate.sh}.
 */
class K8sManifestsTest {
  private static final Path K8S = Path.of("..", "k8s");
  private static final Path RESOURCES = Path.of("src", "main", "resources");
  private static final Path NODE_COMMAND = Path.of("src", "main", "java", "dev", "norma", "runtime", "cli",
      "NodeCommand.java");
  /** Where {@code norma node --db-url} reads the server's user and password ({@code JournalDatabase.at}). */
  private static final Path JOURNAL_DATABASE = Path.of("src", "main", "java", "dev", "norma", "runtime", "study",
      "JournalDatabase.java");

  @TempDir
  Path temp;

  @Test
  void theBaseRunsNodesThatFindEachOtherThroughTheKubernetesApi() throws Exception {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
      for (Path file : files.filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).toList()) {
        objects.addAll(parse(Files.readString(file)));
      }
    }
    checkNodes(objects);
  }

  @Test
  void everyOverlayRendersNodesThatFindEachOther() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH");
    List<Path> overlays;
    try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
      overlays = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(overlays).isNotEmpty();
    for (Path overlay : overlays) {
      List<Map<String, Object>> objects = parse(render(kubectl.get(), overlay));
      checkNodes(objects);
      assertThat(objects).as(overlay + ": secrets are created per namespace, never rendered")
          .noneMatch(o -> "Secret".equals(o.get("kind")));
      String namespace = (String) metadata(find(objects, "Deployment", "norma")).get("namespace");
      Map<String, Object> binding = find(objects, "RoleBinding", "norma-pod-reader");
      assertThat(at(binding, "subjects", 0, "namespace")).as("the role is bound where the pods run").isEqualTo(namespace);
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void theLocalOverlayRunsTheImageThatComposeBuilds() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH");
    List<Map<String, Object>> objects = parse(render(kubectl.get(), K8S.resolve("overlays").resolve("local")));
    Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("..", "deploy", "docker-compose.yml")));
    String composeImage = (String) ((Map<String, Object>) compose.get("x-node")).get("image");
    Map<String, Object> deployment = find(objects, "Deployment", "norma");
    assertThat(container(deployment).get("image")).isEqualTo(composeImage);
    int replicas = (Integer) ((Map<String, Object>) deployment.get("spec")).get("replicas");
    assertThat(replicas).as("an odd number of nodes keeps a majority after one is lost").isOdd();
    assertThat(Integer.parseInt((String) env(deployment).get("NORMA_REQUIRED_CONTACT_POINTS")))
        .as("the first cluster can form").isLessThanOrEqualTo(replicas);
    // The in-cluster database is the one README's secret points at.
    Map<String, Object> postgres = find(objects, "Service", "norma-postgres");
    String readme = Files.readString(K8S.resolve("README.md"));
    assertThat(readme).contains("jdbc:postgresql://" + metadata(postgres).get("name") + ":5432/norma");
  }

  @Test
  void thePodMonitorScrapesThePortPrometheusIsToldOf() throws Exception {
    Path component = K8S.resolve("components").resolve("prometheus-operator");
    Map<String, Object> monitor = parse(Files.readString(component.resolve("podmonitor.yaml"))).get(0);
    Map<String, Object> deployment = parse(Files.readString(K8S.resolve("base").resolve("deployment.yaml"))).get(0);
    assertThat(at(monitor, "spec", "podMetricsEndpoints", 0, "port")).isEqualTo("metrics");
    assertThat(containerPort(deployment, "metrics")).isEqualTo(Integer.parseInt((String) env(deployment).get("NORMA_METRICS_PORT")));
    assertThat(podLabels(deployment)).containsAllEntriesOf(matchLabels(at(monitor, "spec", "selector")));
  }

  /** The invariants every rendering of the nodes keeps. */
  @SuppressWarnings("unchecked")
  private void checkNodes(List<Map<String, Object>> objects) throws IOException {
    Map<String, Object> deployment = find(objects, "Deployment", "norma");
    Map<String, String> labels = podLabels(deployment);
    Map<String, Object> env = env(deployment);
    assertThat(labels).containsAllEntriesOf(matchLabels(at(deployment, "spec", "selector")));

    // Discovery, as the node configures it from these variables.
    assertThat(env.get("NORMA_DISCOVERY")).isEqualTo(NormaNode.KUBERNETES_API);
    String service = (String) env.get("NORMA_SERVICE_NAME");
    int managementPort = Integer.parseInt((String) env.get("NORMA_MANAGEMENT_PORT"));
    Config config = NormaNode.config(new NormaNode.Settings("10.0.0.1", 2552, 8558, List.of(), temp, null,
        JournalDatabase.h2(temp.resolve("journal")), new NormaNode.Discovery(NormaNode.KUBERNETES_API, service,
        managementPort, Integer.parseInt((String) env.get("NORMA_REQUIRED_CONTACT_POINTS")))), ConfigFactory.load());
    String[] selector = config.getString("pekko.discovery.kubernetes-api.pod-label-selector")
        .formatted(service).split("=");
    assertThat(labels).as("discovery's label selector finds the pods").containsEntry(selector[0], selector[1]);
    String portName = config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
    assertThat(containerPort(deployment, portName)).as("the contact point is the port named " + portName)
        .isEqualTo(managementPort);

    // Probes on management's health checks.
    Map<String, Object> container = container(deployment);
    String ready = "/" + config.getString("pekko.management.health-checks.readiness-path");
    String alive = "/" + config.getString("pekko.management.health-checks.liveness-path");
    assertThat(at(container, "readinessProbe", "httpGet")).isEqualTo(Map.of("path", ready, "port", portName));
    assertThat(at(container, "livenessProbe", "httpGet")).isEqualTo(Map.of("path", alive, "port", portName));
    if (container.containsKey("startupProbe")) {
      assertThat(at(container, "startupProbe", "httpGet")).isEqualTo(Map.of("path", alive, "port", portName));
    }

    // The HTTP API's Service, and the metrics port Prometheus is told of.
    assertThat(containerPort(deployment, "http")).isEqualTo(Integer.parseInt((String) env.get("NORMA_HTTP_PORT")));
    Map<String, Object> api = find(objects, "Service", service);
    assertThat(labels).containsAllEntriesOf((Map<String, String>) at(api, "spec", "selector"));
    assertThat(at(api, "spec", "ports", 0, "targetPort")).isEqualTo("http");
    Map<String, Object> annotations = (Map<String, Object>) at(deployment, "spec", "template", "metadata", "annotations");
    assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", env.get("NORMA_METRICS_PORT"));
    assertThat(containerPort(deployment, "metrics")).isEqualTo(Integer.parseInt((String) env.get("NORMA_METRICS_PORT")));

    // Discovery's right to list pods, for the pods' service account.
    String account = (String) at(deployment, "spec", "template", "spec", "serviceAccountName");
    find(objects, "ServiceAccount", account);
    Map<String, Object> binding = objects.stream().filter(o -> "RoleBinding".equals(o.get("kind")))
        .filter(o -> account.equals(at(o, "subjects", 0, "name"))).findFirst().orElseThrow();
    Map<String, Object> role = find(objects, "Role", (String) at(binding, "roleRef", "name"));
    assertThat((List<Map<String, Object>>) role.get("rules")).anySatisfy(rule -> {
      assertThat((List<String>) rule.get("resources")).contains("pods");
      assertThat((List<String>) rule.get("verbs")).contains("get", "watch", "list");
    });

    // Variables the node reads, secrets from the documented Secret, a bounded and graceful JVM.
    assertThat(variablesTheNodeReads()).containsAll(env.keySet());
    Set<String> documented = documentedSecretKeys();
    for (String name : List.of("NORMA_DB_URL", "NORMA_DB_USER", "NORMA_DB_PASSWORD", "NORMA_TOKEN")) {
      Map<String, Object> ref = (Map<String, Object>) at(container, "env", entry(container, name), "valueFrom",
          "secretKeyRef");
      assertThat(ref).as(name + " comes from a Secret").isNotNull();
      assertThat(documented).as("k8s/README.md documents the Secret's key for " + name).contains(
          ref.get("name") + "/" + ref.get("key"));
    }
    assertThat((String) env.get("JAVA_TOOL_OPTIONS")).contains("MaxRAMPercentage");
    assertThat(at(container, "resources", "limits", "memory")).isNotNull();
    assertThat(at(container, "resources", "requests", "cpu")).isNotNull();
    assertThat((Integer) at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"))
        .isGreaterThanOrEqualTo(30);
    Map<String, Object> budget = objects.stream().filter(o -> "PodDisruptionBudget".equals(o.get("kind")))
        .findFirst().orElseThrow();
    assertThat(labels).containsAllEntriesOf(matchLabels(at(budget, "spec", "selector")));
  }

  /** {@code NORMA_*} variables of {@code norma node}'s options (its journal database's included), of the configuration files, and the JVM's. */
  private static Set<String> variablesTheNodeReads() throws IOException {
    Set<String> names = new TreeSet<>(Set.of("JAVA_TOOL_OPTIONS"));
    Pattern read = Pattern.compile("env:(NORMA_\\w+)|envOr\\(\"(NORMA_\\w+)\"|\\$\\{\\?(NORMA_\\w+)}");
    List<Path> sources = new ArrayList<>(List.of(NODE_COMMAND, JOURNAL_DATABASE));
    try (Stream<Path> conf = Files.list(RESOURCES)) {
      conf.filter(f -> f.toString().endsWith(".conf")).forEach(sources::add);
    }
    for (Path source : sources) {
      Matcher matcher = read.matcher(Files.readString(source));
      while (matcher.find()) {
        for (int group = 1; group <= 3; group++) {
          if (matcher.group(group) != null) {
            names.add(matcher.group(group));
          }
        }
      }
    }
    return names;
  }

  /** {@code secret/key} of every {@code --from-literal=key=} in the README's {@code kubectl create secret} command. */
  private static Set<String> documentedSecretKeys() throws IOException {
    Matcher command = Pattern.compile("kubectl (?:-n \\S+ )?create secret generic (\\S+)((?:\\\\\\n|[^\\n])*)")
        .matcher(Files.readString(K8S.resolve("README.md")));
    Set<String> keys = new TreeSet<>();
    while (command.find()) {
      Matcher literal = Pattern.compile("--from-literal=([\\w-]+)=").matcher(command.group(2));
      while (literal.find()) {
        keys.add(command.group(1) + "/" + literal.group(1));
      }
    }
    return keys;
  }

  private static String render(Path kubectl, Path kustomization) throws Exception {
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString()).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static Optional<Path> onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> parse(String yaml) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml().loadAll(yaml)) {
      if (document != null) {
        objects.add((Map<String, Object>) document);
      }
    }
    return objects;
  }

  private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(metadata(o).get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  /** The value at a path of map keys and list indexes, or null. */
  @SuppressWarnings("unchecked")
  private static Object at(Object node, Object... path) {
    for (Object step : path) {
      if (node instanceof Map<?, ?> map) {
        node = map.get(step);
      } else if (node instanceof List<?> list && step instanceof Integer index && index < list.size()) {
        node = list.get(index);
      } else {
        return null;
      }
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> matchLabels(Object selector) {
    return (Map<String, String>) at(selector, "matchLabels");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> podLabels(Map<String, Object> deployment) {
    return (Map<String, String>) at(deployment, "spec", "template", "metadata", "labels");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> deployment) {
    List<Map<String, Object>> containers = (List<Map<String, Object>>) at(deployment, "spec", "template", "spec",
        "containers");
    return containers.stream().filter(c -> "norma".equals(c.get("name"))).findFirst().orElseThrow();
  }

  /** The container's variables: a literal value, or the {@code valueFrom} map. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Object> deployment) {
    Map<String, Object> env = new HashMap<>();
    for (Map<String, Object> variable : (List<Map<String, Object>>) container(deployment).get("env")) {
      env.put((String) variable.get("name"), variable.containsKey("value") ? variable.get("value")
          : variable.get("valueFrom"));
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static int entry(Map<String, Object> container, String variable) {
    List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
    for (int i = 0; i < env.size(); i++) {
      if (variable.equals(env.get(i).get("name"))) {
        return i;
      }
    }
    throw new AssertionError("no variable " + variable);
  }

  @SuppressWarnings("unchecked")
  private static Integer containerPort(Map<String, Object> deployment, String name) {
    for (Map<String, Object> port : (List<Map<String, Object>>) container(deployment).get("ports")) {
      if (name.equals(port.get("name"))) {
        return (Integer) port.get("containerPort");
      }
    }
    return null;
  }
}
