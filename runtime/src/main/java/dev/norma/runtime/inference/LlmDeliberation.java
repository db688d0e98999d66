package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.agents.Mind;
import dev.norma.agents.Streams;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.game.Game;
import dev.norma.agents.llm.ChoiceParser;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.record.InteractionRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * How a language-model agent decides, whatever its game: the game renders its prompt from its
 * mind ({@link LanguageModelPlay}, options shuffled from the agent's own seeded stream), the
 * gateway asks a model, and {@link ChoiceParser} reads the answer. An answer that names no single
 * option is asked for again, with the same prompt, up to {@code parseRetries} times; then, or when
 * the gateway gives up on the call, the decision is {@link #NO_CHOICE} and the interaction is
 * invalid. Every answer is written to the call journal with its outcome.
 *
 * <p>{@link #decide} must be called on the agent's own thread (it draws from the agent's stream);
 * the returned stage completes on a gateway thread and touches no agent state, so the agent pipes
 * it to itself. Shared by every agent of a run on a node; thread-safe.
 */
public final class LlmDeliberation {
  /**
   * The word id of a decision the model never made: no answer named a single option (after every
   * re-ask), or the gateway gave up on the call. It stands where a word id would, so it travels
   * in the agents' messages and records like one and makes the interaction invalid: it changes no
   * memory and counts as a failure.
   *
   * <p>Why -2: word ids are 0 and up, and -1 already means "produced nothing" (a hearer's turn,
   * see {@link dev.norma.protocols.record.InteractionRecord}); a missing decision must be told
   * apart from both. Being negative, it is skipped wherever names are counted. The value is
   * written to durable journals (the words of {@code agent.played} and {@code agent.answered}
   * events), so it must never change: journals written by earlier versions hold it.
   */
  public static final int NO_CHOICE = -2;

  private final LanguageModelPlay play;
  private final ChoiceParser parser;
  private final InferenceGateway gateway;
  private final int parseRetries;
  private final Long seed;
  /** Each agent's group in an interaction; null for an agent in none (and for every agent without groups). */
  private final GroupOf groups;

  /** An agent's group when it decides in interaction {@code index} (an {@code endpoint} intervention may switch it). */
  @FunctionalInterface
  public interface GroupOf {
    /** The group, or null for an agent in none. */
    AgentGroup at(int agent, long index);
  }
  /** Who answers a judge's turn: its group's endpoints and parameters (no persona), or one endpoint. */
  private final java.util.function.Function<dev.norma.agents.encounter.Turn.Judge, AgentGroup> judges;
  private final AtomicLong invalidAnswers = new AtomicLong();
  private final AtomicLong reissuedCalls = new AtomicLong();
  /** Decisions asked for by this run on this node ({@code agent|index|role}). */
  private final java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Decisions an earlier session of the run asked for (a resumed run); empty otherwise. */
  private volatile java.util.Set<String> askedBefore = java.util.Set.of();
  /** The requests an earlier session noted as sent ({@link SentCalls#line}): a parse retry among them is asked again. */
  private volatile java.util.Set<String> sentBefore = java.util.Set.of();

  /**
   * @param play how a two-party game's agents render their prompts; null for an encounter game,
   *             whose turns bring their own prompts and parsers ({@link #decide(RenderedPrompt,
   *             ChoiceParser, int, long, LlmRequest.Role)})
   */
  public LlmDeliberation(LanguageModelPlay play, InferenceGateway gateway, int parseRetries, Long seed) {
    this(play, gateway, parseRetries, seed, agent -> null);
  }

  /**
   * @param groups each agent's group of {@code population.groups} by id, null for an agent in none:
   *               its requests carry the group's sampling parameters and go to its endpoints, and
   *               its persona comes before the system text of its prompts
   */
  public LlmDeliberation(LanguageModelPlay play, InferenceGateway gateway, int parseRetries, Long seed,
                         java.util.function.IntFunction<AgentGroup> groups) {
    this(play, gateway, parseRetries, seed, (GroupOf) (agent, index) -> groups.apply(agent));
  }

  /**
   * @param groups each agent's group in each interaction, null for an agent in none: as above, and
   *               an agent an {@code endpoint} intervention switched is in a group of the endpoints
   *               it names from that interaction on
   */
  public LlmDeliberation(LanguageModelPlay play, InferenceGateway gateway, int parseRetries, Long seed,
                         GroupOf groups) {
    this(play, gateway, parseRetries, seed, groups, judge -> {
      throw new IllegalArgumentException("this study has no judge model: " + judge);
    });
  }

  /**
   * @param judges who answers a judge's turn of an encounter game ({@link
   *               dev.norma.agents.encounter.Turn#judge}): the group its requests carry
   */
  public LlmDeliberation(LanguageModelPlay play, InferenceGateway gateway, int parseRetries, Long seed,
                         GroupOf groups,
                         java.util.function.Function<dev.norma.agents.encounter.Turn.Judge, AgentGroup> judges) {
    this.groups = groups;
    this.judges = judges;
    this.play = play;
    this.parser = play == null ? null : play.parser();
    this.gateway = gateway;
    this.parseRetries = parseRetries;
    this.seed = seed;
  }

  /**
   * Renders the agent's prompt now and asks for its choice.
   *
   * @return the chosen word id, or {@link #NO_CHOICE}; completes exceptionally only with a
   *     {@link GatewayClosedException} (the run is stopping: nothing was decided)
   */
  public CompletionStage<Integer> decide(Mind mind, long index, LlmRequest.Role role) {
    RenderedPrompt prompt = play.render(mind, index, mind::nextInt);
    return ask(mind.id(), index, role, prompt, play.parser(index), 0, askedAgain(mind.id(), index, role));
  }

  /**
   * Asks for the choice of one turn of an encounter game, whose prompt the game rendered and whose
   * answers {@code parser} reads: {@code agent} takes the turn {@code role} names in encounter
   * {@code index}. Answers as {@link #decide(Mind, long, LlmRequest.Role)} does.
   */
  public CompletionStage<Integer> decide(RenderedPrompt prompt, ChoiceParser parser, int agent, long index,
                                         LlmRequest.Role role) {
    return ask(agent, index, role, prompt, parser, 0, askedAgain(agent, index, role));
  }

  /**
   * Asks a judge model (not {@code agent}'s) for the choice of a judge's turn on what {@code agent}
   * said: sent to {@code judge}'s endpoints with its sampling parameters and no persona, journaled
   * under {@code agent}, {@code index} and {@code role} and replayed like any turn. Answers as
   * {@link #decide(RenderedPrompt, ChoiceParser, int, long, LlmRequest.Role)} does.
   */
  public CompletionStage<Integer> decide(RenderedPrompt prompt, ChoiceParser parser, int agent, long index,
                                         LlmRequest.Role role, dev.norma.agents.encounter.Turn.Judge judge) {
    if (judge == null) {
      return decide(prompt, parser, agent, index, role);
    }
    return ask(agent, index, role, prompt, parser, 0, askedAgain(agent, index, role), judges.apply(judge));
  }

  /** Whether this decision was asked for before, by this session or an earlier one; notes it asked. */
  private boolean askedAgain(int agent, long index, LlmRequest.Role role) {
    String decision = ReplayBook.decision(agent, index, role.wireName());
    return !asked.add(decision) || askedBefore.contains(decision);
  }

  /**
   * Draws what rendering the agent's prompt draws from its stream, and asks nothing: how a
   * recovered agent replays a decision of interaction {@code index} its journal holds.
   */
  public void redraw(Mind mind, long index) {
    play.render(mind, index, mind::nextInt);
  }

  /**
   * Tells which decisions an earlier session of this run asked for: asked again and not answered
   * from the call journal, they count as reissued calls.
   */
  public void askedBefore(java.util.Set<String> decisions) {
    askedBefore(decisions, java.util.Set.of());
  }

  /**
   * As {@link #askedBefore(java.util.Set)}, with the requests an earlier session noted as sent
   * ({@link SentCalls}): a parse retry (attempt 1 or more) among them that an endpoint answers
   * again counts as a reissued call too.
   */
  public void askedBefore(java.util.Set<String> decisions, java.util.Set<String> sent) {
    askedBefore = java.util.Set.copyOf(decisions);
    sentBefore = java.util.Set.copyOf(sent);
  }

  /** Whether the parse retry {@code attempt} of this decision was sent by an earlier session. */
  private boolean retrySentBefore(int agent, long index, LlmRequest.Role role, int attempt) {
    return sentBefore.contains(SentCalls.line(agent, index, role.wireName(), attempt));
  }

  /**
   * Asks {@code agent}'s model for the summary a turn of an encounter game needs first
   * ({@code policy.llm.contextOverflow: summarise}): the answer is taken whole, so it is asked
   * once. Completes with the answer's text, or an empty text when the gateway gave up on the call;
   * exceptionally only with a {@link GatewayClosedException}.
   */
  public CompletionStage<String> summarise(RenderedPrompt prompt, int agent, long index, LlmRequest.Role role) {
    AgentGroup group = groups.at(agent, index);
    LlmRequest request = new LlmRequest(agent, index, role, 0, withPersona(prompt, group),
        seedFor(agent, index, role, 0), askedAgain(agent, index, role), group);
    return call(request, "", answer -> {
      record(request, answer, "ok", line -> line.put("summary", true));
      return CompletableFuture.completedFuture(answer.text());
    });
  }

  /**
   * Asks {@code agent}'s model for the free text one turn of an encounter game needs (a debate's
   * next message): the answer is taken whole, stripped. An empty or blank answer is unusable, as
   * an answer naming no option is: journaled {@code invalid} and asked again, with the same
   * prompt, up to {@code parseRetries} times. Completes with the text, or an empty text when no
   * usable answer came or the gateway gave up on the call; exceptionally only with a
   * {@link GatewayClosedException}. Journal lines carry {@code "freeText": true}.
   */
  public CompletionStage<String> say(RenderedPrompt prompt, int agent, long index, LlmRequest.Role role) {
    return say(prompt, Turn.ANY_TEXT, agent, index, role);
  }

  /**
   * Asks for a free text as {@link #say(RenderedPrompt, int, long, LlmRequest.Role)} does, of a
   * form the game reads: an answer {@code usable} refuses (it sees the text stripped) is unusable
   * like an empty one, journaled {@code invalid} and asked again.
   */
  public CompletionStage<String> say(RenderedPrompt prompt, Predicate<String> usable, int agent,
                                     long index, LlmRequest.Role role) {
    AgentGroup group = groups.at(agent, index);
    return say(agent, index, role, withPersona(prompt, group), usable, 0, askedAgain(agent, index, role), group);
  }

  private CompletionStage<String> say(int agent, long index, LlmRequest.Role role, RenderedPrompt prompt,
                                      Predicate<String> usable, int attempt, boolean again,
                                      AgentGroup group) {
    LlmRequest request = new LlmRequest(agent, index, role, attempt, prompt, seedFor(agent, index, role, attempt),
        again, group);
    return call(request, "", answer -> {
      String text = answer.text() == null ? "" : answer.text().strip();
      boolean ok = !text.isEmpty() && usable.test(text);
      record(request, answer, ok ? "ok" : "invalid", line -> line.put("freeText", true));
      if (ok) {
        return CompletableFuture.completedFuture(text);
      }
      invalidAnswers.incrementAndGet();
      return attempt < parseRetries
          ? say(agent, index, role, prompt, usable, attempt + 1, retrySentBefore(agent, index, role, attempt + 1), group)
          : CompletableFuture.completedFuture("");
    });
  }

  /** Asks for the choice a prompt rendered elsewhere leads to (the probe's first choices). */
  public CompletionStage<Integer> decide(RenderedPrompt prompt, int agent, long index, LlmRequest.Role role) {
    return ask(agent, index, role, prompt, parser, 0, false);
  }

  private CompletionStage<Integer> ask(int agent, long index, LlmRequest.Role role, RenderedPrompt prompt,
                                       ChoiceParser parser, int attempt, boolean again) {
    AgentGroup group = groups.at(agent, index);
    return ask(agent, index, role, withPersona(prompt, group), parser, attempt, again, group);
  }

  /** The prompt with the group's persona before its system text (a blank line between). */
  static RenderedPrompt withPersona(RenderedPrompt prompt, AgentGroup group) {
    if (group == null || group.persona() == null) {
      return prompt;
    }
    return new RenderedPrompt(group.persona() + RenderedPrompt.SEPARATOR + prompt.system(), prompt.user(),
        prompt.optionOrder(), prompt.currentRound(), prompt.score(), prompt.templatesSha256());
  }

  private CompletionStage<Integer> ask(int agent, long index, LlmRequest.Role role, RenderedPrompt prompt,
                                       ChoiceParser parser, int attempt, boolean again, AgentGroup group) {
    LlmRequest request = new LlmRequest(agent, index, role, attempt, prompt, seedFor(agent, index, role, attempt),
        again, group);
    return call(request, NO_CHOICE, answer -> {
      ParsedChoice parsed = parser.parse(answer.text());
      record(request, answer, parsed.accepted() ? "ok" : "invalid", line -> {
        if (parsed instanceof ParsedChoice.Accepted accepted) {
          line.put("choice", accepted.name());
          line.put("parsedBy", accepted.rule().name());
        } else if (parsed instanceof ParsedChoice.Rejected rejected) {
          line.put("rejected", rejected.reason().name());
        }
      });
      if (parsed instanceof ParsedChoice.Accepted accepted) {
        return CompletableFuture.completedFuture(accepted.option());
      }
      invalidAnswers.incrementAndGet();
      return attempt < parseRetries
          ? ask(agent, index, role, prompt, parser, attempt + 1, retrySentBefore(agent, index, role, attempt + 1), group)
          : CompletableFuture.completedFuture(NO_CHOICE);
    });
  }

  /**
   * Sends {@code request}; an answer goes to {@code answered}. When the gateway gives up on the
   * call the result is {@code unanswered} (the gateway journaled every try); when it closed, the
   * stage fails with a {@link GatewayClosedException} (the run is stopping: nothing was decided,
   * and a resumed run asks again). A first ask of a decision asked before, or a parse retry an
   * earlier session sent, that an endpoint answers, or fails, counts as a reissued call.
   */
  private <T> CompletionStage<T> call(LlmRequest request, T unanswered,
                                      java.util.function.Function<LlmAnswer, CompletionStage<T>> answered) {
    return gateway.complete(request).handle((answer, error) -> {
      if (request.again() && (error != null || !answer.replayed())) {
        reissuedCalls.incrementAndGet();
      }
      if (error != null && GatewayClosedException.causedBy(error)) {
        return CompletableFuture.<T>failedFuture(error);
      }
      if (error != null) {
        return CompletableFuture.completedFuture(unanswered);
      }
      return answered.apply(answer);
    }).thenCompose(stage -> stage);
  }

  /** Journals an answer with its outcome and what {@code details} adds, and counts it in the meters. */
  private void record(LlmRequest request, LlmAnswer answer, String outcome,
                      java.util.function.Consumer<ObjectNode> details) {
    ObjectNode line = CallJournal.entry(request, gateway.params(request), outcome, answer.tries());
    CallJournal.answer(line, answer);
    details.accept(line);
    gateway.journal().write(line, request.prompt().system());
    gateway.metrics().answered(answer.replayed() ? "replay" : answer.endpoint(), outcome);
    if (request.group() != null) {
      gateway.metrics().groupAnswered(request.group().name(), outcome);
    }
  }

  /**
   * A request seed from the spec's seed; null when the spec sets none. Each decision gets its own,
   * from its identity (agent, interaction, role, attempt). With a batching endpoint a request
   * carries one seed for all its prompts, so every decision's attempt k gets the same seed: an
   * answer then depends on its prompt and that seed, whatever request it travels in, and a
   * re-ask after an unusable answer is sampled anew.
   */
  private Long seedFor(int agent, long index, LlmRequest.Role role, int attempt) {
    if (seed == null) {
      return null;
    }
    if (gateway.batching()) {
      return Streams.mix64(seed ^ Streams.mix64(attempt + 1L)) & 0x7FFF_FFFFL;
    }
    long mixed = Streams.mix64(Streams.seedFor(seed, agent) ^ Streams.mix64(index * 4 + attempt * 2L
        + role.salt()) ^ attempt);
    return mixed & 0x7FFF_FFFFL;
  }

  /** The responder's side once its choice is known: it remembers and replies (a valid choice). */
  public Game.Reply respond(Mind responder, int own, int initiatorWord, long index) {
    return play.respond(responder, own, initiatorWord, index);
  }

  /** Answers that named no single option (each was asked again or made its interaction invalid). */
  public long invalidAnswers() {
    return invalidAnswers.get();
  }

  /**
   * Decisions asked for again after a failure or a resume, when neither this run's earlier answer
   * nor the call journal could answer them: each is a new model call.
   */
  public long reissuedCalls() {
    return reissuedCalls.get();
  }

  public LanguageModelPlay play() {
    return play;
  }
}
