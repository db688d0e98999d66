package dev.norma.testkit.fakellm;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry point of the fake OpenAI-compatible server: {@code FakeLlmMain --port 8000
 * --max-seqs 64 --fault-429 0.05}. Runs until interrupted. Flags are parsed by hand to keep the
 * fake free of CLI dependencies; {@code --help} lists them.
 */
public final class FakeLlmMain {
  static final String USAGE = """
      Usage: fake-llm [options]
      A fake OpenAI-compatible inference server with a continuous-batching capacity model.

      Server:
        --host HOST               address to bind (default 127.0.0.1)
        --port P                  port, 0 for any free port (default 8000)
        --model NAME              model id served (default norma-fake-llm)
        --threads N               request-handling threads (default max(4, 2 x cores))
        --seed S                  seed of answers, faults and jitter (default 1)
      Capacity model (one step = step + decode-token x decoding + prefill-token x prefilled):
        --max-seqs N              sequences per batch; more wait in the queue (default 256)
        --max-batch-tokens N      tokens per step at most (default 8192)
        --step-ms MS              fixed cost of a step (default 8)
        --decode-token-ms MS      cost per decoding sequence in a step (default 0.05)
        --prefill-token-ms MS     cost per prompt token prefilled (default 0.02)
        --block-tokens N          prefix-cache block size in tokens (default 16)
        --prefix-cache-blocks N   prefix-cache capacity in blocks, 0 disables (default 100000)
        --jitter F                step times vary uniformly by +-F, 0..1 (default 0.1)
        --max-queue N             queued sequences beyond which requests get 503, 0: no limit (default 0)
      Answers:
        --responder KIND          naming (default): answers like the memory policy from the history
                                  in a Norma naming-game prompt, and the prompts of the other games
                                  (ultimatum, higher-order-naming) as their modules' stand-in
                                  players; uniform: a random shown option; fixed:NAME: always NAME
        --temperature T           softmax temperature of the naming responder (default 0.1)
        --memory H                H for the naming responder, 0: the number of rounds shown (default 0)
        --reasoning               write a line of reasoning before the answer line
      Faults (RULE: a probability 0..1, or every:N; optional window @FROM-UNTIL in seconds since start):
        --fault-429 RULE          429 with Retry-After
        --fault-500 RULE          500
        --fault-503 RULE          503
        --fault-timeout RULE      hold the request, then 504 (see --timeout-hold-ms)
        --fault-truncated RULE    200 with the JSON body cut in half
        --fault-malformed RULE    200 with a JSON syntax error
        --fault-no-option RULE    200 whose answer names no option
        --retry-after S           Retry-After seconds of injected 429s (default 1)
        --timeout-hold-ms MS      how long a timed-out request is held, 0: until shutdown (default 60000)
      """;

  private FakeLlmMain() {
  }

  public static void main(String[] args) throws Exception {
    FakeLlmSettings settings;
    try {
      settings = parse(args);
    } catch (HelpRequested help) {
      System.out.print(USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("fake-llm: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    FakeLlmServer server = FakeLlmServer.start(settings);
    describe(server, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "fake-llm-shutdown"));
    stopped.await();
  }

  static void describe(FakeLlmServer server, PrintStream out) {
    FakeLlmSettings s = server.settings();
    out.println("fake-llm listening on " + server.baseUri() + "/v1 (model " + s.model() + ")");
    out.printf("capacity: max-seqs %d, max-batch-tokens %d, step %.3f ms + %.4f ms/decoding seq + %.4f ms/prefill"
            + " token, jitter %.2f, prefix cache %d blocks of %d tokens%n", s.maxSeqs(), s.maxBatchTokens(),
        millis(s.stepBase()), millis(s.decodeTokenCost()), millis(s.prefillTokenCost()), s.jitter(),
        s.prefixCacheBlocks(), s.blockTokens());
    out.println("responder: " + s.responder().name() + ", seed " + s.seed()
        + (s.faults().isEmpty() ? ", no faults" : ", faults " + faults(s)));
  }

  private static String faults(FakeLlmSettings s) {
    StringBuilder out = new StringBuilder();
    for (Fault fault : Fault.values()) {
      FaultRule rule = s.faults().get(fault);
      if (rule != null && !rule.isNever()) {
        out.append(out.length() == 0 ? "" : " ").append(fault.label()).append('=').append(rule);
      }
    }
    return out.toString();
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  /** Thrown by {@link #parse} for {@code --help}. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  /** The settings the flags describe. */
  static FakeLlmSettings parse(String... args) {
    FakeLlmSettings.Builder b = FakeLlmSettings.builder().port(8000);
    String responder = "naming";
    double temperature = 0.1;
    int memory = 0;
    boolean reasoning = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new HelpRequested();
      }
      if (arg.equals("--reasoning")) {
        reasoning = true;
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        value = args[++i];
      }
      try {
        switch (arg) {
          case "--host" -> b.host(value);
          case "--port" -> b.port(Integer.parseInt(value));
          case "--model" -> b.model(value);
          case "--threads" -> b.handlerThreads(Integer.parseInt(value));
          case "--seed" -> b.seed(Long.parseLong(value));
          case "--max-seqs" -> b.maxSeqs(Integer.parseInt(value));
          case "--max-batch-tokens" -> b.maxBatchTokens(Integer.parseInt(value));
          case "--step-ms" -> b.stepBase(milliseconds(value));
          case "--decode-token-ms" -> b.decodeTokenCost(milliseconds(value));
          case "--prefill-token-ms" -> b.prefillTokenCost(milliseconds(value));
          case "--block-tokens" -> b.blockTokens(Integer.parseInt(value));
          case "--prefix-cache-blocks" -> b.prefixCacheBlocks(Integer.parseInt(value));
          case "--jitter" -> b.jitter(Double.parseDouble(value));
          case "--max-queue" -> b.maxQueue(Integer.parseInt(value));
          case "--responder" -> responder = value;
          case "--temperature" -> temperature = Double.parseDouble(value);
          case "--memory" -> memory = Integer.parseInt(value);
          case "--retry-after" -> b.retryAfterSeconds(Integer.parseInt(value));
          case "--timeout-hold-ms" -> b.timeoutHold(milliseconds(value));
          default -> {
            if (!arg.startsWith("--fault-")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            b.fault(Fault.ofLabel(arg.substring("--fault-".length())), FaultRule.parse(value));
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(arg + ": not a number: '" + value + "'", e);
      }
    }
    b.responder(responder(responder, temperature, memory, reasoning));
    return b.build();
  }

  private static Responder responder(String kind, double temperature, int memory, boolean reasoning) {
    if (kind.equals("naming")) {
      return new GamesResponder(new NamingGameResponder(temperature, memory, reasoning));
    }
    if (kind.equals("uniform")) {
      return FixedResponder.uniform();
    }
    if (kind.startsWith("fixed:")) {
      return FixedResponder.always(kind.substring("fixed:".length()));
    }
    throw new IllegalArgumentException("--responder must be naming, uniform or fixed:NAME, got '" + kind + "'");
  }

  private static Duration milliseconds(String value) {
    double ms = Double.parseDouble(value);
    if (!(ms >= 0)) {
      throw new IllegalArgumentException("durations must not be negative: " + value);
    }
    return Duration.ofNanos(Math.round(ms * 1e6));
  }
}
