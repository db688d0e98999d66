package dev.norma.runtime.results;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The rows of a CSV file read one at a time (RFC 4180: comma-separated, a field in double quotes
 * may hold commas, line breaks and doubled quotes; lines end in LF or CRLF), from a plain file or
 * a gzip one (every member of a multi-member file). Empty lines are skipped; an unquoted empty
 * field and a quoted one both read as the empty string.
 */
final class CsvRows implements Closeable {
  private final Reader in;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private long line = 1;
  private final StringBuilder field = new StringBuilder(64);
  private final List<String> fields = new ArrayList<>();

  private CsvRows(Reader in) {
    this.in = in;
  }

  /** Opens {@code file}, unzipping it if its name ends in {@code .gz}. */
  static CsvRows open(Path file) throws IOException {
    InputStream bytes = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      if (file.getFileName().toString().endsWith(".gz")) {
        bytes = new GZIPInputStream(bytes, 1 << 16);
      }
    } catch (IOException e) {
      bytes.close();
      throw e;
    }
    CsvRows rows = new CsvRows(new InputStreamReader(bytes, StandardCharsets.UTF_8));
    if (rows.peek() == '\uFEFF') {
      rows.position++;
    }
    return rows;
  }

  /** The line the next row starts on (1-based), for messages. */
  long line() {
    return line;
  }

  /** The next row's fields, or null at the end of the file. */
  String[] next() throws IOException {
    int c;
    while ((c = peek()) == '\n' || c == '\r') {
      endOfLine(read());
    }
    if (c < 0) {
      return null;
    }
    fields.clear();
    while (true) {
      field.setLength(0);
      c = read();
      if (c == '"') {
        c = quoted();
      } else {
        while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
          field.append((char) c);
          c = read();
        }
      }
      fields.add(field.toString());
      if (c != ',') {
        endOfLine(c);
        return fields.toArray(new String[0]);
      }
    }
  }

  /** Reads a quoted field's text into {@code field}; returns the character after its closing quote. */
  private int quoted() throws IOException {
    long opened = line;
    while (true) {
      int c = read();
      if (c < 0) {
        throw new IOException("line " + opened + ": a quoted field is not closed");
      }
      if (c == '"') {
        if (peek() != '"') {
          c = read();
          if (c >= 0 && c != ',' && c != '\n' && c != '\r') {
            throw new IOException("line " + line + ": text after a closing quote");
          }
          return c;
        }
        read();
      } else if (c == '\n') {
        line++;
      }
      field.append((char) c);
    }
  }

  private void endOfLine(int c) throws IOException {
    if (c == '\r' && peek() == '\n') {
      read();
    }
    if (c >= 0) {
      line++;
    }
  }

  private int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  private int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++];
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    while (n == 0) {
      n = in.read(buffer, 0, buffer.length);
    }
    position = 0;
    limit = Math.max(n, 0);
    return n > 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
