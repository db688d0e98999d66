package dev.norma.runtime.cli;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.study.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar on a terminal (population rounds against the cap, elapsed time, rounds and
 * interactions a second, success rate, leading name and its share); a plain line every few
 * seconds when the output is not a terminal (CI logs, pipes). No time remaining is shown: the cap
 * is {@code stop.maxRounds}, and a run that stops on convergence or a flip ends long before it,
 * so a countdown to the cap would mislead; the cap is shown as "at most".
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private final PrintWriter plain;
  private final ProgressBar bar;
  private final long started = System.nanoTime();
  private long lastPlain = started;

  ConsoleProgress(PrintWriter err, ExperimentSpec spec) {
    long maxRounds = spec.stop().maxRounds() + spec.committed().introductionRound();
    if (System.console() != null) {
      this.bar = new ProgressBarBuilder()
          .setTaskName(spec.name() + " (rounds, at most " + String.format(Locale.ROOT, "%,d", maxRounds) + ")")
          .setInitialMax(maxRounds)
          .setUnit(" rounds", 1)
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setUpdateIntervalMillis(250)
          .showSpeed()
          .hideEta()
          .build();
      this.plain = null;
    } else {
      this.bar = null;
      this.plain = err;
    }
  }

  @Override
  public synchronized void update(Snapshot s) {
    if (bar != null) {
      bar.stepTo(s.round());
      // The bar ends with its speed ("12.3 rounds/s"): the message follows after a separator.
      bar.setExtraMessage(" · " + message(s));
    } else if (System.nanoTime() - lastPlain >= PLAIN_EVERY_NANOS) {
      lastPlain = System.nanoTime();
      plain.println(plainLine(s, Duration.ofNanos(lastPlain - started)));
      plain.flush();
    }
  }

  /** The line printed every few seconds when the output is not a terminal. */
  static String plainLine(Snapshot s, Duration elapsed) {
    double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
    return String.format(Locale.ROOT, "round %,d of at most %,d · %d:%02d:%02d elapsed · %,.1f rounds/s · %s",
        s.round(), s.maxRounds(), elapsed.toHours(), elapsed.toMinutesPart(), elapsed.toSecondsPart(),
        s.round() / seconds, message(s));
  }

  /** Where the run stands: interactions, success, the leading name, speed, and the gateway. */
  static String message(Snapshot s) {
    // An encounter game has no success rate: its first measure stands in the leading name's place.
    return (Double.isNaN(s.successRate())
        ? String.format(Locale.ROOT, "%,d interactions · %s %s · %,.0f/s", s.interactions(), s.topName(),
            SummaryPrinter.measure(s.topShare()), s.perSecond())
        : String.format(Locale.ROOT, "%,d interactions · success %.2f · top %s %.2f · %,.0f/s",
            s.interactions(), s.successRate(), s.topName().isEmpty() ? "-" : s.topName(), s.topShare(),
            s.perSecond())) + inference(s.inference());
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
