package dev.norma.protocols.journal;

import dev.norma.protocols.record.InteractionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive interaction records stored column by column: about 10 bytes per interaction in
 * CBOR instead of about 200 as named fields, which matters for a journal that keeps every
 * interaction of a run. Indices are implicit (the first one is kept by the event).
 */
public record RecordColumns(int[] initiators, int[] responders, int[] initiatorWords,
                            int[] responderWords, byte[] flags, int[] initiatorInventories,
                            int[] responderInventories, int[] initiatorSoles, int[] responderSoles) {
  private static final int SUCCESS = 1;
  private static final int VALID = 2;
  private static final int INITIATOR_COMMITTED = 4;
  private static final int RESPONDER_COMMITTED = 8;

  public static RecordColumns of(List<InteractionRecord> records) {
    int n = records.size();
    RecordColumns c = new RecordColumns(new int[n], new int[n], new int[n], new int[n], new byte[n],
        new int[n], new int[n], new int[n], new int[n]);
    for (int i = 0; i < n; i++) {
      InteractionRecord r = records.get(i);
      c.initiators[i] = r.initiator();
      c.responders[i] = r.responder();
      c.initiatorWords[i] = r.initiatorWord();
      c.responderWords[i] = r.responderWord();
      c.flags[i] = (byte) ((r.success() ? SUCCESS : 0) | (r.valid() ? VALID : 0)
          | (r.initiatorCommitted() ? INITIATOR_COMMITTED : 0)
          | (r.responderCommitted() ? RESPONDER_COMMITTED : 0));
      c.initiatorInventories[i] = r.initiatorInventory();
      c.responderInventories[i] = r.responderInventory();
      c.initiatorSoles[i] = r.initiatorSole();
      c.responderSoles[i] = r.responderSole();
    }
    return c;
  }

  public int size() {
    return initiators.length;
  }

  /** The {@code i}-th record, whose interaction index is {@code firstIndex + i}. */
  public InteractionRecord get(long firstIndex, int i) {
    int f = flags[i];
    return new InteractionRecord(firstIndex + i, initiators[i], responders[i], initiatorWords[i],
        responderWords[i], (f & SUCCESS) != 0, (f & VALID) != 0, (f & INITIATOR_COMMITTED) != 0,
        (f & RESPONDER_COMMITTED) != 0, initiatorInventories[i], responderInventories[i],
        initiatorSoles[i], responderSoles[i]);
  }

  public List<InteractionRecord> toRecords(long firstIndex) {
    List<InteractionRecord> records = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      records.add(get(firstIndex, i));
    }
    return records;
  }
}
