package dev.norma.runtime.study;

import dev.norma.protocols.record.InteractionRecord;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The binary form of the messages that cross nodes on every interaction of a study: a play, a
 * proposal, an answer (once or twice per interaction whose agents live on different nodes), a
 * delivery of many of those ({@link Crossings}) and the registries' batches of records. Jackson
 * CBOR wrote each of them as a map with field names and reflection; here each is a fixed run of
 * big-endian numbers, so a crossing costs a few dozen bytes and no parsing. Bound to
 * {@link dev.norma.protocols.wire.CompactSerializable} in {@code serialization.conf}; everything
 * persisted and every cold message stays Jackson CBOR with named type ids.
 *
 * <p>The manifest names the message and its layout's version ({@code "P1"}: a play, version 1). A
 * later layout gets a new manifest and this class keeps reading the old ones for as long as nodes
 * of both versions may share a cluster; an unknown manifest is refused by name.
 *
 * <p>A proposal carries the initiator's reference, which Pekko would write as its full path and
 * resolve from the path again on every message; both directions are cached here (an agent
 * proposes thousands of times with the same reference). The caches are dropped whole when they
 * reach {@link #MAX_CACHED_REFS} entries (about 20 MB at worst, both together), so a run with more
 * agents than that resolves some references again, as Pekko would every time.
 */
public final class CompactSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
  /** Fixed for good: nodes of every version must agree on it. */
  public static final int IDENTIFIER = 7302;
  static final String PLAY = "P1";
  static final String PROPOSE = "Q1";
  static final String ANSWER = "A1";
  static final String BATCH = "B1";
  static final String RECORDS_ARRIVED = "C1";
  static final String DELIVERY = "D1";
  static final int MAX_CACHED_REFS = 50_000;

  private static final int PLAY_BYTES = 8 + 4 + 4 + 4 + 8;
  private static final int ANSWER_BYTES = 8 + 4 + 1 + 4 + 4;
  private static final int RECORD_BYTES = 8 + 4 * 4 + 1 + 4 * 4;
  /** A crossing's head: its kind ({@code P}, {@code Q} or {@code A}), recipient and sender. */
  private static final int CROSSING_HEAD_BYTES = 1 + 4 + 4;
  /** A proposal's fields but its reply reference. */
  private static final int PROPOSE_FIELDS_BYTES = 8 + 4 + 4 + 4 + 8;

  private final ActorRefResolver resolver;
  private final ConcurrentHashMap<ActorRef<?>, byte[]> refBytes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ActorRef<?>> resolvedRefs = new ConcurrentHashMap<>();

  public CompactSerializer(ExtendedActorSystem system) {
    this.resolver = ActorRefResolver.get(Adapter.toTyped(system));
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object message) {
    if (message instanceof AgentEntity.Play) {
      return PLAY;
    } else if (message instanceof AgentEntity.Propose) {
      return PROPOSE;
    } else if (message instanceof AgentEntity.Answer) {
      return ANSWER;
    } else if (message instanceof NormRegistry.RecordBatch) {
      return BATCH;
    } else if (message instanceof RunCoordinator.RecordsArrived) {
      return RECORDS_ARRIVED;
    } else if (message instanceof Crossings.Delivery) {
      return DELIVERY;
    }
    throw new IllegalArgumentException("no compact form for " + message.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object message) {
    ByteBuffer buffer = ByteBuffer.allocate(size(message));
    write(message, buffer);
    return buffer.array();
  }

  @Override
  public void toBinary(Object message, ByteBuffer buffer) {
    ByteOrder order = buffer.order();
    buffer.order(ByteOrder.BIG_ENDIAN);
    try {
      write(message, buffer);
    } finally {
      buffer.order(order);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return read(ByteBuffer.wrap(bytes), manifest);
  }

  @Override
  public Object fromBinary(ByteBuffer buffer, String manifest) throws NotSerializableException {
    ByteOrder order = buffer.order();
    buffer.order(ByteOrder.BIG_ENDIAN);
    try {
      return read(buffer, manifest);
    } finally {
      buffer.order(order);
    }
  }

  private int size(Object message) {
    if (message instanceof AgentEntity.Play) {
      return PLAY_BYTES;
    } else if (message instanceof AgentEntity.Propose propose) {
      return PROPOSE_FIELDS_BYTES + 4 + bytesOf(propose.replyTo()).length;
    } else if (message instanceof AgentEntity.Answer) {
      return ANSWER_BYTES;
    } else if (message instanceof NormRegistry.RecordBatch batch) {
      return 4 + RECORD_BYTES * batch.records().size();
    } else if (message instanceof RunCoordinator.RecordsArrived arrived) {
      return 4 + RECORD_BYTES * arrived.batch().records().size();
    } else if (message instanceof Crossings.Delivery delivery) {
      int size = 4 + bytesOf(delivery.from()).length + 4;
      for (Crossings.Crossing crossing : delivery.crossings()) {
        size += CROSSING_HEAD_BYTES + crossingBytes(crossing);
      }
      return size;
    }
    throw new IllegalArgumentException("no compact form for " + message.getClass().getName());
  }

  private void write(Object message, ByteBuffer out) {
    if (message instanceof AgentEntity.Play play) {
      writePlay(play, out);
    } else if (message instanceof AgentEntity.Propose propose) {
      byte[] ref = bytesOf(propose.replyTo());
      writeProposeFields(propose, out);
      out.putInt(ref.length).put(ref);
    } else if (message instanceof AgentEntity.Answer answer) {
      writeAnswer(answer, out);
    } else if (message instanceof NormRegistry.RecordBatch batch) {
      writeRecords(batch.records(), out);
    } else if (message instanceof RunCoordinator.RecordsArrived arrived) {
      writeRecords(arrived.batch().records(), out);
    } else if (message instanceof Crossings.Delivery delivery) {
      writeDelivery(delivery, out);
    } else {
      throw new IllegalArgumentException("no compact form for " + message.getClass().getName());
    }
  }

  private Object read(ByteBuffer in, String manifest) throws NotSerializableException {
    switch (manifest) {
      case PLAY:
        return readPlay(in);
      case PROPOSE: {
        AgentEntity.Propose fields = readProposeFields(in);
        byte[] ref = new byte[in.getInt()];
        in.get(ref);
        return new AgentEntity.Propose(fields.index(), fields.initiator(), fields.word(), fields.sequence(),
            refOf(ref), fields.settledBelow());
      }
      case ANSWER:
        return readAnswer(in);
      case BATCH:
        return new NormRegistry.RecordBatch(readRecords(in));
      case RECORDS_ARRIVED:
        return new RunCoordinator.RecordsArrived(new NormRegistry.RecordBatch(readRecords(in)));
      case DELIVERY:
        return readDelivery(in);
      default:
        throw new NotSerializableException("compact serializer " + IDENTIFIER + ": unknown manifest '" + manifest
            + "' (a message from a later version of Norma?)");
    }
  }

  /**
   * A delivery: the sending node's crossings reference, then each crossing's kind, recipient and
   * sender and its message's fields (a proposal's without its reply reference, which does not cross).
   */
  private void writeDelivery(Crossings.Delivery delivery, ByteBuffer out) {
    byte[] from = bytesOf(delivery.from());
    out.putInt(from.length).put(from).putInt(delivery.crossings().size());
    for (Crossings.Crossing crossing : delivery.crossings()) {
      AgentEntity.Command message = crossing.message();
      if (message instanceof AgentEntity.Play play) {
        writePlay(play, out.put((byte) 'P').putInt(crossing.to()).putInt(crossing.from()));
      } else if (message instanceof AgentEntity.Propose propose) {
        writeProposeFields(propose, out.put((byte) 'Q').putInt(crossing.to()).putInt(crossing.from()));
      } else if (message instanceof AgentEntity.Answer answer) {
        writeAnswer(answer, out.put((byte) 'A').putInt(crossing.to()).putInt(crossing.from()));
      } else {
        throw noCrossing(crossing);
      }
    }
  }

  private Crossings.Delivery readDelivery(ByteBuffer in) throws NotSerializableException {
    byte[] ref = new byte[in.getInt()];
    in.get(ref);
    ActorRef<Crossings.Command> from = refOf(ref);
    int count = in.getInt();
    List<Crossings.Crossing> crossings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte kind = in.get();
      int to = in.getInt();
      int sender = in.getInt();
      AgentEntity.Command message = switch (kind) {
        case 'P' -> readPlay(in);
        case 'Q' -> readProposeFields(in);
        case 'A' -> readAnswer(in);
        default -> throw new NotSerializableException("compact serializer " + IDENTIFIER + ": unknown crossing kind "
            + kind + " in a delivery");
      };
      crossings.add(new Crossings.Crossing(to, sender, message));
    }
    return new Crossings.Delivery(from, crossings);
  }

  private static void writePlay(AgentEntity.Play play, ByteBuffer out) {
    out.putLong(play.index()).putInt(play.partner()).putInt(play.sequence()).putInt(play.partnerSequence())
        .putLong(play.settledBelow());
  }

  private static AgentEntity.Play readPlay(ByteBuffer in) {
    return new AgentEntity.Play(in.getLong(), in.getInt(), in.getInt(), in.getInt(), in.getLong());
  }

  /** A proposal's fields but its reply reference ({@link #PROPOSE_FIELDS_BYTES}). */
  private static void writeProposeFields(AgentEntity.Propose propose, ByteBuffer out) {
    out.putLong(propose.index()).putInt(propose.initiator()).putInt(propose.word()).putInt(propose.sequence())
        .putLong(propose.settledBelow());
  }

  /** A proposal read without its reply reference: null, as one that came through crossings has. */
  private static AgentEntity.Propose readProposeFields(ByteBuffer in) {
    return new AgentEntity.Propose(in.getLong(), in.getInt(), in.getInt(), in.getInt(), null, in.getLong());
  }

  private static void writeAnswer(AgentEntity.Answer answer, ByteBuffer out) {
    out.putLong(answer.index()).putInt(answer.word())
        .put((byte) ((answer.success() ? 1 : 0) | (answer.committed() ? 2 : 0)))
        .putInt(answer.inventory()).putInt(answer.soleWord());
  }

  private static AgentEntity.Answer readAnswer(ByteBuffer in) {
    long index = in.getLong();
    int word = in.getInt();
    byte flags = in.get();
    return new AgentEntity.Answer(index, word, (flags & 1) != 0, (flags & 2) != 0, in.getInt(), in.getInt());
  }

  private static int crossingBytes(Crossings.Crossing crossing) {
    AgentEntity.Command message = crossing.message();
    if (message instanceof AgentEntity.Play) {
      return PLAY_BYTES;
    } else if (message instanceof AgentEntity.Propose) {
      return PROPOSE_FIELDS_BYTES;
    } else if (message instanceof AgentEntity.Answer) {
      return ANSWER_BYTES;
    }
    throw noCrossing(crossing);
  }

  private static IllegalArgumentException noCrossing(Crossings.Crossing crossing) {
    return new IllegalArgumentException("no compact form for a crossing of " + crossing.message().getClass().getName());
  }

  private static void writeRecords(List<InteractionRecord> records, ByteBuffer out) {
    out.putInt(records.size());
    for (InteractionRecord r : records) {
      out.putLong(r.index()).putInt(r.initiator()).putInt(r.responder()).putInt(r.initiatorWord())
          .putInt(r.responderWord())
          .put((byte) ((r.success() ? 1 : 0) | (r.valid() ? 2 : 0) | (r.initiatorCommitted() ? 4 : 0)
              | (r.responderCommitted() ? 8 : 0)))
          .putInt(r.initiatorInventory()).putInt(r.responderInventory()).putInt(r.initiatorSole())
          .putInt(r.responderSole());
    }
  }

  private static List<InteractionRecord> readRecords(ByteBuffer in) {
    int count = in.getInt();
    List<InteractionRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long index = in.getLong();
      int initiator = in.getInt();
      int responder = in.getInt();
      int initiatorWord = in.getInt();
      int responderWord = in.getInt();
      byte flags = in.get();
      records.add(new InteractionRecord(index, initiator, responder, initiatorWord, responderWord,
          (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
          in.getInt(), in.getInt(), in.getInt(), in.getInt()));
    }
    return records;
  }

  private byte[] bytesOf(ActorRef<?> ref) {
    byte[] bytes = refBytes.get(ref);
    if (bytes == null) {
      bytes = resolver.toSerializationFormat(ref).getBytes(StandardCharsets.UTF_8);
      if (refBytes.size() >= MAX_CACHED_REFS) {
        refBytes.clear();
      }
      refBytes.put(ref, bytes);
    }
    return bytes;
  }

  @SuppressWarnings("unchecked")
  private <T> ActorRef<T> refOf(byte[] bytes) {
    String path = new String(bytes, StandardCharsets.UTF_8);
    ActorRef<?> ref = resolvedRefs.get(path);
    if (ref == null) {
      ref = resolver.resolveActorRef(path);
      if (resolvedRefs.size() >= MAX_CACHED_REFS) {
        resolvedRefs.clear();
      }
      resolvedRefs.put(path, ref);
    }
    return (ActorRef<T>) ref;
  }
}
