package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.agents.Mind;
import dev.norma.agents.Streams;
import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.llm.ContextSummary;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.Recollection;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.inference.ReplayBook;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encounter games played through a language model: every turn a real HTTP call to the fake
 * OpenAI-compatible server, read by the turn's parser, journaled and replayable. The actor run must
 * write what {@link EncounterLoop} computes with the same answers, whatever the number of
 * encounters in flight, and a replay of its call journal must write it again with no endpoint.
 */
class EncounterConversationTest {
  private static StudyRunner runner;

  @TempDir
  Path temp;

  @BeforeAll
  static void startNode() {
    runner = new StudyRunner();
  }

  @AfterAll
  static void stopNode() {
    runner.close();
  }

  @ParameterizedTest(name = "{0} in flight")
  @ValueSource(ints = {3, 16})
  void everyTurnIsACallAndTheRunEqualsTheLoop(int inFlight) throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().responder(Chorus::answer).build())) {
      ExperimentSpec spec = spec(server, inFlight);
      Summary summary = run(spec, temp.resolve("actors"), null);

      EncounterEngineTest.Expected expected = EncounterEngineTest.expected(new Chorus(spec.seed()), Chorus.SIZE,
          Chorus.ROUNDS, Chorus::model);
      assertThat(Files.readString(temp.resolve("actors/rounds.csv"))).isEqualTo(expected.rounds());
      assertThat(RunFiles.gunzip(temp.resolve("actors/interactions.csv.gz"))).isEqualTo(expected.interactions());
      assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(summary.policy()).isEqualTo("llm");

      List<JsonNode> calls = RunFiles.callJournal(temp.resolve("actors")).stream()
          .filter(line -> "call".equals(line.path("type").asText())).toList();
      // Three turns an encounter, and each unusable answer asked once more.
      long invalid = calls.stream().filter(line -> "invalid".equals(line.path("outcome").asText())).count();
      assertThat(calls).hasSize((int) (Chorus.SIZE * Chorus.ROUNDS * 3 + invalid / 2));
      assertThat(invalid).isPositive();
      assertThat(summary.inference().calls()).isEqualTo(calls.size());
      assertThat(summary.inference().invalidAnswers()).isEqualTo(invalid);
      assertThat(summary.inference().templatesSha256()).isEqualTo(Chorus.TEMPLATES);
      JsonNode first = calls.stream().filter(line -> line.path("index").asLong() == 0
          && line.path("turn").asInt() == 1).findFirst().orElseThrow();
      assertThat(first.path("role").asText()).isEqualTo("singer:1");
      assertThat(first.path("user").asText()).contains("Before you: ");
    }
  }

  /**
   * With a context budget of 12 tokens a singer's prompt holds about two songs: before a prompt
   * that would not fit, the singer's model folds the oldest into its summary, a call of its own.
   * The summaries travel in the singers' saved state, are journaled, and replay: a replay of the
   * journal writes the same files with the server gone.
   */
  @Test
  void summariesAreCallsOfTheirOwnAndAReplayNeedsNoEndpoint() throws Exception {
    ExperimentSpec spec;
    Summary recorded;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().responder(Chorus::answer).build())) {
      spec = spec(server, 16);
      recorded = run(spec, new Chorus(spec.seed(), 12), temp.resolve("recorded"), null);
    }
    EncounterEngineTest.Expected expected = EncounterEngineTest.expected(new Chorus(spec.seed(), 12), Chorus.SIZE,
        Chorus.ROUNDS, Chorus::model);
    assertThat(Files.readString(temp.resolve("recorded/rounds.csv"))).isEqualTo(expected.rounds());
    assertThat(RunFiles.gunzip(temp.resolve("recorded/interactions.csv.gz"))).isEqualTo(expected.interactions());
    List<JsonNode> summaries = RunFiles.callJournal(temp.resolve("recorded")).stream()
        .filter(line -> line.path("summary").asBoolean()).toList();
    assertThat(summaries).isNotEmpty().allSatisfy(line -> {
      assertThat(line.path("role").asText()).startsWith("singer-summary:");
      assertThat(line.path("user").asText()).contains("leaving your memory");
    });
    assertThat(recorded.inference().calls()).isEqualTo(Chorus.SIZE * Chorus.ROUNDS * 3
        + recorded.inference().invalidAnswers() / 2 + summaries.size());

    // The server is gone: every answer, summaries too, must come from the journal.
    Summary replayed = run(spec, new Chorus(spec.seed(), 12), temp.resolve("replayed"),
        ReplayBook.read(temp.resolve("recorded")));
    assertThat(Files.readString(temp.resolve("replayed/rounds.csv"))).isEqualTo(expected.rounds());
    assertThat(RunFiles.gunzip(temp.resolve("replayed/interactions.csv.gz"))).isEqualTo(expected.interactions());
    assertThat(replayed.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(replayed.inference().calls()).isZero();
    assertThat(replayed.inference().replayedCalls()).isEqualTo(recorded.inference().calls());
  }

  private static ExperimentSpec spec(FakeLlmServer server, int inFlight) throws Exception {
    return SpecLoader.parse(Specs.llm(server), List.of("population.size=" + Chorus.SIZE,
            "schedule.inFlight=" + inFlight, "stop.maxRounds=" + Chorus.ROUNDS, "output.interactions=true",
            "policy.llm.parseRetries=1", "stop.onConvergence=false"))
        .resolved();
  }

  private Summary run(ExperimentSpec spec, Path dir, ReplayBook replay) throws Exception {
    return run(spec, new Chorus(spec.seed()), dir, replay);
  }

  private Summary run(ExperimentSpec spec, Chorus chorus, Path dir, ReplayBook replay) throws Exception {
    return EncounterRuns.start(runner.system(), spec, chorus, dir, ProgressListener.NONE,
        new StudyOptions(replay, null)).done().get(120, TimeUnit.SECONDS);
  }

  /**
   * A test game of three singers: in turn each says "up" or "down", told its count and what the
   * singers before it said, the two options shown in an order drawn from its own stream. Each
   * "up" adds one to the singer's count. Its stand-in model answers up unless the count and the
   * ups before it sum to a multiple of three, and answers nothing usable when the count ends in 6
   * (the turn is then asked once more, and counts as no choice: the singer keeps its count).
   */
  static final class Chorus implements EncounterGame<Chorus.Singer>, Conversations<Chorus.Singer> {
    static final int SIZE = 12;
    static final int ROUNDS = 4;
    static final String TEMPLATES = "chorus-templates";
    private static final Pattern COUNT = Pattern.compile("Your count is (\\d+)\\.");
    private static final Pattern BEFORE = Pattern.compile("Before you: ([a-z, ]*)\\.");
    private static final List<String> OPTIONS = List.of("up", "down");

    private final long seed;
    /** The singers' context budget in estimated tokens, or null for none. */
    private final Integer contextTokens;

    Chorus(long seed) {
      this(seed, null);
    }

    /** A chorus whose singers' prompts show their past songs within {@code contextTokens}, summarising what leaves. */
    Chorus(long seed, Integer contextTokens) {
      this.seed = seed;
      this.contextTokens = contextTokens;
    }

    /** A singer: its count, its last songs (1 up, 0 down, -1 nothing) and its summary of older ones. */
    static final class Singer extends Mind {
      static final int REMEMBERED = 6;
      int count;
      long seen;
      final java.util.ArrayDeque<Integer> songs = new java.util.ArrayDeque<>();
      final Recollection recollection = new Recollection();

      Singer(int id, long seed) {
        super(id, seed);
        count = id % 5;
      }

      void sang(int song) {
        songs.addLast(song);
        if (songs.size() > REMEMBERED) {
          songs.removeFirst();
        }
        seen++;
      }

      List<String> lines() {
        List<String> lines = new java.util.ArrayList<>();
        long number = seen - songs.size();
        for (int song : songs) {
          lines.add("Song " + ++number + ": " + (song == 1 ? "up" : song == 0 ? "down" : "nothing"));
        }
        return lines;
      }

      @Override
      protected int[] contents() {
        int[] summary = recollection.save();
        int[] contents = new int[3 + songs.size() + summary.length];
        contents[0] = count;
        contents[1] = (int) seen;
        contents[2] = songs.size();
        int i = 3;
        for (int song : songs) {
          contents[i++] = song;
        }
        System.arraycopy(summary, 0, contents, i, summary.length);
        return contents;
      }

      @Override
      protected void restoreContents(int[] contents) {
        count = contents[0];
        seen = contents[1];
        songs.clear();
        for (int i = 0; i < contents[2]; i++) {
          songs.addLast(contents[3 + i]);
        }
        recollection.restore(contents, 3 + contents[2]);
      }
    }

    /** The stand-in model, as the fake server runs it (summaries by the stand-in summariser). */
    static String answer(String prompt, Streams.RandomStream random) {
      if (ContextSummary.FAKE.reads(prompt)) {
        return ContextSummary.FAKE.answer(prompt, bound -> 0);
      }
      Matcher count = COUNT.matcher(prompt);
      Matcher before = BEFORE.matcher(prompt);
      if (!count.find() || !before.find()) {
        return "no prompt of the chorus";
      }
      int value = Integer.parseInt(count.group(1));
      if (value % 10 == 6) {
        return "I would rather not sing.";
      }
      long ups = Pattern.compile("\\bup\\b").matcher(before.group(1)).results().count();
      return "{'value': '" + ((value + ups) % 3 == 0 ? "down" : "up") + "'}";
    }

    /** The same model in the loop: its answer read by the turn's parser. */
    static int model(int agent, long index, Turn turn) {
      ParsedChoice parsed = turn.parser().parse(answer(turn.prompt().text(), null));
      return parsed instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
    }

    @Override
    public Exchange open(Singer[] group, long index) {
      return new Exchange() {
        private final StringBuilder before = new StringBuilder();
        private int turn = -1;
        private int ups;
        private int noChoice;
        private ContextWindow.Shown pending;
        /** The turn's singer has just summarised: its choice is asked next. */
        private boolean summarised;

        @Override
        public Turn next() {
          if (!summarised) {
            turn++;
          }
          summarised = false;
          if (turn >= group.length) {
            return null;
          }
          Singer singer = group[turn];
          String past = "";
          if (contextTokens != null) {
            ContextWindow.Shown shown = ContextWindow.show(singer.lines(), singer.seen - singer.songs.size(),
                singer.recollection, contextTokens, ContextWindow.Overflow.SUMMARISE);
            if (shown.needsSummary()) {
              pending = shown;
              return Turn.summary(turn, turn, "singer",
                  ContextSummary.render("You sing in a chorus.", shown, contextTokens));
            }
            past = (shown.summary().isEmpty() ? "" : "Summary: " + shown.summary() + "\n")
                + String.join("\n", shown.lines()) + "\n";
          }
          boolean upFirst = singer.nextInt(2) == 0;
          String user = past + "Your count is " + singer.count + ". Before you: " + before + ". Say "
              + (upFirst ? "up or down" : "down or up") + " as {'value': 'X'}.";
          RenderedPrompt prompt = new RenderedPrompt("You sing in a chorus.", user,
              upFirst ? List.of(0, 1) : List.of(1, 0), singer.count + 1, 0, TEMPLATES);
          return new Turn(turn, turn, "singer", prompt, OPTIONS);
        }

        @Override
        public void summarised(String answer) {
          group[turn].recollection.update(ContextWindow.clipSummary(answer, contextTokens), pending.coveredAfter());
          summarised = true;
        }

        @Override
        public void choose(int option) {
          group[turn].sang(option == Turn.NO_CHOICE ? -1 : option == 0 ? 1 : 0);
          before.append(before.length() == 0 ? "" : ", ").append(option == Turn.NO_CHOICE ? "nothing"
              : OPTIONS.get(option));
          if (option == 0) {
            group[turn].count++;
            ups++;
          } else if (option == Turn.NO_CHOICE) {
            noChoice++;
          }
        }

        @Override
        public double[] outcome() {
          return new double[] {ups, noChoice};
        }
      };
    }

    @Override
    public Conversations<Singer> conversations() {
      return this;
    }

    @Override
    public String templatesSha256() {
      return TEMPLATES;
    }

    @Override
    public Map<String, String> templateHashes() {
      return Map.of("chorus", TEMPLATES);
    }

    @Override
    public int participants() {
      return 3;
    }

    @Override
    public Singer newMind(int agentId) {
      return new Singer(agentId, seed);
    }

    @Override
    public EncounterSchedule newSchedule() {
      Streams.RandomStream random = new Streams.RandomStream(seed, Streams.SCHEDULE_STREAM);
      return members -> {
        members[0] = random.nextInt(SIZE);
        members[1] = (members[0] + 1 + random.nextInt(SIZE - 1)) % SIZE;
        do {
          members[2] = random.nextInt(SIZE);
        } while (members[2] == members[0] || members[2] == members[1]);
      };
    }

    @Override
    public long encountersPerRound() {
      return SIZE;
    }

    @Override
    public double[] play(Singer[] group, long index) {
      throw new AssertionError("a chorus is sung through its conversations");
    }

    @Override
    public List<String> outcomeColumns() {
      return List.of("ups", "noChoice");
    }

    @Override
    public double[] observe(Singer mind) {
      return new double[] {mind.count};
    }

    @Override
    public EncounterMeasures newMeasures() {
      return new EncounterMeasures() {
        private long total;
        private long ups;

        @Override
        public List<String> columns() {
          return List.of("meanCount", "ups");
        }

        @Override
        public void observed(int agent, double[] before, double[] after) {
          total += (long) after[0] - (before == null ? 0 : (long) before[0]);
        }

        @Override
        public void encounter(long index, int[] members, double[] outcome) {
          ups += (long) outcome[0];
        }

        @Override
        public double[] endRound(long round) {
          double[] row = {(double) total / SIZE, ups};
          ups = 0;
          return row;
        }

        @Override
        public String stopAfter(long round, double[] row) {
          return null;
        }
      };
    }
  }
}
