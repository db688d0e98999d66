package dev.norma.agents.games.ultimatum;

import dev.norma.agents.llm.FakeAnswers;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in player for the ultimatum game's default prompts: it reads the prompt and answers
 * like a simple adaptive player, deterministically (it draws nothing; no two of its choices tie).
 *
 * <ul>
 *   <li>As proposer, told the responder's record: it offers the lowest offer that responder
 *       accepted. Otherwise it adjusts its own last proposal among the encounters shown: one step
 *       lower after an acceptance, one step higher after a rejection (kept within 0 and the sum);
 *       with no proposal shown it offers half the sum.</li>
 *   <li>As responder: without reputation it accepts any offer of at least one step (10 points),
 *       since anything beats nothing; when the rules say proposers are told a responder's record
 *       it rejects offers below 40, as standing firm earns better offers later.</li>
 * </ul>
 *
 * So without reputation the offers made fall to the minimum step, and with it they stay near 40:
 * the two regimes of Nowak, Page &amp; Sigmund, reached by learning in context. It writes one
 * line of reasoning, then the final line the prompt asks for. Immutable and thread-safe.
 */
final class UltimatumFakeAnswers implements FakeAnswers {
  /** The least a responder accepts without reputation. */
  static final int LEAST_ACCEPTED = 10;
  /** The least a responder accepts under reputation. */
  static final int LEAST_ACCEPTED_UNDER_REPUTATION = 40;

  /** A phrase only this game's default rules have. */
  private static final String RULES = "meet in pairs, again and again, to split a sum of";
  /** A phrase only the default reputation rule has. */
  private static final String REPUTATION = "becomes known to the proposers you meet later";
  private static final String PROPOSER = "You are the proposer in this encounter.";
  private static final Pattern STEP = Pattern.compile("in steps of (\\d+) points from 0 to (\\d+)");
  private static final Pattern RECORD = Pattern.compile(
      "the lowest offer it accepted among the encounters it remembers is (\\d+)");
  private static final Pattern OWN_PROPOSAL = Pattern.compile(
      "you were the proposer, the offer was (\\d+), the responder (accepted|rejected) it");
  private static final Pattern OFFERED = Pattern.compile("The proposer offers you (\\d+) of");

  @Override
  public boolean reads(String prompt) {
    return prompt.contains(RULES);
  }

  @Override
  public String answer(String prompt, IntUnaryOperator uniform) {
    if (prompt.contains(PROPOSER)) {
      return propose(prompt);
    }
    Matcher offered = OFFERED.matcher(prompt);
    if (!offered.find()) {
      return "I see no offer to answer in this prompt.";
    }
    int offer = Integer.parseInt(offered.group(1));
    boolean reputation = prompt.contains(REPUTATION);
    int least = reputation ? LEAST_ACCEPTED_UNDER_REPUTATION : LEAST_ACCEPTED;
    boolean accept = offer >= least;
    String reasoning = reputation
        ? "Proposers learn what I accept, so I accept " + least + " or more and reject less."
        : "Any offer of " + least + " or more is better than nothing.";
    return reasoning + "\n" + stated(accept ? "accept" : "reject");
  }

  private static String propose(String prompt) {
    Matcher step = STEP.matcher(prompt);
    int points = step.find() ? Integer.parseInt(step.group(1)) : UltimatumPrompt.STEP;
    int sum = step.find(0) ? Integer.parseInt(step.group(2)) : UltimatumGame.SUM;
    Matcher record = RECORD.matcher(prompt);
    if (record.find()) {
      String offer = record.group(1);
      return "This responder has accepted " + offer + " before, so I offer that.\n" + stated(offer);
    }
    Matcher own = OWN_PROPOSAL.matcher(prompt);
    int last = -1;
    boolean accepted = false;
    while (own.find()) {
      last = Integer.parseInt(own.group(1));
      accepted = own.group(2).equals("accepted");
    }
    if (last < 0) {
      return "I have made no offer yet, so I start with an even split.\n" + stated(Integer.toString(sum / 2));
    }
    int offer = Math.max(0, Math.min(sum, accepted ? last - points : last + points));
    String reasoning = accepted
        ? "My offer of " + last + " was accepted, so I try a little less."
        : "My offer of " + last + " was rejected, so I offer a little more.";
    return reasoning + "\n" + stated(Integer.toString(offer));
  }

  private static String stated(String choice) {
    return "{'value': '" + choice + "'}";
  }
}
