package dev.norma.runtime.cli;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.study.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar on a terminal (population rounds against the cap, interactions, success
 * rate, leading name and its share, speed); a plain line every few seconds when the output is
 * not a terminal (CI logs, pipes).
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private final PrintWriter plain;
  private final ProgressBar bar;
  private long lastPlain = System.nanoTime();

  ConsoleProgress(PrintWriter err, ExperimentSpec spec) {
    long maxRounds = spec.stop().maxRounds() + spec.committed().introductionRound();
    if (System.console() != null) {
      this.bar = new ProgressBarBuilder()
          .setTaskName(spec.name())
          .setInitialMax(maxRounds)
          .setUnit(" rounds", 1)
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setUpdateIntervalMillis(250)
          .showSpeed()
          .build();
      this.plain = null;
    } else {
      this.bar = null;
      this.plain = err;
    }
  }

  @Override
  public synchronized void update(Snapshot s) {
    // An encounter game has no success rate: its first measure stands in the leading name's place.
    String message = (Double.isNaN(s.successRate())
        ? String.format(Locale.ROOT, "%,d interactions · %s %.3f · %,.0f/s", s.interactions(), s.topName(),
            s.topShare(), s.perSecond())
        : String.format(Locale.ROOT, "%,d interactions · success %.2f · top %s %.2f · %,.0f/s",
            s.interactions(), s.successRate(), s.topName().isEmpty() ? "-" : s.topName(), s.topShare(),
            s.perSecond())) + inference(s.inference());
    if (bar != null) {
      bar.stepTo(s.round());
      bar.setExtraMessage(message);
    } else if (System.nanoTime() - lastPlain >= PLAIN_EVERY_NANOS) {
      lastPlain = System.nanoTime();
      plain.printf(Locale.ROOT, "round %,d of at most %,d · %s%n", s.round(), s.maxRounds(), message);
      plain.flush();
    }
  }

  /** The gateway's part of a progress line: rates, in flight, queued, and per endpoint its trouble. */
  static String inference(InferenceProgress p) {
    if (p == null) {
      return "";
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        " · llm %,.1f req/s %,.0f tok/s · in flight %d · queued %d", p.requestsPerSecond(), p.tokensPerSecond(),
        p.inFlight(), p.queued()));
    for (EndpointProgress e : p.endpoints()) {
      line.append(String.format(Locale.ROOT, " · %s %d/%d", e.name(), e.inFlight(), e.limit()));
      if (e.retries() > 0 || e.errors() > 0) {
        line.append(String.format(Locale.ROOT, " retries %,d errors %,d", e.retries(), e.errors()));
      }
    }
    return line.toString();
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
