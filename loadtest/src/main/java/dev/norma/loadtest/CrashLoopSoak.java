package dev.norma.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.inference.CallJournalReader;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.results.RunLock;
import dev.norma.runtime.study.DurableRuns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The crash-loop soak: a durable study runs as a child JVM ({@code norma run}) and is stopped
 * again and again, each time at a seeded moment with SIGKILL or SIGINT, and resumed with
 * {@code norma run --resume}; at the end its results must equal an uninterrupted run of the seed
 * (the plain loop for rule-based agents; for language-model agents an uninterrupted run against
 * the same in-process fake server, whose answers depend only on prompt and seed).
 *
 * <p>Every interrupt must leave what the README promises: exit code 130 within 5 s,
 * {@code summary.json} saying {@code interrupted}, {@code rounds.csv} whole and equal to the start
 * of the reference, {@code run.lock} released, no ERROR or stack trace on the child's terminal.
 *
 * <p>The moments come from {@code seed} alone (k more recorded rounds, then a share of the last
 * round's time, at most 250 ms): a failing cycle is replayed with the same seed, up to the timing
 * of the machine.
 * Every wait is bounded, so the soak ends by itself. {@code ./norma bench soak} and a test use it.
 */
public final class CrashLoopSoak {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** An interrupt must end the process within this (the issue's promise, beside a CPU hog). */
  static final Duration INTERRUPT_LIMIT = Duration.ofSeconds(5);
  /** How long a stopped child may take to go before it is killed and the cycle fails. */
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
  /** A session that records no new round for this long has failed (the soak must end by itself). */
  private static final Duration NO_PROGRESS_DEADLINE = Duration.ofSeconds(180);
  private static final long SIGNAL_DELAY_MAX_MILLIS = 250;
  private static final Pattern TROUBLE = Pattern.compile("ERROR|Exception|^\\s+at \\S+\\(");

  /**
   * What to soak.
   *
   * @param cycles      stops, each followed by a resume
   * @param seed        the run seed, and the seed of the moments and signals
   * @param agents      population size
   * @param rounds      population rounds (no convergence stop)
   * @param llm         language-model agents against an in-process fake server
   * @param hog         a CPU-bound thread beside the study for the whole soak
   * @param dbUrl       the journal's database (NORMA_DB_URL of the child), or null for the embedded one
   * @param environment more environment for the child (e.g. NORMA_DB_USER, NORMA_DB_PASSWORD)
   * @param heap        the child's -Xmx
   * @param work        where run directories and child logs go
   */
  public record Settings(int cycles, long seed, int agents, int rounds, boolean llm, boolean hog, String dbUrl,
                         Map<String, String> environment, String heap, Path work) {
    public Settings {
      environment = Map.copyOf(environment);
    }

    /** The most rounds a cycle waits for: the cycles use about three quarters of the run. */
    int maxRoundsPerCycle() {
      return Math.max(1, rounds * 3 / 4 / cycles);
    }

    /** Why these settings cannot soak, or null. */
    String problem() {
      if (cycles < 1 || agents < 2) {
        return "--cycles must be at least 1 and --agents at least 2";
      }
      if ((long) cycles * 4 / 3 + 2 > rounds) {
        return "--rounds " + rounds + " is too few for " + cycles + " cycles (at least " + ((long) cycles * 4 / 3 + 2)
            + ": each cycle waits for a new round)";
      }
      return null;
    }
  }

  /**
   * One stop and the resume after it.
   *
   * @param signal        SIGKILL or SIGINT
   * @param moment        when it was sent, as drawn from the seed
   * @param roundsAtStop  rows of rounds.csv when it was sent
   * @param exitCode      the child's exit code
   * @param stopSeconds   from the signal to the child's end
   * @param resumeSeconds from the resume's start to its first new round (NaN if it recorded none)
   * @param roundsAfter   rows of rounds.csv at the first new round
   * @param problems      what the stop left wrong (empty: none)
   */
  public record Cycle(int number, String signal, String moment, int roundsAtStop, int exitCode, double stopSeconds,
                      double resumeSeconds, int roundsAfter, List<String> problems) {
  }

  /**
   * What the soak found.
   *
   * @param firstDifference the first problem, or null when everything held
   * @param throughput      interactions per second over the time a child ran
   */
  public record Outcome(List<Cycle> cycles, String firstDifference, double medianResumeSeconds,
                        double maxResumeSeconds, double throughput, double wallSeconds, long interactions,
                        Path work) {
    public boolean passed() {
      return firstDifference == null;
    }

    /** Cycles that ended with the run intact (all of them if the soak passed). */
    public long survived() {
      return cycles.stream().filter(cycle -> cycle.problems().isEmpty()).count();
    }
  }

  private final Settings settings;
  private final PrintStream out;
  private final Path runDir;
  private final Random moments;
  private final List<String> problems = new ArrayList<>();
  private final List<Cycle> cycles = new ArrayList<>();
  private Process child;
  private int sessions;
  private long activeNanos;
  private long childStarted;
  private List<String> referenceRounds;
  private Path reference;
  private PopulationObserver plainReference;

  /**
   * SIGINT, or SIGTERM when this process ignores SIGINT: a process started in the background by a
   * non-interactive shell does, its children inherit that, and a JVM that starts with SIGINT
   * ignored installs no handler for it. {@code norma run} stops on SIGTERM as on SIGINT.
   */
  private final String orderlyStop;

  private CrashLoopSoak(Settings settings, PrintStream out) throws IOException {
    this.orderlyStop = sigintIgnored() ? "SIGTERM" : "SIGINT";
    this.settings = settings;
    this.out = out;
    this.runDir = settings.work().resolve("run");
    this.moments = new Random(settings.seed());
  }

  /** Runs the soak; prints one line per cycle and the figures; never throws for a failed check. */
  public static Outcome run(Settings settings, PrintStream out) throws Exception {
    String problem = settings.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Files.createDirectories(settings.work());
    return new CrashLoopSoak(settings, out).soak();
  }

  private Outcome soak() throws Exception {
    AtomicBoolean hogging = new AtomicBoolean(settings.hog());
    Thread hog = settings.hog() ? startHog(hogging) : null;
    Thread cleanup = new Thread(this::killChild, "soak-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    long start = System.nanoTime();
    FakeLlmServer server = settings.llm() ? FakeLlmServer.start(FakeLlmSettings.builder()
        .fixedStep(Duration.ofMillis(3)).maxSeqs(64).build()) : null;
    try {
      Path spec = writeSpec(server);
      out.printf(Locale.ROOT, "soak: %s, %,d agents, %,d rounds, seed %d, %d cycles, journal %s%s, %d cores%n",
          settings.llm() ? "language-model agents (fake server)" : "naming game, memory policy", settings.agents(),
          settings.rounds(), settings.seed(), settings.cycles(), settings.dbUrl() == null ? "embedded H2"
              : settings.dbUrl(), settings.hog() ? ", beside a CPU hog" : "", Runtime.getRuntime().availableProcessors());
      if (orderlyStop.equals("SIGTERM")) {
        out.println("this process ignores SIGINT (started in the background by a shell?) and so would the study:"
            + " orderly stops use SIGTERM");
      }
      makeReference(spec);
      soakCycles(spec);
    } catch (Failure failure) {
      if (failure.getMessage() != null) {
        problems.add(failure.getMessage());
        out.println("soak stopped: " + failure.getMessage());
      }
      out.println("soak stopped after " + cycles.size() + " of " + settings.cycles() + " cycles");
    } finally {
      killChild();
      hogging.set(false);
      if (hog != null) {
        hog.join();
      }
      if (server != null) {
        server.close();
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    List<Double> resumes = cycles.stream().map(Cycle::resumeSeconds).filter(s -> !s.isNaN()).sorted().toList();
    long interactions = (long) rows(runDir.resolve("rounds.csv")).size() * settings.agents();
    Outcome outcome = new Outcome(List.copyOf(cycles), problems.isEmpty() ? null : problems.get(0),
        resumes.isEmpty() ? Double.NaN : resumes.get(resumes.size() / 2),
        resumes.isEmpty() ? Double.NaN : resumes.get(resumes.size() - 1),
        interactions / (activeNanos / 1e9), wall, interactions, settings.work());
    printFigures(outcome);
    return outcome;
  }

  /** The study's spec file; the run seed and durability are given on the command line. */
  private Path writeSpec(FakeLlmServer server) throws IOException {
    String yaml = settings.llm() ? """
        name: soak-llm
        population: {size: %d}
        game: {names: [Q, M, X, "Y", F, J, P, R, C, D], memory: 5}
        policy:
          kind: llm
          llm: {temperature: 0.5, maxTokens: 32, seed: 5}
        inference:
          endpoints:
            - {name: fake, url: '%s/v1', model: norma-fake-llm, maxInFlight: 32}
        stop: {maxRounds: %d, onConvergence: false}
        """.formatted(settings.agents(), server.baseUri(), settings.rounds()) : """
        name: soak
        population: {size: %d}
        stop: {maxRounds: %d, onConvergence: false}
        """.formatted(settings.agents(), settings.rounds());
    return Files.writeString(settings.work().resolve("spec.yaml"), yaml);
  }

  /**
   * The uninterrupted run of the seed: the plain loop, which every rule-based actor run equals
   * byte for byte; for language-model agents a non-durable run against the same fake server.
   */
  private void makeReference(Path spec) throws Exception {
    reference = settings.work().resolve("reference");
    if (settings.llm()) {
      Process run = start(List.of("run", spec.toString(), "--seed", Long.toString(settings.seed()),
          "--durability", "none", "--out", reference.toString(), "--quiet"), "reference");
      if (!run.waitFor(NO_PROGRESS_DEADLINE.toSeconds(), TimeUnit.SECONDS) || run.exitValue() != 0) {
        run.destroyForcibly();
        throw new Failure("the uninterrupted reference run failed; see " + settings.work().resolve("reference.err"));
      }
    } else {
      ExperimentSpec resolved = SpecLoader.load(spec, List.of("durability=durable")).resolved()
          .withSeed(settings.seed());
      StudyPlan plan = new StudyPlan(resolved, resolved.seed());
      try (RunDirectory directory = new RunDirectory(reference, resolved, plan.game(), plan.populationSize())) {
        plainReference = new PlainLoop(plan).run(directory::writeInteraction, directory::writeRound);
      }
    }
    referenceRounds = Files.readAllLines(reference.resolve("rounds.csv"));
  }

  private void soakCycles(Path spec) throws Exception {
    start(List.of("run", spec.toString(), "--seed", Long.toString(settings.seed()), "--durability", "durable",
        "--out", runDir.toString(), "--quiet"), null);
    for (int number = 1; number <= settings.cycles(); number++) {
      // SIGKILL mostly, every third stop (cycles 2, 5, 8, ...) an orderly one; both kinds in two cycles.
      boolean interrupt = number % 3 == 2;
      int more = 1 + moments.nextInt(settings.maxRoundsPerCycle());
      // Part-way into the next round: a seeded share of the last round's time, at most 250 ms.
      double share = moments.nextDouble();
      String moment = "after " + more + " more round" + (more == 1 ? "" : "s") + " + "
          + Math.round(share * 100) + "% of a round";
      int target = rows(runDir.resolve("rounds.csv")).size() + more;
      awaitRounds(target, "cycle " + number + "'s signal (" + moment + ")");
      long delayMillis = Math.round(share * Math.min(SIGNAL_DELAY_MAX_MILLIS, lastRoundMillis));
      Thread.sleep(delayMillis);
      int roundsAtStop = rows(runDir.resolve("rounds.csv")).size();
      if (!child.isAlive()) {
        throw new Failure("cycle " + number + ": the run ended (exit " + child.exitValue() + ") before its signal; "
            + "give the study more --rounds");
      }
      stopAndResume(number, interrupt, moment, roundsAtStop);
    }
    finish();
  }

  private void record(Cycle cycle) {
    cycles.add(cycle);
    out.printf(Locale.ROOT, "cycle %3d  %-7s  %-30s  at round %3d  exit %3d  stopped in %5.2f s  "
            + "next round %6.2f s after the resume  rounds %d/%d  %s%n", cycle.number(), cycle.signal(), cycle.moment(),
        cycle.roundsAtStop(), cycle.exitCode(), cycle.stopSeconds(), cycle.resumeSeconds(), cycle.roundsAfter(),
        settings.rounds(), cycle.problems().isEmpty() ? "ok" : "FAIL: " + String.join("; ", cycle.problems()));
    out.flush();
    problems.addAll(cycle.problems());
  }

  private void stopAndResume(int number, boolean interrupt, String moment, int roundsAtStop) throws Exception {
    List<String> found = new ArrayList<>();
    String signal = interrupt ? orderlyStop : "SIGKILL";
    Process stopped = child;
    String session = "session-" + (sessions - 1); // the stopped one, started last
    long signalled = System.nanoTime();
    if (interrupt) {
      Process kill = new ProcessBuilder("kill", "-" + orderlyStop.substring(3), Long.toString(stopped.pid())).start();
      kill.waitFor();
    } else {
      stopped.destroyForcibly(); // SIGKILL on Linux
    }
    boolean ended = stopped.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    double stopSeconds = (System.nanoTime() - signalled) / 1e9;
    if (!ended) {
      stopped.destroyForcibly().waitFor();
      found.add(signal + ": still running " + STOP_DEADLINE.toSeconds() + " s after the signal; killed");
    }
    sessionEnded();
    int exit = stopped.exitValue();
    List<String> rows = rows(runDir.resolve("rounds.csv"));
    if (interrupt) {
      if (exit != NormaCli.EXIT_INTERRUPTED) {
        found.add(signal + ": exit " + exit + ", not " + NormaCli.EXIT_INTERRUPTED);
      }
      if (stopSeconds > INTERRUPT_LIMIT.toMillis() / 1000.0) {
        found.add(String.format(Locale.ROOT, signal + ": the run took %.2f s to stop (limit %d s)", stopSeconds,
            INTERRUPT_LIMIT.toSeconds()));
      }
      String status = summaryStatus();
      if (!"interrupted".equals(status)) {
        found.add(signal + ": summary.json status " + status + ", not interrupted");
      }
      if (Files.exists(runDir.resolve(RunLock.FILE))) {
        found.add(signal + ": " + RunLock.FILE + " left behind by a run that stopped in order");
      }
      if (!endsWithNewline(runDir.resolve("rounds.csv"))) {
        found.add(signal + ": rounds.csv ends with a partial line");
      }
    } else if (exit != 137) {
      found.add("SIGKILL: exit " + exit + ", not 137");
    }
    String rowsProblem = notAPrefixOfTheReference(rows);
    if (rowsProblem != null) {
      found.add(signal + ": " + rowsProblem);
    }
    String trouble = trouble(settings.work().resolve(session + ".err"));
    if (trouble != null) {
      found.add(signal + ": the child's terminal shows: " + trouble);
    }
    // The resume: how long until it records a round the stopped run had not.
    int before = rows.size();
    long resumed = System.nanoTime();
    start(List.of("run", "--resume", runDir.toString(), "--quiet"), null);
    double resumeSeconds = Double.NaN;
    int after = before;
    if (before < settings.rounds()) {
      try {
        awaitRounds(before + 1, "the resume after cycle " + number);
      } catch (Failure failure) {
        // The cycle is printed with what its resume did; the soak cannot go on.
        found.add(failure.getMessage());
        String shown = trouble(settings.work().resolve("session-" + (sessions - 1) + ".err"));
        if (shown != null) {
          found.add("the resume's terminal shows: " + shown);
        }
        record(new Cycle(number, signal, moment, roundsAtStop, exit, stopSeconds, Double.NaN, before, found));
        throw new Failure(null);
      }
      resumeSeconds = (System.nanoTime() - resumed) / 1e9;
      after = rows(runDir.resolve("rounds.csv")).size();
    }
    record(new Cycle(number, signal, moment, roundsAtStop, exit, stopSeconds, resumeSeconds, after, found));
  }

  /** The last session runs to the end; its results must equal the reference's. */
  private void finish() throws Exception {
    long deadline = System.nanoTime() + NO_PROGRESS_DEADLINE.toNanos();
    int seen = -1;
    while (child.isAlive()) {
      int now = rows(runDir.resolve("rounds.csv")).size();
      if (now != seen) {
        seen = now;
        deadline = System.nanoTime() + NO_PROGRESS_DEADLINE.toNanos();
      }
      if (System.nanoTime() > deadline) {
        throw new Failure("the last resume recorded no round for " + NO_PROGRESS_DEADLINE.toSeconds() + " s (at round "
            + now + "); see " + runDir.resolve("norma.log"));
      }
      child.waitFor(100, TimeUnit.MILLISECONDS);
    }
    sessionEnded();
    String session = "session-" + (sessions - 1);
    if (child.exitValue() != 0) {
      throw new Failure("the last resume exited " + child.exitValue() + "; see "
          + settings.work().resolve(session + ".err") + " and " + runDir.resolve("norma.log"));
    }
    String trouble = trouble(settings.work().resolve(session + ".err"));
    if (trouble != null) {
      problems.add("the last resume's terminal shows: " + trouble);
    }
    if (settings.dbUrl() != null) {
      Path recorded = runDir.resolve(DurableRuns.JOURNAL_DIR).resolve(DurableRuns.DATABASE_FILE);
      if (!Files.exists(recorded) || !Files.readString(recorded).startsWith(settings.dbUrl())) {
        problems.add("the run did not journal to " + settings.dbUrl() + " (" + recorded + ")");
      }
    }
    compareWithReference();
  }

  private void compareWithReference() throws Exception {
    JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
    JsonNode expected = settings.llm() ? JSON.readTree(reference.resolve("summary.json").toFile()) : null;
    if (!"completed".equals(summary.path("status").asText())) {
      problems.add("summary.json status " + summary.path("status").asText() + ", not completed");
    }
    List<String> actualRounds = Files.readAllLines(runDir.resolve("rounds.csv"));
    String rounds = firstDifference("rounds.csv", referenceRounds, actualRounds);
    if (rounds != null) {
      problems.add(rounds);
    }
    String interactions = firstDifference("interactions.csv.gz", gunzipLines(reference.resolve("interactions.csv.gz")),
        gunzipLines(runDir.resolve("interactions.csv.gz")));
    if (interactions != null) {
      problems.add(interactions);
    }
    Map<String, String> expectedFields = new HashMap<>();
    if (plainReference != null) {
      expectedFields.put("interactions", Long.toString(plainReference.recorded()));
      expectedFields.put("converged", Boolean.toString(plainReference.converged()));
      expectedFields.put("winner", String.valueOf(plainReference.winner()));
      expectedFields.put("stopReason", String.valueOf(plainReference.stopReason()));
      expectedFields.put("reissuedCalls", "0");
    } else {
      for (String field : List.of("interactions", "populationRounds", "converged", "winner", "stopReason",
          "invalidInteractions")) {
        expectedFields.put(field, expected.path(field).asText());
      }
    }
    for (Map.Entry<String, String> field : expectedFields.entrySet()) {
      String actual = summary.path(field.getKey()).asText();
      if (!actual.equals(field.getValue())) {
        problems.add("summary.json " + field.getKey() + ": " + actual + ", the uninterrupted run's " + field.getValue());
      }
    }
    if (settings.llm()) {
      long answered = answeredCalls(runDir);
      long allowed = expected.path("calls").asLong() + summary.path("reissuedCalls").asLong();
      out.printf(Locale.ROOT, "calls: %,d answered by the endpoint in the call journal · uninterrupted run %,d"
          + " · reissuedCalls %,d%n", answered, expected.path("calls").asLong(), summary.path("reissuedCalls").asLong());
      if (answered > allowed) {
        problems.add("the call journal holds " + answered + " calls answered by the endpoint, more than the"
            + " uninterrupted run's " + expected.path("calls").asLong() + " + reissuedCalls "
            + summary.path("reissuedCalls").asLong());
      }
    }
  }

  /** Calls the endpoint answered (not the journal) in {@code run}'s call journal, every session. */
  private static long answeredCalls(Path run) throws IOException {
    AtomicLong answered = new AtomicLong();
    CallJournalReader.read(run.resolve(CallJournal.FILE), CallJournalReader.Purpose.RESUME,
        CallJournalReader.Reading.STRICT, line -> {
          if ("call".equals(line.path("type").asText()) && "ok".equals(line.path("outcome").asText())
              && !line.path("replayed").asBoolean(false)) {
            answered.incrementAndGet();
          }
        });
    return answered.get();
  }

  private void printFigures(Outcome outcome) {
    out.printf(Locale.ROOT, "cycles survived: %d of %d planned (%d stopped by SIGKILL, %d by " + orderlyStop + ")%n",
        outcome.survived(), settings.cycles(), cycles.stream().filter(c -> c.signal().equals("SIGKILL")).count(),
        cycles.stream().filter(c -> !c.signal().equals("SIGKILL")).count());
    out.printf(Locale.ROOT, "resume to the next recorded round: median %.2f s · max %.2f s (JVM start included)%n",
        outcome.medianResumeSeconds(), outcome.maxResumeSeconds());
    out.printf(Locale.ROOT, "throughput: %,.0f interactions/s over the %.1f s the study's processes ran"
        + " (%,d interactions; soak %.1f s in all)%n", outcome.throughput(), activeNanos / 1e9, outcome.interactions(),
        outcome.wallSeconds());
    if (outcome.passed()) {
      out.println("PASS: every stop held and the resumed run equals the uninterrupted run of seed " + settings.seed());
    } else {
      out.println("FAIL: " + outcome.firstDifference());
      if (problems.size() > 1) {
        out.println("  and " + (problems.size() - 1) + " more: " + String.join(" | ", problems.subList(1, problems.size())));
      }
      out.println("replay with --seed " + settings.seed() + "; run directory and child logs in " + settings.work());
    }
    out.flush();
  }

  // ---- the child process

  private Process start(List<String> args, String name) throws IOException {
    String session = name != null ? name : "session-" + sessions++;
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + settings.heap(), "-cp", System.getProperty("java.class.path"), NormaCli.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(settings.work().resolve(session + ".out").toFile())
        .redirectError(settings.work().resolve(session + ".err").toFile());
    builder.environment().remove("NORMA_DB_URL");
    builder.environment().putAll(settings.environment());
    if (settings.dbUrl() != null) {
      builder.environment().put("NORMA_DB_URL", settings.dbUrl());
    }
    Process process = builder.start();
    if (name == null) {
      child = process;
      childStarted = System.nanoTime();
    }
    return process;
  }

  private void sessionEnded() {
    activeNanos += System.nanoTime() - childStarted;
  }

  private void killChild() {
    Process process = child;
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Waits until rounds.csv has {@code target} rows while the child lives; bounded. */
  private void awaitRounds(int target, String what) throws Exception {
    long deadline = System.nanoTime() + NO_PROGRESS_DEADLINE.toNanos();
    int seen = -1;
    long seenAt = System.nanoTime();
    while (true) {
      int now = rows(runDir.resolve("rounds.csv")).size();
      if (now != seen && seen >= 0) {
        lastRoundMillis = Math.max(1, (System.nanoTime() - seenAt) / 1_000_000 / (now - seen));
      }
      if (now >= target) {
        return;
      }
      if (!child.isAlive()) {
        throw new Failure("waiting for round " + target + " (" + what + "): the run ended with exit "
            + child.exitValue() + " at round " + now + "; see " + runDir.resolve("norma.log"));
      }
      if (now != seen) {
        seen = now;
        seenAt = System.nanoTime();
        deadline = System.nanoTime() + NO_PROGRESS_DEADLINE.toNanos();
      } else if (System.nanoTime() > deadline) {
        throw new Failure("waiting for round " + target + " (" + what + "): no round recorded for "
            + NO_PROGRESS_DEADLINE.toSeconds() + " s (at round " + now + "); see " + runDir.resolve("norma.log"));
      }
      Thread.sleep(5);
    }
  }

  /** How long the latest round took, as the soak saw rounds.csv grow (milliseconds). */
  private long lastRoundMillis = SIGNAL_DELAY_MAX_MILLIS;

  // ---- checks

  /** The whole rows of a CSV (header and a partial last line left out). */
  private static List<String> rows(Path csv) throws IOException {
    if (!Files.exists(csv)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(csv);
    } catch (java.nio.file.NoSuchFileException swappedIn) {
      return List.of(); // a resume swaps its rebuilt file in
    }
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return List.of();
    }
    List<String> lines = List.of(text.substring(0, end).split("\n", -1));
    return lines.subList(1, lines.size());
  }

  private static boolean endsWithNewline(Path csv) throws IOException {
    String text = Files.readString(csv);
    return text.isEmpty() || text.endsWith("\n");
  }

  private String notAPrefixOfTheReference(List<String> rows) {
    for (int i = 0; i < rows.size(); i++) {
      if (i + 1 >= referenceRounds.size() || !rows.get(i).equals(referenceRounds.get(i + 1))) {
        return "rounds.csv row " + (i + 1) + " differs from the uninterrupted run's: " + rows.get(i) + " vs "
            + (i + 1 < referenceRounds.size() ? referenceRounds.get(i + 1) : "(none)");
      }
    }
    return null;
  }

  private String summaryStatus() {
    try {
      return JSON.readTree(runDir.resolve("summary.json").toFile()).path("status").asText("(none)");
    } catch (IOException e) {
      return "(no readable summary.json: " + e.getMessage() + ")";
    }
  }

  /** The first line of a child's terminal output that shows an error or a stack trace, or null. */
  static String trouble(Path err) throws IOException {
    if (!Files.exists(err)) {
      return null;
    }
    for (String line : Files.readAllLines(err)) {
      if (TROUBLE.matcher(line).find()) {
        return line.strip();
      }
    }
    return null;
  }

  static String firstDifference(String file, List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String want = i < expected.size() ? expected.get(i) : "(end of file)";
      String got = i < actual.size() ? actual.get(i) : "(end of file)";
      if (!want.equals(got)) {
        return file + " line " + (i + 1) + ": " + got + ", the uninterrupted run has " + want;
      }
    }
    return null;
  }

  private static List<String> gunzipLines(Path gz) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Whether SIGINT (signal 2) is in this process's ignored set ({@code SigIgn} of /proc/self/status). */
  private static boolean sigintIgnored() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  private static Thread startHog(AtomicBoolean running) {
    Thread hog = new Thread(() -> {
      long spin = 0;
      while (running.get()) {
        spin++;
      }
      if (spin == 42) {
        System.out.print(""); // keeps the loop from being optimized away
      }
    }, "cpu-hog");
    hog.setDaemon(true);
    hog.start();
    return hog;
  }

  /** A check that ends the soak: nothing after it can be measured (no message: already recorded). */
  private static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }
}
