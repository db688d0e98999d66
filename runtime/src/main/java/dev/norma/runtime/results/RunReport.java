package dev.norma.runtime.results;

import dev.norma.agents.measure.RoundRow;
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

/**
 * {@code report.png}: the run at a glance, one panel above the other — success rate and the
 * leading name's share per population round; the entropy of the names produced; and, for the
 * speaker–hearer games, the total number of words held (the Baronchelli et al. curve).
 */
public final class RunReport {
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 280;

  private RunReport() {
  }

  /** Keeps at most about {@code limit} evenly spaced rounds of any run, however long. */
  public static final class History {
    private final int limit;
    private final List<RoundRow> rows = new ArrayList<>();
    private long stride = 1;

    public History(int limit) {
      this.limit = limit;
    }

    public void add(RoundRow row) {
      if (row.round() % stride != 0) {
        return;
      }
      rows.add(row);
      if (rows.size() > limit) {
        stride *= 2;
        rows.removeIf(r -> r.round() % stride != 0);
      }
    }

    public List<RoundRow> rows() {
      return rows;
    }
  }

  public static void write(Path png, String title, List<RoundRow> rows) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    System.setProperty("java.awt.headless", "true");
    double[] round = new double[rows.size()];
    double[] success = new double[rows.size()];
    double[] topShare = new double[rows.size()];
    double[] entropy = new double[rows.size()];
    double[] words = new double[rows.size()];
    boolean hasWords = rows.get(0).totalWords() >= 0;
    for (int i = 0; i < rows.size(); i++) {
      RoundRow r = rows.get(i);
      round[i] = r.round();
      success[i] = r.successRate();
      topShare[i] = r.topShare();
      entropy[i] = r.entropyBits();
      words[i] = r.totalWords();
    }
    List<XYChart> panels = new ArrayList<>();
    XYChart agreement = panel(title + " · agreement", "share");
    agreement.addSeries("success rate", round, success);
    agreement.addSeries("top name's share", round, topShare);
    agreement.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    panels.add(agreement);
    XYChart diversity = panel("names produced", "entropy (bits, Miller–Madow)");
    diversity.addSeries("entropy", round, entropy);
    panels.add(diversity);
    if (hasWords) {
      XYChart inventory = panel("inventories", "total words held");
      inventory.addSeries("total words", round, words);
      panels.add(inventory);
    }
    BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  /**
   * Draws an encounter game's measures by round, one line per column, into {@code png}.
   *
   * @param rows each row's round first, then its value for each of {@code columns}
   */
  public static void writeMeasures(Path png, String title, List<String> columns, List<double[]> rows)
      throws IOException {
    if (rows.isEmpty() || columns.isEmpty()) {
      return;
    }
    System.setProperty("java.awt.headless", "true");
    double[] round = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      round[i] = rows.get(i)[0];
    }
    XYChart chart = panel(title, "value");
    for (int c = 0; c < columns.size(); c++) {
      double[] values = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        values[i] = rows.get(i)[c + 1];
      }
      chart.addSeries(columns.get(c), round, values);
    }
    ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", png.toFile());
  }

  private static XYChart panel(String title, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title)
        .xAxisTitle("population round").yAxisTitle(yTitle).build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(true);
    chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(0);
    return chart;
  }
}
