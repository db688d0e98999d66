package dev.norma.testkit.fakellm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU set of prompt-block hashes (see {@link Tokens#analyse}): the leading blocks of
 * a prompt found here are not prefilled again. Used by the scheduler thread only.
 */
final class PrefixCache {
  private final int capacityBlocks;
  private final LinkedHashMap<Long, Boolean> blocks;

  PrefixCache(int capacityBlocks) {
    this.capacityBlocks = capacityBlocks;
    this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
        return size() > PrefixCache.this.capacityBlocks;
      }
    };
  }

  /** How many leading blocks are cached; each found block becomes most recently used. */
  int leadingHits(long[] blockHashes) {
    if (capacityBlocks <= 0) {
      return 0;
    }
    int hits = 0;
    while (hits < blockHashes.length && blocks.get(blockHashes[hits]) != null) {
      hits++;
    }
    return hits;
  }

  void insert(long[] blockHashes) {
    if (capacityBlocks <= 0) {
      return;
    }
    for (long hash : blockHashes) {
      blocks.put(hash, Boolean.TRUE);
    }
  }

  int size() {
    return blocks.size();
  }
}
