package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;
import dev.norma.agents.games.naming.MemoryPolicy;
import dev.norma.agents.games.naming.NamingGame;
import dev.norma.agents.games.naming.NamingMind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default fake model: it reads a naming-game prompt rendered by Norma (options as shown,
 * remembered rounds, answer format) and answers the way {@link MemoryPolicy} decides, a softmax
 * over how often the partner played each option in the shown history at the given temperature,
 * written in the format the prompt asks for. Conventions therefore emerge through the whole
 * path (prompt rendering, HTTP, parsing) as they do in the plain loop.
 *
 * <p>The policy divides counts by H. A prompt shows at most H rounds but does not say H, so H is
 * configured ({@code memory}) or, when 0, taken as the number of rounds shown (the same once the
 * window is full). A prompt cut to {@code policy.llm.contextTokens} shows fewer, renumbered from 1,
 * and is read the same way: with {@code memory} 0 the fake decides from what it was shown, as a
 * model would. With no readable options it answers with a sentence naming none.
 */
public final class NamingGameResponder implements Responder {
  private final double temperature;
  private final int memory;
  private final boolean reasoning;

  /**
   * @param temperature the policy's softmax temperature, 0 for best response
   * @param memory      H, or 0 to use the number of rounds shown
   * @param reasoning   whether to write a line of reasoning (which names other options) before
   *                    the final answer line
   */
  public NamingGameResponder(double temperature, int memory, boolean reasoning) {
    if (!(temperature >= 0)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    this.temperature = temperature;
    this.memory = memory;
    this.reasoning = reasoning;
  }

  @Override
  public String answer(String prompt, Streams.RandomStream random) {
    PromptReading reading = PromptReading.read(prompt);
    List<String> options = reading.options();
    if (options.size() < 2) {
      return "There is no list of values to pick from in this prompt.";
    }
    int window = memory > 0 ? memory : Math.max(1, reading.rounds().size());
    NamingGame game = new NamingGame(options, window, 1, 0, new MemoryPolicy(options.size(), temperature, null), -1);
    NamingMind mind = game.newMind(0, random.nextLong());
    for (PromptReading.Round round : reading.rounds()) {
      int own = options.indexOf(round.own());
      int partner = options.indexOf(round.partner());
      if (own >= 0 && partner >= 0) {
        game.remember(mind, own, partner, 0);
      }
    }
    String choice = options.get(game.policy().choose(mind));
    String answer = reading.format().write(choice);
    return reasoning ? reasoningFor(reading) + "\n" + answer : answer;
  }

  private static String reasoningFor(PromptReading reading) {
    if (reading.rounds().isEmpty()) {
      return "There is no history yet, so no value is better than another.";
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (PromptReading.Round round : reading.rounds()) {
      counts.merge(round.partner(), 1, Integer::sum);
    }
    StringBuilder text = new StringBuilder("In the last ").append(reading.rounds().size())
        .append(" rounds Player 2 picked ");
    int i = 0;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (i > 0) {
        text.append(i == counts.size() - 1 ? " and " : ", ");
      }
      text.append(entry.getKey()).append(' ').append(entry.getValue() == 1 ? "once" : entry.getValue() + " times");
      i++;
    }
    return text.append("; matching Player 2 is what pays.").toString();
  }

  @Override
  public String name() {
    return "naming(t=" + temperature + ",h=" + memory + (reasoning ? ",reasoning" : "") + ")";
  }
}
