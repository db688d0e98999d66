package dev.norma.agents.encounter;

import dev.norma.agents.Mind;
import java.lang.reflect.Array;

/**
 * Arrays of an encounter game's minds whose component type is the minds' own class. A game with a
 * concrete mind type ({@code EncounterGame<ConventionMind>}) receives its group through a bridge
 * method that casts the array to that type, so {@link EncounterGame#play} and
 * {@link EncounterGame#populationStep} fail with a {@link ClassCastException} on an erased
 * {@code (M[]) new Mind[n]}. {@link EncounterLoop} makes its arrays here, and so must an engine.
 */
public final class MindArrays {
  private MindArrays() {
  }

  /** The most specific class that every one of {@code minds} is an instance of. */
  public static Class<?> commonClass(Mind[] minds) {
    Class<?> common = null;
    for (Mind mind : minds) {
      Class<?> type = mind.getClass();
      if (common == null) {
        common = type;
      }
      while (!common.isAssignableFrom(type)) {
        common = common.getSuperclass();
      }
    }
    return common == null ? Mind.class : common;
  }

  /** A new array of {@code length} minds of {@code mindClass} (as {@link #commonClass} gives it). */
  @SuppressWarnings("unchecked")
  public static <M extends Mind> M[] newArray(Class<?> mindClass, int length) {
    if (!Mind.class.isAssignableFrom(mindClass)) {
      throw new IllegalArgumentException(mindClass.getName() + " is not a mind");
    }
    return (M[]) Array.newInstance(mindClass, length);
  }
}
