package dev.norma.agents.games.higherorder;

import dev.norma.agents.llm.ContextRecall;

/**
 * What an agent of the language-model policy remembers of its last encounters, oldest first, for
 * its prompts: the part it played, the name the speaker said and whether the group agreed. Each
 * encounter is packed into one int (the convention said in bit 0, spoke in bit 1, agreed in bit 2)
 * in a ring of a fixed capacity; the oldest leaves first. With it, the {@link ContextRecall} of
 * its prompts: how many encounters it has remembered in all, and its summary of those that left
 * its context window.
 *
 * <p>Kept out of {@link ConventionMind} itself so that a rule-based mind, which remembers nothing,
 * holds one null reference and stays as small as before.
 */
final class EncounterMemory {
  private static final int SAID_B = 1;
  private static final int SPOKE = 1 << 1;
  private static final int AGREED = 1 << 2;
  private static final int ALL_BITS = SAID_B | SPOKE | AGREED;

  private final int[] ring;
  private int start;
  private int size;
  private final ContextRecall recall = new ContextRecall();

  EncounterMemory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a memory holds at least one encounter: " + capacity);
    }
    this.ring = new int[capacity];
  }

  /** One remembered encounter: the agent spoke or heard, the convention said, whether the group agreed. */
  record Entry(boolean spoke, int said, boolean agreed) {
  }

  void remember(boolean spoke, int said, boolean agreed) {
    int packed = (said == ConventionMind.B ? SAID_B : 0) | (spoke ? SPOKE : 0) | (agreed ? AGREED : 0);
    if (size < ring.length) {
      ring[(start + size) % ring.length] = packed;
      size++;
    } else {
      ring[start] = packed;
      start = (start + 1) % ring.length;
    }
    recall.remembered();
  }

  ContextRecall recall() {
    return recall;
  }

  int size() {
    return size;
  }

  int capacity() {
    return ring.length;
  }

  /** The {@code i}-th remembered encounter, oldest first. */
  Entry get(int i) {
    int packed = packed(i);
    return new Entry((packed & SPOKE) != 0, (packed & SAID_B) != 0 ? ConventionMind.B : ConventionMind.A,
        (packed & AGREED) != 0);
  }

  private int packed(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("encounter " + i + " of " + size);
    }
    return ring[(start + i) % ring.length];
  }

  /** Writes the remembered encounters, oldest first, into {@code out} from {@code from}. */
  void writeTo(int[] out, int from) {
    for (int i = 0; i < size; i++) {
      out[from + i] = packed(i);
    }
  }

  /** Replaces what is remembered by {@code count} packed encounters of {@code in} from {@code from}. */
  void readFrom(int[] in, int from, int count) {
    if (count < 0 || count > ring.length) {
      throw new IllegalArgumentException("cannot remember " + count + " encounters in " + ring.length);
    }
    for (int i = 0; i < count; i++) {
      if ((in[from + i] & ~ALL_BITS) != 0) {
        throw new IllegalArgumentException("not a remembered encounter: " + in[from + i]);
      }
      ring[i] = in[from + i];
    }
    start = 0;
    size = count;
  }
}
