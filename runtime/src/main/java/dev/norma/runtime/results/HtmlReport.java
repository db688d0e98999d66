package dev.norma.runtime.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.agents.measure.CollectiveBias;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code report.html}: a run's or a sweep's figures in one self-contained page. The plotting
 * library (Apache ECharts, Apache-2.0, its licence header kept) is read from its webjar on the
 * class path and inlined, and the figures go in as JSON, so the page needs no network to open.
 * Charts use ECharts' SVG renderer; the page counts charts drawn in
 * {@code document.body.dataset.rendered} (of {@code dataset.charts}) and script errors in
 * {@code dataset.errors}, for a headless browser to check.
 */
public final class HtmlReport {
  public static final String FILE = "report.html";
  private static final String WEBJAR = "META-INF/resources/webjars/echarts/";
  private static final String[] PALETTE = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile String library;

  private HtmlReport() {
  }

  /** Writes {@code DIR/report.html} for the run or sweep in {@code dir} (x path: the first varied). */
  public static Path write(Path dir) throws IOException {
    return write(dir, null);
  }

  /**
   * Writes {@code DIR/report.html}: a sweep's when {@code dir} holds {@code sweep.json}, else a run's.
   *
   * @param xPath a sweep's x axis (a varied path), or null for the first varied path
   */
  public static Path write(Path dir, String xPath) throws IOException {
    String page = Files.isRegularFile(dir.resolve("sweep.json")) ? sweepPage(dir, xPath) : runPage(dir);
    Path file = dir.resolve(FILE);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, page, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static String runPage(Path dir) throws IOException {
    RunFigures.RunFiles files = RunFigures.RunFiles.read(dir);
    Summary summary = files.summary();
    String title = summary == null ? "Run " + dir.getFileName() : summary.name() + " (seed " + summary.seed() + ")";
    StringBuilder body = new StringBuilder();
    body.append("<p>").append(summary == null ? "No summary.json: the run has not finished; the figures show"
        + " the rounds written so far." : escape(outcome(summary))).append("</p>\n");
    if (summary != null) {
      body.append(keyValues(runFacts(summary)));
    }
    return page(title, RunFigures.of(files), body.toString(), "");
  }

  private static String outcome(Summary s) {
    return s.game() + " · " + s.policy() + " policy · N = " + s.populationSize() + " · " + s.populationRounds()
        + " population rounds · " + s.status().wireName() + " (" + s.stopReason() + ")"
        + (s.winner() != null ? " · converged on " + s.winner() + " at round " + s.convergenceRound() : "")
        + (Boolean.TRUE.equals(s.flipped()) ? " · flipped at round " + s.flipRound() : "");
  }

  private static Map<String, Object> runFacts(Summary s) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("interactions", s.interactions());
    facts.put("committed agents", s.committedCount());
    facts.put("invalid interactions", s.invalidInteractions());
    facts.put("wall seconds", String.format(java.util.Locale.ROOT, "%.2f", s.wallSeconds()));
    if (s.parameters() != null) {
      JSON.<Map<String, Object>>convertValue(s.parameters(),
              new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { })
          .forEach((key, value) -> facts.put(key, value));
    }
    s.measures().forEach(facts::put);
    return facts;
  }

  private static String sweepPage(Path dir, String xPath) throws IOException {
    JsonNode manifest = JSON.readTree(dir.resolve("sweep.json").toFile());
    Path runsFile = dir.resolve("runs.csv");
    if (!Files.isRegularFile(runsFile)) {
      throw new IOException(dir + " holds sweep.json but no runs.csv");
    }
    Csv.Table runs = Csv.read(runsFile);
    SweepFigures.Sweep sweep = SweepFigures.sweep(manifest, runs, xPath);
    Path spec = dir.resolve("spec.yaml");
    Map<String, Long> probe = probeCounts(dir);
    List<SweepFigures.PointBias> bias;
    try {
      bias = SweepFigures.biasByPoint(sweep, overrides -> priorAt(spec, overrides, probe));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    String name = manifest.path("name").asText(dir.getFileName().toString());
    StringBuilder body = new StringBuilder();
    body.append("<p>").append(escape(sweep.completed().size() + " completed runs of " + runs.rows().size()
        + "; varied: " + (SweepFigures.variedPaths(manifest).isEmpty() ? "nothing (replicates of the base spec)"
        : String.join(", ", SweepFigures.variedPaths(manifest))) + "; replicates: "
        + manifest.path("replicates").asText("?") + "; seed: " + manifest.path("seed").asText("?")))
        .append("</p>\n");
    String table = biasTable(bias) + "<h2>Every run</h2>\n" + runsTable(dir, runs);
    List<dev.norma.agents.game.FigureGroup> groups = SweepFigures.gameGroups(RunFigures.RunFiles.gameOf(spec),
        SweepFigures.inRunOrder(runs.header(), firstRoundsHeader(dir, sweep)));
    return page("Sweep " + name, SweepFigures.of(sweep, bias, groups), body.toString(), table);
  }

  /**
   * The header of the first completed run's {@code rounds.csv} (its columns in the game's order,
   * which {@code runs.csv} sorts); empty when there is none to read.
   */
  private static List<String> firstRoundsHeader(Path dir, SweepFigures.Sweep sweep) throws IOException {
    for (Map<String, String> row : sweep.completed()) {
      Path rounds = dir.resolve("runs").resolve(String.valueOf(row.get("run"))).resolve("rounds.csv");
      if (Files.isRegularFile(rounds)) {
        try (var lines = Files.lines(rounds)) {
          return lines.findFirst().map(line -> List.of(line.split(","))).orElse(List.of());
        }
      }
    }
    return List.of();
  }

  /** The individual prior at a sweep point: the base spec with the point's overrides; null without a spec. */
  private static SweepFigures.Prior priorAt(Path spec, List<String> overrides, Map<String, Long> probe) {
    if (!Files.isRegularFile(spec)) {
      return null;
    }
    try {
      return SweepFigures.prior(SpecLoader.load(spec, overrides).resolved(), probe);
    } catch (SpecException e) {
      throw new UncheckedIOException(new IOException("cannot read the sweep's base spec " + spec + " at "
          + String.join(", ", overrides) + ": " + String.join("; ", e.problems())));
    }
  }

  /** Each sweep point's winners and their test against its individual prior. */
  private static String biasTable(List<SweepFigures.PointBias> points) {
    if (points.stream().noneMatch(point -> point.decided() > 0)) {
      return "";
    }
    StringBuilder b = new StringBuilder("<h2>Collective bias by sweep point</h2>\n<div class=\"table\"><table>\n"
        + "<thead><tr><th>point</th><th>runs with a winner</th><th>winners</th><th>individual prior</th>"
        + "<th>\u03c7\u00b2</th><th>d.f.</th><th>p</th><th>winners' entropy (bits)</th>"
        + "<th>divergence from the prior (bits)</th></tr></thead>\n<tbody>\n");
    for (SweepFigures.PointBias point : points) {
      StringBuilder winners = new StringBuilder();
      point.wins().forEach((winner, count) -> {
        if (count > 0) {
          winners.append(winners.length() == 0 ? "" : ", ").append(winner).append(": ").append(count);
        }
      });
      CollectiveBias test = point.test();
      List<String> cells = new ArrayList<>(List.of(point.label(), Long.toString(point.decided()), winners.toString(),
          point.prior() == null ? "none (invented names)" : point.prior().source()));
      if (test == null) {
        cells.addAll(List.of("", "", "", "", ""));
      } else {
        cells.add(String.format(Locale.ROOT, "%.2f", test.test().statistic()));
        cells.add(Integer.toString(test.test().degreesOfFreedom()));
        cells.add(String.format(Locale.ROOT, "%.3g", test.test().pValue())
            + (test.minExpected() < 5 ? " (expected counts below 5)" : ""));
        cells.add(String.format(Locale.ROOT, "%.2f", test.entropyBits()));
        cells.add(String.format(Locale.ROOT, "%.3f", test.klBits()));
      }
      b.append("<tr>");
      cells.forEach(cell -> b.append("<td>").append(escape(cell)).append("</td>"));
      b.append("</tr>\n");
    }
    return b.append("</tbody></table></div>\n").toString();
  }

  /** The first choices counted by {@code norma probe}, from {@code probe.json} in the sweep or one folder below. */
  static Map<String, Long> probeCounts(Path dir) throws IOException {
    List<Path> candidates = new ArrayList<>();
    candidates.add(dir.resolve("probe.json"));
    try (var entries = Files.list(dir)) {
      entries.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals("runs"))
          .map(d -> d.resolve("probe.json")).sorted().forEach(candidates::add);
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        Map<String, Long> counts = new LinkedHashMap<>();
        JSON.readTree(candidate.toFile()).path("counts").fields()
            .forEachRemaining(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
        return counts;
      }
    }
    return null;
  }

  private static String runsTable(Path dir, Csv.Table runs) {
    StringBuilder b = new StringBuilder("<div class=\"table\"><table>\n<thead><tr>");
    runs.header().forEach(column -> b.append("<th>").append(escape(column)).append("</th>"));
    b.append("</tr></thead>\n<tbody>\n");
    for (Map<String, String> row : runs.rows()) {
      b.append("<tr>");
      for (String column : runs.header()) {
        String cell = row.get(column);
        b.append("<td>");
        if (column.equals("run") && cell != null) {
          Path runDir = dir.resolve("runs").resolve(cell);
          String target = Files.isRegularFile(runDir.resolve(FILE)) ? "runs/" + cell + "/" + FILE : "runs/" + cell + "/";
          b.append("<a href=\"").append(escape(target)).append("\">").append(escape(cell)).append("</a>");
        } else {
          b.append(cell == null ? "" : escape(cell));
        }
        b.append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody></table></div>\n").toString();
  }

  private static String keyValues(Map<String, Object> facts) {
    StringBuilder b = new StringBuilder("<table class=\"facts\">\n");
    facts.forEach((key, value) -> b.append("<tr><th>").append(escape(key)).append("</th><td>")
        .append(escape(String.valueOf(value))).append("</td></tr>\n"));
    return b.append("</table>\n").toString();
  }

  private static String page(String title, List<Figure> figures, String intro, String after) throws IOException {
    ArrayNode charts = JSON.createArrayNode();
    StringBuilder containers = new StringBuilder();
    for (Figure figure : figures) {
      ObjectNode chart = charts.addObject();
      chart.put("id", figure.id());
      chart.set("option", option(figure));
      containers.append("<div class=\"chart\" id=\"").append(escape(figure.id())).append("\"></div>\n");
    }
    String data = JSON.writeValueAsString(charts).replace("</", "<\\/");
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\nbody{font-family:sans-serif;margin:1.5em auto;max-width:1100px;color:#222}"
        + "\n.chart{width:100%;height:380px;margin:1em 0}\ntable{border-collapse:collapse;font-size:13px}"
        + "\nth,td{border:1px solid #ccc;padding:2px 6px;text-align:left}\n.table{overflow-x:auto}\n</style>\n"
        + "</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + intro + containers + after
        + "<p><small>Written by norma report. Plots: Apache ECharts " + escape(libraryVersion())
        + " (Apache License 2.0), inlined.</small></p>\n"
        + "<!-- Apache ECharts. Copyright 2017-2022 The Apache Software Foundation. This product includes"
        + " software developed at The Apache Software Foundation (https://www.apache.org/). -->\n"
        + "<script>\n" + library() + "\n</script>\n"
        + "<script type=\"application/json\" id=\"norma-figures\">" + data + "</script>\n"
        + "<script>\n" + SCRIPT + "</script>\n</body>\n</html>\n";
  }

  /** Draws each figure; error bars are a custom series whose drawing function lives here. */
  private static final String SCRIPT = """
      (function () {
        var body = document.body;
        var errors = 0;
        window.addEventListener('error', function () { body.dataset.errors = ++errors; });
        function errorBars(params, api) {
          var x = api.value(0);
          var low = api.coord([x, api.value(1)]);
          var high = api.coord([x, api.value(2)]);
          var style = {stroke: api.visual('color'), lineWidth: 1.5, fill: null};
          return {type: 'group', children: [
            {type: 'line', shape: {x1: low[0], y1: low[1], x2: high[0], y2: high[1]}, style: style},
            {type: 'line', shape: {x1: low[0] - 4, y1: low[1], x2: low[0] + 4, y2: low[1]}, style: style},
            {type: 'line', shape: {x1: high[0] - 4, y1: high[1], x2: high[0] + 4, y2: high[1]}, style: style}]};
        }
        var figures = JSON.parse(document.getElementById('norma-figures').textContent);
        var drawn = {};
        var count = 0;
        body.dataset.charts = figures.length;
        body.dataset.rendered = 0;
        var charts = figures.map(function (figure) {
          var option = figure.option;
          option.series.forEach(function (series) {
            if (series.renderItem === 'errorBars') { series.renderItem = errorBars; }
          });
          var chart = echarts.init(document.getElementById(figure.id), null, {renderer: 'svg'});
          chart.on('finished', function () {
            if (!drawn[figure.id]) { drawn[figure.id] = true; body.dataset.rendered = ++count; }
          });
          chart.setOption(option);
          return chart;
        });
        window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
      })();
      """;

  static ObjectNode option(Figure figure) {
    ObjectNode option = JSON.createObjectNode();
    option.put("animation", false);
    option.putObject("title").put("text", figure.title()).put("left", "center")
        .putObject("textStyle").put("fontSize", 14);
    boolean box = figure.series().stream().anyMatch(s -> s.kind() == Figure.Kind.BOXPLOT);
    option.putObject("tooltip").put("trigger", box || figure.categories() != null ? "item" : "axis");
    option.putObject("legend").put("top", 26).put("type", "scroll");
    option.putObject("grid").put("top", 70).put("left", 70).put("right", 40).put("bottom", 50);
    ObjectNode x = option.putObject("xAxis");
    x.put("name", figure.xLabel()).put("nameLocation", "middle").put("nameGap", 28);
    if (figure.categories() != null) {
      x.put("type", "category");
      ArrayNode data = x.putArray("data");
      figure.categories().forEach(data::add);
    } else {
      x.put("type", "value").put("min", "dataMin").put("max", "dataMax");
    }
    ObjectNode y = option.putObject("yAxis");
    y.put("type", "value").put("name", figure.yLabel()).put("nameLocation", "middle").put("nameGap", 48);
    if (figure.yMin() != null) {
      y.put("min", figure.yMin());
    }
    if (figure.yMax() != null) {
      y.put("max", figure.yMax());
    }
    ArrayNode series = option.putArray("series");
    for (int i = 0; i < figure.series().size(); i++) {
      Figure.Series s = figure.series().get(i);
      String color = PALETTE[i % PALETTE.length];
      ObjectNode out = series.addObject();
      out.put("name", s.name()).put("color", color);
      ArrayNode data = out.putArray("data");
      switch (s.kind()) {
        case BOXPLOT -> {
          out.put("type", "boxplot");
          for (int p = 0; p < s.y().length; p++) {
            data.addArray().add(s.low()[p]).add(s.q1()[p]).add(s.y()[p]).add(s.q3()[p]).add(s.high()[p]);
          }
        }
        case BAR -> {
          out.put("type", "bar");
          for (double value : s.y()) {
            addNumber(data, value);
          }
        }
        default -> {
          out.put("type", "line").put("showSymbol", s.kind() == Figure.Kind.POINTS || s.x().length <= 60)
              .put("symbolSize", 5);
          if (s.kind() == Figure.Kind.POINTS) {
            out.putObject("lineStyle").put("width", 0);
          }
          for (int p = 0; p < s.x().length; p++) {
            ArrayNode point = data.addArray();
            addNumber(point, s.x()[p]);
            addNumber(point, s.y()[p]);
          }
        }
      }
      if (i == 0 && !figure.markers().isEmpty()) {
        ObjectNode markLine = out.putObject("markLine");
        markLine.put("symbol", "none").put("animation", false);
        markLine.putObject("lineStyle").put("type", "dashed").put("color", "#444");
        ArrayNode lines = markLine.putArray("data");
        for (Figure.Marker marker : figure.markers()) {
          ObjectNode line = lines.addObject();
          line.put("xAxis", marker.x());
          line.putObject("label").put("formatter", marker.label() + " (round " + (long) marker.x() + ")")
              .put("position", "insideEndTop");
        }
      }
      if (s.hasIntervals() && s.kind() != Figure.Kind.BOXPLOT) {
        ObjectNode bars = series.addObject();
        bars.put("type", "custom").put("name", s.name()).put("color", color).put("renderItem", "errorBars")
            .put("z", 5);
        bars.putObject("encode").put("x", 0).putArray("y").add(1).add(2);
        ArrayNode points = bars.putArray("data");
        for (int p = 0; p < s.x().length; p++) {
          if (!Double.isNaN(s.low()[p]) && !Double.isNaN(s.high()[p])) {
            points.addArray().add(s.x()[p]).add(s.low()[p]).add(s.high()[p]);
          }
        }
      }
    }
    return option;
  }

  /** A number, or an empty point ({@code "-"} to ECharts) when there is none. */
  private static void addNumber(ArrayNode array, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      array.add("-");
    } else {
      array.add(value);
    }
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** ECharts' minified build, read once from its webjar; its Apache licence header comes with it. */
  static String library() throws IOException {
    String js = library;
    if (js == null) {
      try (InputStream in = resource(WEBJAR + libraryVersion() + "/dist/echarts.min.js")) {
        js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      library = js;
    }
    return js;
  }

  static String libraryVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
      properties.load(in);
    }
    return properties.getProperty("version");
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("the plotting library is not on the class path (" + name + ")");
    }
    return in;
  }

  /** Whether {@code dir} holds a sweep rather than a run. */
  public static boolean isSweep(Path dir) {
    return Files.isRegularFile(dir.resolve("sweep.json"));
  }
}
