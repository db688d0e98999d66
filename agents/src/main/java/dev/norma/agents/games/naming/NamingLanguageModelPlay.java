package dev.norma.agents.games.naming;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.llm.ChoiceParser;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The naming game played through a language model, as Ashery et al. (2025) prompt it: an agent's
 * last H interactions (or the newest that fit {@code policy.llm.contextTokens}) rendered by
 * {@link NamingPrompt}, the pool's names as options, and a responder that remembers what it chose
 * and what it heard.
 */
final class NamingLanguageModelPlay implements LanguageModelPlay {
  private final NamingGame game;
  private final NamingPrompt prompts;
  /** The prompt and the answer parser of each of the game's phases (the first: {@link #prompts}). */
  private final NamingPrompt[] phasePrompts;
  private final ChoiceParser[] phaseParsers;

  NamingLanguageModelPlay(NamingGame game, NamingPrompt prompts) {
    this.game = game;
    this.prompts = prompts;
    List<NamingPhases.Phase> phases = game.phases().phases();
    this.phasePrompts = new NamingPrompt[phases.size()];
    this.phaseParsers = new ChoiceParser[phases.size()];
    for (int i = 0; i < phases.size(); i++) {
      phasePrompts[i] = i == 0 ? prompts : prompts.forPhase(phases.get(i));
      phaseParsers[i] = phasePrompts[i].parser();
    }
  }

  @Override
  public List<String> options() {
    return game.names();
  }

  @Override
  public RenderedPrompt render(Mind mind, IntUnaryOperator uniform) {
    return prompts.render((NamingMind) mind, uniform);
  }

  /** The prompt of the phase in force at {@code index}, after the mind catches up with its relabelling. */
  @Override
  public RenderedPrompt render(Mind mind, long index, IntUnaryOperator uniform) {
    NamingMind naming = (NamingMind) mind;
    game.catchUp(naming, index);
    return phasePrompts[game.phases().positionAt(index)].render(naming, uniform);
  }

  @Override
  public ChoiceParser parser() {
    return phaseParsers[0];
  }

  @Override
  public ChoiceParser parser(long index) {
    return phaseParsers[game.phases().positionAt(index)];
  }

  @Override
  public RenderedPrompt renderFirst(IntUnaryOperator uniform) {
    return prompts.render(List.of(), uniform);
  }

  /**
   * H: after H plays a mind remembers all it can, and its prompt shows the newest of them that fit
   * {@code contextTokens}, so {@code renderAfter(window())} is a prompt at its longest.
   */
  @Override
  public int window() {
    return game.memory();
  }

  /** Its own choices cycling through the names, its partners' always the first: the first play succeeded. */
  @Override
  public RenderedPrompt renderAfter(int encounters) {
    List<NamingPrompt.Interaction> window = new ArrayList<>();
    int startingPool = game.phases().phases().get(0).options().length;
    for (int i = 0; i < encounters; i++) {
      window.add(new NamingPrompt.Interaction(i % startingPool, 0));
    }
    return prompts.render(window, bound -> 0);
  }

  @Override
  public Game.Reply respond(Mind responder, int own, int initiatorWord, long index) {
    game.remember((NamingMind) responder, own, initiatorWord, index);
    return new Game.Reply(own, own == initiatorWord);
  }

  @Override
  public String templatesSha256() {
    return prompts.templates().sha256();
  }

  @Override
  public Map<String, String> templateHashes() {
    return hashes(prompts.templates());
  }

  static Map<String, String> hashes(NamingPromptTemplates templates) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (NamingPromptTemplates.Part part : NamingPromptTemplates.Part.values()) {
      parts.put(part.fileName(), templates.get(part).sha256());
    }
    return parts;
  }
}
