package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.node.NormaNode;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.testing.MetricsScrapes;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus rules in {@code deploy/} ask only for metrics Norma
 * really exports: every metric a panel or a rule names is in the scrape of a language-model study
 * ({@code norma run --metrics-port}) or of a node ({@code norma node --metrics-port}), or is
 * recorded by a rule. With promtool on the PATH, every query and rule also parses.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardQueriesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  /** The dashboard of runs and nodes, and the one of the conventions of running studies. */
  private static final List<Path> DASHBOARDS = List.of(DEPLOY.resolve("grafana").resolve("norma-dashboard.json"),
      DEPLOY.resolve("grafana").resolve("norma-science-dashboard.json"));
  private static final Path RULES = DEPLOY.resolve("prometheus").resolve("rules.yml");
  /** Values for the dashboard's variables, as Grafana would substitute them. */
  private static final Map<String, String> VARIABLES = Map.of("__rate_interval", "1m", "endpoint", ".*", "run", ".*");
  private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
  /** Prometheus' own series about its targets. */
  private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  @TempDir
  Path temp;

  /** A panel's query. */
  private record Query(String panel, String expr) {
  }

  @Test
  void everyPanelAndRuleNamesOnlyMetricsThatAreExported() throws Exception {
    String studyScrape = MetricsScrapes.afterALanguageModelStudy(temp.resolve("run"));
    Set<String> exported = new TreeSet<>(metricNames(studyScrape));
    // Shares by rank: three series whatever names the study made, never one a name.
    assertThat(studyScrape.lines().filter(line -> line.startsWith("norma_population_share{")))
        .extracting(line -> line.replaceAll(".*rank=\"(\\w+)\".*", "$1"))
        .containsExactlyInAnyOrder("first", "second", "third");
    exported.addAll(metricNames(scrapeOfANode()));
    Set<String> known = new TreeSet<>(exported);
    known.addAll(recordedNames());
    known.addAll(PROMETHEUS_SERIES);

    List<Query> queries = dashboardQueries();
    Set<String> used = new TreeSet<>();
    for (Query query : queries) {
      Set<String> names = metricsIn(query.expr());
      assertThat(names).as(query.panel() + ": " + query.expr()).isNotEmpty();
      assertThat(known).as(query.panel() + ": " + query.expr()).containsAll(names);
      used.addAll(names);
    }
    for (String expr : ruleExpressions()) {
      assertThat(known).as("rules.yml: " + expr).containsAll(metricsIn(expr));
    }
    // The dashboard covers the population, the gateway, the cluster and the JVM.
    assertThat(used).contains("norma_interactions", "norma_population_success_rate", "norma_population_top_share",
        "norma_llm_requests_total", "norma_llm_tokens_total", "norma_llm_latency_seconds_bucket",
        "norma_llm_in_flight", "norma_llm_concurrency_limit", "norma_llm_queued", "norma_llm_errors_total",
        "norma_llm_retries_total", "norma_cluster_members", "jvm_memory_used_bytes", "norma_population_share",
        "norma_population_committed_share", "norma_population_entropy", "norma_population_distinct_names");
  }

  @Test
  void everyQueryAndRuleParsesAndTheConfigIsValid() throws Exception {
    Optional<Path> promtool = onPath("promtool");
    assumeTrue(promtool.isPresent(), "promtool is not on the PATH");
    // Each panel's query as a recording rule: promtool parses every expression.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    List<Query> queries = dashboardQueries();
    for (int i = 0; i < queries.size(); i++) {
      rules.append("      - record: dashboard_query_").append(i).append("\n        expr: '")
          .append(queries.get(i).expr().replace("'", "''")).append("'\n");
    }
    Path dashboardRules = temp.resolve("dashboard-rules.yml");
    Files.writeString(dashboardRules, rules.toString());
    assertThat(run(promtool.get().toString(), "check", "rules", dashboardRules.toString(), RULES.toString()))
        .contains("SUCCESS: " + queries.size() + " rules found");
    assertThat(run(promtool.get().toString(), "check", "config",
        DEPLOY.resolve("prometheus").resolve("prometheus.yml").toString())).contains("is valid");
  }

  @Test
  void everyPanelHasAQueryOnTheChosenDatasourceAndItsOwnPlace() throws Exception {
    for (Path file : DASHBOARDS) {
      panelsHaveQueriesAndPlaces(new ObjectMapper().readTree(file.toFile()));
    }
  }

  private static void panelsHaveQueriesAndPlaces(JsonNode dashboard) {
    Set<String> variables = new HashSet<>(Set.of("__rate_interval", "__interval"));
    dashboard.path("templating").path("list").forEach(variable -> variables.add(variable.path("name").asText()));
    assertThat(variables).contains("datasource");
    Set<Integer> ids = new HashSet<>();
    Set<String> places = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      JsonNode place = panel.path("gridPos");
      assertThat(places.add(place.path("x").asInt() + "," + place.path("y").asInt()))
          .as(panel.path("title").asText() + " has a place of its own").isTrue();
      if ("row".equals(panel.path("type").asText())) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        Matcher variable = Pattern.compile("\\$\\{?(\\w+)").matcher(target.path("expr").asText());
        while (variable.find()) {
          assertThat(variables).as(panel.path("title").asText()).contains(variable.group(1));
        }
      }
    }
  }

  private static List<Query> dashboardQueries() throws Exception {
    List<Query> queries = new ArrayList<>();
    for (Path file : DASHBOARDS) {
      queries.addAll(dashboardQueries(new ObjectMapper().readTree(file.toFile())));
    }
    return queries;
  }

  private static List<Query> dashboardQueries(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
          expr = expr.replace("${" + variable.getKey() + "}", variable.getValue())
              .replace("$" + variable.getKey(), variable.getValue());
        }
        queries.add(new Query(panel.path("title").asText(), expr));
      }
    }
    return queries;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() throws Exception {
    Map<String, Object> file = new Yaml().load(Files.readString(RULES));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  private static Set<String> recordedNames() throws Exception {
    Set<String> names = new TreeSet<>();
    rules().stream().filter(rule -> rule.containsKey("record")).forEach(rule -> names.add((String) rule.get("record")));
    return names;
  }

  private static List<String> ruleExpressions() throws Exception {
    return rules().stream().map(rule -> (String) rule.get("expr")).toList();
  }

  /** The metric names a PromQL expression selects: not functions, keywords, labels or durations. */
  static Set<String> metricsIn(String expr) {
    String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*}", "")
        .replaceAll("\\[[^]]*]", "")
        .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher identifier = Pattern.compile("(?<![\\w.])([a-zA-Z_:][\\w:]*+)(?!\\s*\\()").matcher(bare);
    while (identifier.find()) {
      if (!PROMQL_WORDS.contains(identifier.group(1).toLowerCase())) {
        names.add(identifier.group(1));
      }
    }
    return names;
  }

  private static Set<String> metricNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /** The scrape of a one-node cluster's {@code norma node --metrics-port}, once a collection was counted. */
  private String scrapeOfANode() throws Exception {
    try (NormaNode node = NormaNode.start(new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), temp.resolve("node"),
        null, JournalDatabase.h2(temp.resolve("journal")), null, new NormaNode.Metrics("127.0.0.1", 0)))) {
      URI metrics = URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics");
      // The GC pause timer appears with the first collection after the meters were bound.
      System.gc();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      String scrape = get(metrics);
      while (Instant.now().isBefore(deadline)
          && !(scrape.contains("jvm_gc_pause_seconds_sum") && scrape.contains("norma_cluster_members{status=\"up\"} 1"))) {
        Thread.sleep(100);
        scrape = get(metrics);
      }
      return scrape;
    }
  }

  private static String get(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static Optional<Path> onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
  }
}
