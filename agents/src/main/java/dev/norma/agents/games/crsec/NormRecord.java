package dev.norma.agents.games.crsec;

/**
 * One norm as an agent holds it, with the fields of Ren et al.'s norm records: its type, its
 * content as one subject–predicate–object sentence and those three parts, where it came from, its
 * utility (1–100) with the reason for it, and whether it is still a candidate or active. An
 * agent's records are part of its mind's saved state ({@link CrsecMind}); this is their readable
 * form, rendered from the study's {@link NormCatalogue}.
 *
 * @param norm       the norm's number in the study's catalogue: the same norm held by two agents has one number
 * @param type       descriptive (what customers do) or injunctive (what they should do)
 * @param content    the sentence, such as "Customers should not smoke indoors."
 * @param subject    who the norm binds ("customers"; a personal name fails evaluation)
 * @param predicate  what they do or should do ("should not smoke")
 * @param object     the rest ("indoors")
 * @param provenance how the agent came by it
 * @param utility    how useful the agent judges it, 1–100
 * @param reason     why it judges so
 * @param status     candidate (identified, not yet accepted) or active (shapes its actions and talk)
 * @param hops       conversations between the norm's origin (an advocate's own norm, an observation,
 *                   a synthesis) and this agent: 0 at the origin
 */
public record NormRecord(int norm, Type type, String content, String subject, String predicate, String object,
                         Provenance provenance, int utility, Reason reason, Status status, int hops) {

  /** Ren et al.'s two types of norm. */
  public enum Type {
    DESCRIPTIVE, INJUNCTIVE
  }

  /** Where an agent's norm came from. */
  public enum Provenance {
    /** Written from its own stances (an advocate's creation). */
    OWN,
    /** Identified in a conversation with someone who spoke up. */
    CONVERSATION,
    /** Identified from what it saw the others in its room do. */
    OBSERVATION,
    /** Merged from related active norms of its own. */
    SYNTHESIS
  }

  /** Candidate or active. */
  public enum Status {
    CANDIDATE, ACTIVE
  }

  /** Why an agent gives a norm its utility, as a sentence. */
  public enum Reason {
    OWN_STANCE("It states what I stand for."),
    AGREES("It matches what I already think of this behaviour."),
    NEUTRAL("I have no strong view, and it keeps the peace."),
    PERSUADED("I disliked it at first, but I keep hearing it."),
    OBSERVED("It is what I see most people here do."),
    MERGED("It sums up norms I already follow."),
    /** A language model's own reason, which the run's transcripts hold word for word. */
    STATED("As the agent stated it (see the transcripts).");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }
}
