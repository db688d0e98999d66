package dev.norma.runtime.inference;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny llama-architecture model in GGUF (version 3) with seeded random F32 weights, for
 * tests of the in-process engine: no weights can be downloaded, and a model of a few hundred
 * kilobytes loads and decodes in milliseconds. Its answers are noise; the grammar makes them
 * options anyway.
 *
 * <p>The vocabulary is SentencePiece-style ({@code tokenizer.ggml.model = llama}): {@code <unk>},
 * {@code <s>}, {@code </s>}, the 256 byte-fallback tokens {@code <0x00>}..{@code <0xFF>} (so every
 * text can be spelled), the word-start mark {@code ▁} and the printable ASCII characters. No token
 * appears twice: llama.cpp aborts the process on a duplicate.
 */
final class TinyGguf {
  /** The {@code chatml} chat template: with it the engine takes the template path. */
  static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
      + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
      + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private static final int ALIGNMENT = 32;
  private static final int TYPE_UINT32 = 4;
  private static final int TYPE_INT32 = 5;
  private static final int TYPE_FLOAT32 = 6;
  private static final int TYPE_BOOL = 7;
  private static final int TYPE_STRING = 8;
  private static final int TYPE_ARRAY = 9;
  private static final int TENSOR_F32 = 0;
  private static final int TOKEN_NORMAL = 1;
  private static final int TOKEN_UNKNOWN = 2;
  private static final int TOKEN_CONTROL = 3;
  private static final int TOKEN_BYTE = 6;

  private static final int EMBEDDING = 64;
  private static final int HEADS = 4;
  private static final int FEED_FORWARD = 128;
  private static final int LAYERS = 2;
  private static final int TRAINED_CONTEXT = 4096;

  private TinyGguf() {
  }

  /**
   * Writes the model to {@code file}.
   *
   * @param seed         the weights' seed: the same seed writes the same bytes
   * @param chatTemplate {@code tokenizer.chat_template}, or null for none
   */
  static Path write(Path file, long seed, String chatTemplate) throws IOException {
    return write(file, seed, chatTemplate, vocabulary());
  }

  /** Writes the model with these tokens (the first 259 as in {@link #vocabulary()}). */
  static Path write(Path file, long seed, String chatTemplate, List<String> tokens) throws IOException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("general.architecture", "llama");
    metadata.put("general.name", "norma-tiny-test");
    metadata.put("general.alignment", new Unsigned(ALIGNMENT));
    metadata.put("llama.context_length", new Unsigned(TRAINED_CONTEXT));
    metadata.put("llama.embedding_length", new Unsigned(EMBEDDING));
    metadata.put("llama.block_count", new Unsigned(LAYERS));
    metadata.put("llama.feed_forward_length", new Unsigned(FEED_FORWARD));
    metadata.put("llama.attention.head_count", new Unsigned(HEADS));
    metadata.put("llama.attention.head_count_kv", new Unsigned(HEADS));
    metadata.put("llama.rope.dimension_count", new Unsigned(EMBEDDING / HEADS));
    metadata.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    metadata.put("tokenizer.ggml.model", "llama");
    metadata.put("tokenizer.ggml.tokens", tokens);
    float[] scores = new float[tokens.size()];
    int[] types = new int[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      types[i] = i == 0 ? TOKEN_UNKNOWN : i < 3 ? TOKEN_CONTROL : i < 3 + 256 ? TOKEN_BYTE : TOKEN_NORMAL;
      scores[i] = types[i] == TOKEN_NORMAL ? -(i - 259) : 0f;
    }
    metadata.put("tokenizer.ggml.scores", scores);
    metadata.put("tokenizer.ggml.token_type", types);
    metadata.put("tokenizer.ggml.unknown_token_id", new Unsigned(0));
    metadata.put("tokenizer.ggml.bos_token_id", new Unsigned(1));
    metadata.put("tokenizer.ggml.eos_token_id", new Unsigned(2));
    metadata.put("tokenizer.ggml.add_bos_token", Boolean.TRUE);
    metadata.put("tokenizer.ggml.add_eos_token", Boolean.FALSE);
    if (chatTemplate != null) {
      metadata.put("tokenizer.chat_template", chatTemplate);
    }

    SplittableRandom random = new SplittableRandom(seed);
    int vocab = tokens.size();
    List<Tensor> tensors = new ArrayList<>();
    tensors.add(Tensor.random("token_embd.weight", random, 0.5, EMBEDDING, vocab));
    for (int layer = 0; layer < LAYERS; layer++) {
      String block = "blk." + layer + ".";
      tensors.add(Tensor.ones(block + "attn_norm.weight", EMBEDDING));
      tensors.add(Tensor.random(block + "attn_q.weight", random, 0.2, EMBEDDING, EMBEDDING));
      tensors.add(Tensor.random(block + "attn_k.weight", random, 0.2, EMBEDDING, EMBEDDING));
      tensors.add(Tensor.random(block + "attn_v.weight", random, 0.2, EMBEDDING, EMBEDDING));
      tensors.add(Tensor.random(block + "attn_output.weight", random, 0.2, EMBEDDING, EMBEDDING));
      tensors.add(Tensor.ones(block + "ffn_norm.weight", EMBEDDING));
      tensors.add(Tensor.random(block + "ffn_gate.weight", random, 0.2, EMBEDDING, FEED_FORWARD));
      tensors.add(Tensor.random(block + "ffn_up.weight", random, 0.2, EMBEDDING, FEED_FORWARD));
      tensors.add(Tensor.random(block + "ffn_down.weight", random, 0.2, FEED_FORWARD, EMBEDDING));
    }
    tensors.add(Tensor.ones("output_norm.weight", EMBEDDING));
    // Small output weights: nearly even odds between the options, so that the seed decides.
    tensors.add(Tensor.random("output.weight", random, 0.05, EMBEDDING, vocab));

    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      Writer w = new Writer(out);
      w.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
      w.u32(3);
      w.u64(tensors.size());
      w.u64(metadata.size());
      for (Map.Entry<String, Object> entry : metadata.entrySet()) {
        w.string(entry.getKey());
        w.value(entry.getValue());
      }
      long offset = 0;
      for (Tensor tensor : tensors) {
        w.string(tensor.name);
        w.u32(tensor.dims.length);
        for (long dim : tensor.dims) {
          w.u64(dim);
        }
        w.u32(TENSOR_F32);
        w.u64(offset);
        offset = align(offset + tensor.data.length * 4L);
      }
      w.pad();
      for (Tensor tensor : tensors) {
        ByteBuffer data = ByteBuffer.allocate(tensor.data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : tensor.data) {
          data.putFloat(f);
        }
        w.bytes(data.array());
        w.pad();
      }
    }
    return file;
  }

  /** The tokens, in id order; every one distinct. */
  static List<String> vocabulary() {
    List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
    }
    tokens.add("\u2581");
    for (char c = '!'; c <= '~'; c++) {
      tokens.add(String.valueOf(c));
    }
    return tokens;
  }

  private static long align(long offset) {
    return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  /** A {@code uint32} metadata value (a plain Integer is written as {@code int32}). */
  private record Unsigned(int value) {
  }

  private record Tensor(String name, long[] dims, float[] data) {
    /** dims innermost first, as GGUF lists them. */
    static Tensor random(String name, SplittableRandom random, double scale, long... dims) {
      float[] data = new float[(int) (dims[0] * dims[1])];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
      }
      return new Tensor(name, dims, data);
    }

    static Tensor ones(String name, int size) {
      float[] data = new float[size];
      java.util.Arrays.fill(data, 1f);
      return new Tensor(name, new long[] {size}, data);
    }
  }

  /** Little-endian GGUF primitives, counting bytes written for alignment. */
  private static final class Writer {
    private final OutputStream out;
    private long written;

    Writer(OutputStream out) {
      this.out = out;
    }

    void bytes(byte[] b) throws IOException {
      out.write(b);
      written += b.length;
    }

    void u32(int v) throws IOException {
      bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    void u64(long v) throws IOException {
      bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    void f32(float v) throws IOException {
      bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
    }

    void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      bytes(b);
    }

    void pad() throws IOException {
      bytes(new byte[(int) (align(written) - written)]);
    }

    @SuppressWarnings("unchecked")
    void value(Object value) throws IOException {
      if (value instanceof String s) {
        u32(TYPE_STRING);
        string(s);
      } else if (value instanceof Unsigned u) {
        u32(TYPE_UINT32);
        u32(u.value());
      } else if (value instanceof Float f) {
        u32(TYPE_FLOAT32);
        f32(f);
      } else if (value instanceof Boolean b) {
        u32(TYPE_BOOL);
        bytes(new byte[] {(byte) (b ? 1 : 0)});
      } else if (value instanceof List<?> list) {
        u32(TYPE_ARRAY);
        u32(TYPE_STRING);
        u64(list.size());
        for (String s : (List<String>) list) {
          string(s);
        }
      } else if (value instanceof float[] floats) {
        u32(TYPE_ARRAY);
        u32(TYPE_FLOAT32);
        u64(floats.length);
        for (float f : floats) {
          f32(f);
        }
      } else if (value instanceof int[] ints) {
        u32(TYPE_ARRAY);
        u32(TYPE_INT32);
        u64(ints.length);
        for (int i : ints) {
          u32(i);
        }
      } else {
        throw new IllegalArgumentException("no GGUF type for " + value.getClass());
      }
    }
  }
}
