package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;
import java.util.List;

/**
 * A fake model that ignores the history: it always answers the same option, or an option drawn
 * uniformly from those the prompt shows, in the format the prompt asks for.
 */
public final class FixedResponder implements Responder {
  private final String option;

  private FixedResponder(String option) {
    this.option = option;
  }

  /** Always answers {@code option}, whether or not the prompt offers it. */
  public static FixedResponder always(String option) {
    if (option == null || option.isBlank()) {
      throw new IllegalArgumentException("a fixed answer needs an option");
    }
    return new FixedResponder(option);
  }

  /** Answers an option drawn uniformly from those shown in the prompt. */
  public static FixedResponder uniform() {
    return new FixedResponder(null);
  }

  @Override
  public String answer(String prompt, Streams.RandomStream random) {
    PromptReading reading = PromptReading.read(prompt);
    if (option != null) {
      return reading.format().write(option);
    }
    List<String> options = reading.options();
    if (options.isEmpty()) {
      return "There is no list of values to pick from in this prompt.";
    }
    return reading.format().write(options.get(random.nextInt(options.size())));
  }

  @Override
  public String name() {
    return option == null ? "uniform" : "fixed(" + option + ")";
  }
}
