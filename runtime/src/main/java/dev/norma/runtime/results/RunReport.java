package dev.norma.runtime.results;

import dev.norma.protocols.run.Summary;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * {@code report.png}: the run at a glance, the figures of {@link RunFigures} one panel above the
 * other, as {@code report.html} shows them: named shares (the committed name, the winner, the
 * leading names) on a fixed [0, 1] axis with a legend and the convergence and flip rounds as
 * dashed vertical lines, success rate, entropy, and the game's other measures.
 */
public final class RunReport {
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 280;
  private static final int MAX_X_LABELS = 10;

  private static final java.util.concurrent.atomic.AtomicBoolean PREPARED = new java.util.concurrent.atomic.AtomicBoolean();

  private RunReport() {
  }

  /**
   * Loads what drawing takes (Java2D, the fonts, the chart library, the PNG writer: about half a
   * second of a small run's end, most of it the first time) on a daemon thread of its own, once
   * per JVM, by drawing a small chart to nowhere: {@code norma run} calls this as it starts, so
   * that the report at the end takes only the drawing. Nothing drawn later depends on it; failures
   * are left to the real drawing to report.
   */
  public static void prepare() {
    WarmUp.once(PREPARED, "report-warm-up", RunReport::drawToNowhere);
  }

  private static void drawToNowhere() {
    try {
      System.setProperty("java.awt.headless", "true");
      XYChart chart = new XYChartBuilder().width(WIDTH / 4).height(PANEL_HEIGHT / 4).title("warm-up")
          .xAxisTitle("x").yAxisTitle("y").build();
      chart.getStyler().setXAxisDecimalPattern("#,##0");
      chart.addSeries("warm-up", new double[] {0, 1}, new double[] {0, 1});
      ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png",
          new javax.imageio.stream.MemoryCacheImageOutputStream(java.io.OutputStream.nullOutputStream()));
    } catch (IOException | RuntimeException | LinkageError ignored) {
      // The real drawing reports what is wrong.
    }
  }

  /**
   * Draws {@code report.png} in a run directory from its {@code rounds.csv} (and {@code shares.csv}),
   * with {@code summary} (which the caller may not have written yet) for the names and markers.
   */
  public static void write(Path dir, String title, Summary summary) throws IOException {
    RunFigures.RunFiles read = RunFigures.RunFiles.read(dir);
    RunFigures.RunFiles files = new RunFigures.RunFiles(read.rounds(), read.shares(),
        summary != null ? summary : read.summary(), null, summary != null ? summary.game() : read.game());
    if (files.rounds().rows().isEmpty()) {
      return;
    }
    System.setProperty("java.awt.headless", "true");
    List<XYChart> panels = new ArrayList<>();
    for (Figure figure : RunFigures.of(files)) {
      panels.add(panel(panels.isEmpty() ? title + " · " + figure.title() : figure.title(), figure));
    }
    if (panels.isEmpty()) {
      return;
    }
    BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
    }
    g.dispose();
    ImageIO.write(image, "png", dir.resolve("report.png").toFile());
  }

  private static XYChart panel(String title, Figure figure) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title)
        .xAxisTitle(figure.xLabel()).yAxisTitle(figure.yLabel()).build();
    var styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendVisible(true);
    styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    styler.setMarkerSize(figure.categories() != null ? 8 : 0);
    // Whole rounds, a few labels: long runs otherwise print their labels into one another.
    styler.setXAxisDecimalPattern("#,##0");
    styler.setXAxisMaxLabelCount(MAX_X_LABELS);
    styler.setYAxisMin(figure.yMin());
    styler.setYAxisMax(figure.yMax());
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (Figure.Series series : figure.series()) {
      XYSeries drawn = chart.addSeries(series.name(), series.x(), series.y());
      if (figure.categories() != null) {
        // Categories (a study's conditions) at 0, 1, ...: points, not a line running between them.
        drawn.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
      for (double y : series.y()) {
        if (!Double.isNaN(y)) {
          low = Math.min(low, y);
          high = Math.max(high, y);
        }
      }
    }
    double bottom = figure.yMin() != null ? figure.yMin() : low;
    double top = figure.yMax() != null ? figure.yMax() : high;
    for (Figure.Marker marker : figure.markers()) {
      XYSeries line = chart.addSeries(marker.label() + " (round " + (long) marker.x() + ")",
          new double[] {marker.x(), marker.x()}, new double[] {bottom, top});
      line.setLineColor(Color.DARK_GRAY);
      line.setLineStyle(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
          10f, new float[] {6f, 4f}, 0f));
    }
    return chart;
  }
}
