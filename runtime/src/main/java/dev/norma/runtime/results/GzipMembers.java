package dev.norma.runtime.results;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip file written as a series of whole members, each handed to the file in one write. A
 * process killed at any moment leaves a file whose members are all complete but perhaps the last
 * (cut short only if the kill lands inside that one write), so every row written before the last
 * {@link #endMember()} stays readable by any gzip reader: concatenated members are one stream to
 * gzip, zcat, Python's and Java's readers alike. A plain {@code GZIPOutputStream} instead leaves a
 * stream without its end, which those readers reject whole or after an error.
 *
 * <p>Not thread-safe; members are ended by the writer when its rows make a natural unit (a
 * population round), and at the latest every {@link #MAX_MEMBER_BYTES} of input.
 */
public final class GzipMembers extends OutputStream {
  /** Input bytes after which a member ends anyway, whatever the writer's units. */
  static final int MAX_MEMBER_BYTES = 1 << 20;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream file;
  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
  private final CRC32 crc = new CRC32();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1 << 16);
  private final ByteArrayOutputStream member = new ByteArrayOutputStream(1 << 16);
  private final byte[] chunk = new byte[1 << 16];
  private boolean closed;

  /** Creates (or truncates) {@code path}. */
  public GzipMembers(Path path) throws IOException {
    this.file = Files.newOutputStream(path);
  }

  @Override
  public void write(int b) throws IOException {
    pending.write(b);
    endIfLarge();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    pending.write(bytes, offset, length);
    endIfLarge();
  }

  private void endIfLarge() throws IOException {
    if (pending.size() >= MAX_MEMBER_BYTES) {
      endMember();
    }
  }

  /** Compresses what was written since the last member into one member and writes it whole. */
  public void endMember() throws IOException {
    if (pending.size() == 0 || closed) {
      return;
    }
    byte[] input = pending.toByteArray();
    pending.reset();
    crc.reset();
    crc.update(input);
    deflater.reset();
    deflater.setInput(input);
    deflater.finish();
    member.reset();
    member.write(HEADER);
    while (!deflater.finished()) {
      int n = deflater.deflate(chunk);
      member.write(chunk, 0, n);
    }
    writeIntLittleEndian(member, (int) crc.getValue());
    writeIntLittleEndian(member, input.length);
    member.writeTo(file);
    file.flush();
  }

  private static void writeIntLittleEndian(ByteArrayOutputStream out, int value) {
    out.write(value & 0xff);
    out.write((value >>> 8) & 0xff);
    out.write((value >>> 16) & 0xff);
    out.write((value >>> 24) & 0xff);
  }

  /** Ends the last member; no-op for data (members end explicitly). */
  @Override
  public void flush() {
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      endMember();
    } finally {
      closed = true;
      deflater.end();
      file.close();
    }
  }
}
