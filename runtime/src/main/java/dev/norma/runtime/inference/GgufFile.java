package dev.norma.runtime.inference;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the in-process engine needs to know of a GGUF model before llama.cpp loads it, read from
 * the file's header: whether it is GGUF at all, whether it has a chat template, whether its
 * tokenizer adds a BOS token, and whether its vocabulary lists a token twice. llama.cpp reports a
 * file that is not a model with an error, but stops the whole process on a duplicate token; read
 * here first, both become an error naming the file.
 *
 * @param architecture {@code general.architecture}, or null
 * @param chatTemplate whether {@code tokenizer.chat_template} is present
 * @param addsBos      whether tokenizing a prompt adds a BOS token
 */
record GgufFile(String architecture, boolean chatTemplate, boolean addsBos) {
  private static final int STRING = 8;
  private static final int ARRAY = 9;
  /** Byte sizes of the fixed-size value types, by GGUF type id (0..12); strings and arrays vary. */
  private static final int[] SIZES = {1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8};

  /** Reads the header; the message of an {@link IOException} says what is wrong with the file. */
  static GgufFile read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = new byte[4];
      in.readFully(magic);
      if (!"GGUF".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
        throw new IOException("not a GGUF file (it does not start with 'GGUF')");
      }
      int version = u32(in);
      if (version < 2 || version > 3) {
        throw new IOException("GGUF version " + version + " is not supported (2 or 3 is)");
      }
      u64(in); // tensor count
      long entries = u64(in);
      String architecture = null;
      String tokenizer = null;
      Boolean addBos = null;
      boolean template = false;
      for (long i = 0; i < entries; i++) {
        String key = string(in);
        int type = u32(in);
        switch (key) {
          case "general.architecture" -> architecture = stringValue(in, type, key);
          case "tokenizer.ggml.model" -> tokenizer = stringValue(in, type, key);
          case "tokenizer.chat_template" -> {
            template = true;
            skip(in, type);
          }
          case "tokenizer.ggml.add_bos_token" -> {
            if (type != 7) {
              throw new IOException(key + " is not a boolean");
            }
            addBos = in.readByte() != 0;
          }
          case "tokenizer.ggml.tokens" -> checkDistinct(in, type);
          default -> skip(in, type);
        }
      }
      // llama.cpp's default: SentencePiece vocabularies add BOS, the others do not.
      boolean addsBos = addBos != null ? addBos : "llama".equals(tokenizer);
      return new GgufFile(architecture, template, addsBos);
    } catch (EOFException e) {
      throw new IOException("the file ends inside its GGUF header (cut short?)");
    }
  }

  /** The token list must not repeat a token: llama.cpp aborts the process on one. */
  private static void checkDistinct(DataInputStream in, int type) throws IOException {
    if (type != ARRAY || u32(in) != STRING) {
      throw new IOException("tokenizer.ggml.tokens is not a list of strings");
    }
    long count = u64(in);
    Map<String, Long> seen = new HashMap<>();
    for (long id = 0; id < count; id++) {
      byte[] token = bytes(in);
      // Compared byte for byte, as llama.cpp does: ISO-8859-1 maps each byte to one char.
      Long first = seen.putIfAbsent(new String(token, StandardCharsets.ISO_8859_1), id);
      if (first != null) {
        throw new IOException("its vocabulary lists the token '" + new String(token, StandardCharsets.UTF_8)
            + "' twice (ids " + first + " and " + id + "); llama.cpp cannot load it");
      }
    }
  }

  private static String stringValue(DataInputStream in, int type, String key) throws IOException {
    if (type != STRING) {
      throw new IOException(key + " is not a string");
    }
    return string(in);
  }

  private static void skip(DataInputStream in, int type) throws IOException {
    if (type == STRING) {
      skipBytes(in, u64(in));
    } else if (type == ARRAY) {
      int elementType = u32(in);
      long count = u64(in);
      for (long i = 0; i < count; i++) {
        skip(in, elementType);
      }
    } else if (type >= 0 && type < SIZES.length) {
      skipBytes(in, SIZES[type]);
    } else {
      throw new IOException("unknown GGUF value type " + type);
    }
  }

  private static void skipBytes(DataInputStream in, long count) throws IOException {
    long left = count;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        in.readByte(); // throws EOFException at the end
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static String string(DataInputStream in) throws IOException {
    return new String(bytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    long length = u64(in);
    if (length < 0 || length > 64L << 20) {
      throw new IOException("a GGUF string of " + length + " bytes: the header is damaged");
    }
    byte[] bytes = new byte[(int) length];
    in.readFully(bytes);
    return bytes;
  }

  private static int u32(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  private static long u64(DataInputStream in) throws IOException {
    return Long.reverseBytes(in.readLong());
  }
}
