package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.protocols.journal.AgentSnapshot;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What one agent does with its turns, written once for both of its shells: the in-memory
 * {@link AgentEntity} and the event-sourced {@link DurableAgentEntity}. No actor system: the core
 * is driven by method calls and tells its shell what follows through {@link Shell}, which the
 * shell implements itself (nothing is allocated per interaction beyond the messages themselves).
 *
 * <p>Turn order: each agent takes its turns ({@link AgentEntity.Play} as initiator,
 * {@link AgentEntity.Propose} as responder) in its own sequence order, one at a time. A turn that
 * comes early, or while the agent waits for its partner's answer or its own decision, is set
 * aside and taken up when its turn comes.
 *
 * <p>Two steps per interaction, so that a durable shell can write between them: deciding
 * ({@code on...} methods: the initiator draws its word and proposes; the responder's answer is
 * settled, {@link Shell#answerSettled}; the initiator's partner answered,
 * {@link Shell#playSettled}) and applying ({@link #applyAnswered}, {@link #applyPlayed}: the
 * mind changes, the sequence moves on). An in-memory shell applies at once; a durable one writes
 * the event first, applies it, and replays the same application on recovery.
 *
 * <p>Answering again: an agent that keeps its recent interactions ({@code keepsInteractions})
 * answers a turn it already took from what it kept (the record it reported, the answer it gave)
 * and never applies it twice; a turn it is waiting on is proposed again; a turn seen again while
 * set aside replaces the earlier copy (its reply address may be new). It keeps interactions from
 * the lowest index its run may still ask about ({@code settledBelow}, carried by every turn) on.
 * An agent that keeps nothing sets such a turn aside like any other.
 *
 * <p>Language-model agents ({@link Rules#deliberation()} set, not committed) decide
 * asynchronously: the core asks its shell to {@link Shell#deliberate}, and the decision comes back
 * through {@link #onDecided}. Applying a decided interaction never asks a model again: the
 * decided word is applied, and when the prompt was not rendered live (a replay) the draws that
 * rendering made from the agent's stream are made again.
 */
public final class AgentCore {

  /** What every agent of a run shares: the game and, for language-model agents, how they decide. */
  public interface Rules {
    Game<Mind> game();

    /** How language-model agents decide, or null when the game's policy decides in place. */
    LlmDeliberation deliberation();
  }

  /** What the core asks of its shell. */
  interface Shell {
    /** Send the initiator's proposal with its {@code word} to the partner of {@code play}. */
    void propose(AgentEntity.Play play, int word);

    /** Ask the agent's language model, rendering its prompt from {@code mind} now; its answer comes back through {@link #onDecided}. */
    void deliberate(Mind mind, long index, LlmRequest.Role role);

    /**
     * The responder's side of {@code propose} is settled: apply it ({@link #applyAnswered}) and
     * send the answer to the proposal's reply address, now or once written.
     *
     * @param decidedWord the word a language-model responder decided; null when the game's own
     *                    response applies
     * @return whether it was applied before returning (the agent can take up its next turn now)
     */
    boolean answerSettled(AgentEntity.Propose propose, Integer decidedWord);

    /**
     * The initiator's partner answered {@code play}: apply it ({@link #applyPlayed}) and report
     * the record, now or once written.
     *
     * @return whether it was applied before returning (the agent can take up its next turn now)
     */
    boolean playSettled(AgentEntity.Play play, int ownWord, AgentEntity.Answer answer);

    /** A turn already taken was asked for again: report its record again. */
    void reportAgain(InteractionRecord record);

    /** A proposal already answered was made again: send the same answer to its reply address. */
    void answerAgain(AgentEntity.Propose propose, AgentEntity.Answer answer);
  }

  private final Rules rules;
  private final Mind mind;
  private int nextSequence;
  /** The initiator's turn in progress, while it decides or waits for its partner's answer; else null. */
  private AgentEntity.Play waitingFor;
  /** Whether the word of {@link #waitingFor} is drawn (and {@link #ownWord} holds it). */
  private boolean drawn;
  private int ownWord;
  /** A language-model responder waiting for its own decision: the proposal; else null. */
  private AgentEntity.Propose answering;
  /** Whether the prompt of the turn in progress was rendered live (the agent's stream drawn already). */
  private boolean rendered;
  /** Turns set aside until their turn; null until first needed (most agents never need it). */
  private List<AgentEntity.Turn> setAside;
  /** Recent interactions, in index order, it may be asked about again; null when it keeps none. */
  private final ArrayDeque<Kept> kept;

  AgentCore(Rules rules, Mind mind, boolean keepsInteractions) {
    this.rules = rules;
    this.mind = mind;
    this.kept = keepsInteractions ? new ArrayDeque<>() : null;
  }

  public Mind mind() {
    return mind;
  }

  /** This agent's count of interactions taken: the sequence number of its next turn. */
  public int nextSequence() {
    return nextSequence;
  }

  /** Interactions kept to answer again for. */
  public int keptCount() {
    return kept == null ? 0 : kept.size();
  }

  /** The interactions kept to answer again for, oldest first, for a snapshot. */
  List<AgentSnapshot.Kept> keptInteractions() {
    if (kept == null) {
      return List.of();
    }
    List<AgentSnapshot.Kept> snapshot = new ArrayList<>(kept.size());
    for (Kept k : kept) {
      AgentEntity.Answer a = k.answer();
      snapshot.add(new AgentSnapshot.Kept(k.index(), k.record(), a == null ? null
          : new AgentSnapshot.Answer(a.index(), a.word(), a.success(), a.committed(), a.inventory(), a.soleWord())));
    }
    return snapshot;
  }

  /** Takes back the state a snapshot holds; on a core that has taken no turn. */
  void restore(MindState mindState, int nextSequence, List<AgentSnapshot.Kept> keptInteractions) {
    mind.restore(mindState);
    this.nextSequence = nextSequence;
    if (kept != null) {
      for (AgentSnapshot.Kept k : keptInteractions) {
        AgentSnapshot.Answer a = k.answer();
        kept.addLast(new Kept(k.index(), k.record(), a == null ? null
            : new AgentEntity.Answer(a.index(), a.word(), a.success(), a.committed(), a.inventory(), a.soleWord())));
      }
    }
  }

  /** Whether turns are set aside (the shell may take them up later). */
  boolean hasSetAside() {
    return setAside != null;
  }

  /** Whether it waits for its partner's answer or its own decision (a reply may come to this incarnation). */
  boolean busy() {
    return waitingFor != null || answering != null;
  }

  /** Hands over the turns set aside (none: an empty list) and forgets them; for an agent about to be passivated. */
  List<AgentEntity.Turn> takeSetAside() {
    List<AgentEntity.Turn> turns = setAside == null ? List.of() : setAside;
    setAside = null;
    return turns;
  }

  // Deciding

  void onPlay(AgentEntity.Play play, Shell shell) {
    if (kept != null) {
      if (play.sequence() < nextSequence) {
        // Taken already; its record may have been lost with a node: report it again.
        Kept k = find(play.index());
        if (k != null && k.record() != null) {
          shell.reportAgain(k.record());
        }
        return;
      }
      if (waitingFor != null && waitingFor.index() == play.index()) {
        // Re-driven while waiting: the proposal or its answer was lost, or the partner moved. (Still
        // deciding: the proposal goes when the decision comes.)
        waitingFor = play;
        if (drawn) {
          shell.propose(play, ownWord);
        }
        return;
      }
    }
    if (busy() || play.sequence() != nextSequence) {
      setAside(play);
      return;
    }
    start(play, shell);
  }

  void onPropose(AgentEntity.Propose propose, Shell shell) {
    if (kept != null) {
      if (propose.sequence() < nextSequence) {
        Kept k = find(propose.index());
        if (k != null && k.answer() != null) {
          shell.answerAgain(propose, k.answer());
        }
        return;
      }
      if (answering != null && answering.index() == propose.index()) {
        answering = propose; // re-driven while deciding: answer the latest address
        return;
      }
    }
    if (busy() || propose.sequence() != nextSequence) {
      setAside(propose);
      return;
    }
    if (answer(propose, shell)) {
      takeUp(shell);
    }
  }

  /**
   * The partner's answer to the initiator's turn in progress.
   *
   * @return false when the agent is not waiting for it (an answer repeated, or out of place)
   */
  boolean onAnswer(AgentEntity.Answer answer, Shell shell) {
    AgentEntity.Play play = waitingFor;
    if (play == null || play.index() != answer.index()) {
      return false;
    }
    if (shell.playSettled(play, ownWord, answer)) {
      takeUp(shell);
    }
    return true;
  }

  /**
   * The agent's own language-model decision for interaction {@code index}.
   *
   * @return false when the agent is not deciding that interaction
   */
  boolean onDecided(long index, int word, Shell shell) {
    if (answering != null && answering.index() == index) {
      AgentEntity.Propose propose = answering;
      answering = null;
      if (shell.answerSettled(propose, word)) {
        takeUp(shell);
      }
      return true;
    }
    if (waitingFor != null && waitingFor.index() == index && !drawn) {
      ownWord = word;
      drawn = true;
      shell.propose(waitingFor, word);
      return true;
    }
    return false;
  }

  /** Takes up set-aside turns whose turn has come, until the agent must wait (for an answer, a decision or a write). */
  void takeUp(Shell shell) {
    while (setAside != null && !busy()) {
      AgentEntity.Turn next = null;
      for (int i = 0; i < setAside.size(); i++) {
        if (setAside.get(i).sequence() == nextSequence) {
          next = setAside.remove(i);
          break;
        }
      }
      if (setAside.isEmpty()) {
        setAside = null;
      }
      if (next instanceof AgentEntity.Play play) {
        start(play, shell); // it waits for its partner now
      } else if (!(next instanceof AgentEntity.Propose propose) || !answer(propose, shell)) {
        return;
      }
    }
  }

  private void start(AgentEntity.Play play, Shell shell) {
    waitingFor = play;
    drawn = false;
    LlmDeliberation deliberation = rules.deliberation();
    if (deliberation != null && !mind.committedAt(play.index())) {
      rendered = true;
      shell.deliberate(mind, play.index(), LlmRequest.Role.INITIATOR);
      return;
    }
    ownWord = rules.game().produce(mind, play.index());
    drawn = true;
    shell.propose(play, ownWord);
  }

  /** Answers a proposal whose turn it is; whether the answer was applied before returning. */
  private boolean answer(AgentEntity.Propose propose, Shell shell) {
    if (rules.deliberation() != null && propose.word() != LlmDeliberation.NO_CHOICE
        && !mind.committedAt(propose.index())) {
      answering = propose;
      rendered = true;
      shell.deliberate(mind, propose.index(), LlmRequest.Role.RESPONDER);
      return false;
    }
    return shell.answerSettled(propose, null);
  }

  /** Sets a turn aside; one that keeps its interactions replaces a copy seen before. */
  private void setAside(AgentEntity.Turn turn) {
    if (setAside == null) {
      setAside = new ArrayList<>(2);
    }
    if (kept != null) {
      for (int i = 0; i < setAside.size(); i++) {
        AgentEntity.Turn other = setAside.get(i);
        if (other.sequence() == turn.sequence() && other.getClass() == turn.getClass()) {
          setAside.set(i, turn);
          return;
        }
      }
    }
    setAside.add(turn);
  }

  // Applying

  /**
   * Applies the initiator's side of interaction {@code index}: live, with the word it drew;
   * replayed, drawing again (or, decided by a model, taking the recorded word).
   *
   * @return the record to report
   * @throws IllegalStateException when the word drawn again is not the recorded one
   */
  InteractionRecord applyPlayed(long index, int partner, int sequence, int recordedOwnWord, int partnerWord,
                                boolean success, boolean partnerCommitted, int partnerInventory, int partnerSole,
                                long settledBelow) {
    Game<Mind> game = rules.game();
    LlmDeliberation deliberation = rules.deliberation();
    boolean committed = mind.committedAt(index);
    int own;
    if (drawn && waitingFor != null && waitingFor.index() == index) {
      own = ownWord;
    } else if (deliberation != null && !committed) {
      if (!rendered) {
        deliberation.redraw(mind, index); // the model is not asked again: its word is recorded
      }
      own = recordedOwnWord;
    } else {
      own = game.produce(mind, index);
    }
    if (own != recordedOwnWord) {
      throw new IllegalStateException("agent " + mind.id() + " replayed interaction " + index + " and drew "
          + own + ", not the recorded " + recordedOwnWord + ": the journal does not match this study");
    }
    boolean valid = own != LlmDeliberation.NO_CHOICE && partnerWord != LlmDeliberation.NO_CHOICE;
    if (valid) {
      game.conclude(mind, own, new Game.Reply(partnerWord, success), index);
    }
    nextSequence = sequence + 1;
    waitingFor = null;
    drawn = false;
    rendered = false;
    InteractionRecord record = mind.concludedRecord(index, committed, own, partner, partnerWord, success, valid,
        partnerCommitted, partnerInventory, partnerSole);
    if (kept != null) {
      keep(new Kept(index, record, null), settledBelow);
    }
    return record;
  }

  /**
   * Applies the responder's side of interaction {@code index}, in which its partner played
   * {@code initiatorWord}: the game's response, or the word a language model decided
   * ({@link LlmDeliberation#NO_CHOICE}: none; an invalid proposal changes nothing either).
   *
   * @return the answer to send
   * @throws IllegalStateException when a decided word is replayed in a study without a model
   */
  AgentEntity.Answer applyAnswered(long index, int sequence, int initiatorWord, long settledBelow,
                                   Integer decidedWord) {
    boolean committed = mind.committedAt(index);
    Game.Reply reply;
    if (initiatorWord == LlmDeliberation.NO_CHOICE) {
      reply = new Game.Reply(LlmDeliberation.NO_CHOICE, false);
    } else if (decidedWord == null) {
      reply = rules.game().respond(mind, initiatorWord, index);
    } else {
      LlmDeliberation deliberation = rules.deliberation();
      if (deliberation == null) {
        throw new IllegalStateException("agent " + mind.id() + " replayed interaction " + index
            + ", decided by a language model, in a study without one: the journal does not match this study");
      }
      if (!rendered) {
        deliberation.redraw(mind, index); // the model is not asked again: its word is recorded
      }
      int own = decidedWord;
      reply = own == LlmDeliberation.NO_CHOICE ? new Game.Reply(LlmDeliberation.NO_CHOICE, false)
          : deliberation.respond(mind, own, initiatorWord, index);
    }
    rendered = false;
    nextSequence = sequence + 1;
    AgentEntity.Answer answer = new AgentEntity.Answer(index, reply.word(), reply.success(), committed,
        mind.inventorySize(), mind.soleWord());
    if (kept != null) {
      keep(new Kept(index, null, answer), settledBelow);
    }
    return answer;
  }

  private Kept find(long index) {
    for (Iterator<Kept> it = kept.descendingIterator(); it.hasNext(); ) {
      Kept k = it.next();
      if (k.index() == index) {
        return k;
      }
      if (k.index() < index) {
        return null;
      }
    }
    return null;
  }

  private void keep(Kept k, long settledBelow) {
    kept.addLast(k);
    while (!kept.isEmpty() && kept.peekFirst().index() < settledBelow) {
      kept.removeFirst();
    }
  }

  /** One interaction kept to answer again for: the record reported (initiator) or the answer given. */
  private record Kept(long index, InteractionRecord record, AgentEntity.Answer answer) {
  }
}
