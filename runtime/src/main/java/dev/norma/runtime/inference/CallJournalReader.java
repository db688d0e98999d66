package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a {@code calls.jsonl.gz} line by line and says where it is damaged, instead of stopping
 * quietly at the first line it cannot read (which sent the rest of a replay's calls to the
 * endpoints).
 *
 * <p>Damage is a line that is not a JSON object, gzip data that cannot be inflated, or a gzip
 * stream that ends cut short. By default it is an error naming the file and the line; with
 * {@link Reading#acceptDamaged()} bad lines are skipped, reading stops at unreadable gzip data,
 * and the reading ends with a warning that counts the lines read and skipped.
 *
 * <p>A run's own journal read on resume is the exception: the journal sync-flushes every line, so
 * a process killed mid-run leaves every line but at most the last, and a gzip stream without its
 * end. There ({@link Purpose#RESUME}) an unfinished stream is normal, and a last line cut short is
 * dropped with a note; damage anywhere else is still damage.
 */
public final class CallJournalReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a journal is read, which decides whether a stream cut short is damage. */
  public enum Purpose {
    /** A recorded run's journal ({@code --replay}): complete, or damaged. */
    REPLAY,
    /** The run's own journal on {@code --resume}: it may end where a killed process left it. */
    RESUME
  }

  /**
   * How damage is taken.
   *
   * @param acceptDamaged skip what cannot be read (with a warning) instead of failing
   * @param notices       where warnings and notes go, one line each
   */
  public record Reading(boolean acceptDamaged, Consumer<String> notices) {
    public static final Reading STRICT = new Reading(false, notice -> { });

    public Reading {
      notices = notices == null ? notice -> { } : notices;
    }
  }

  /**
   * What a reading found.
   *
   * @param linesRead    lines read and handed on
   * @param linesSkipped lines that could not be read (a last line cut short included)
   */
  public record Outcome(long linesRead, long linesSkipped) {
  }

  /** A journal that cannot be read as it is; the message names the file and the line. */
  public static final class DamagedJournalException extends IOException {
    public DamagedJournalException(String message) {
      super(message);
    }
  }

  private CallJournalReader() {
  }

  /**
   * Hands each readable line of {@code file} to {@code lines}, in order.
   *
   * @throws DamagedJournalException on damage that {@code reading} does not accept (the lines
   *                                 before it were handed on already: callers act on what they
   *                                 took only once the reading returns)
   */
  public static Outcome read(Path file, Purpose purpose, Reading reading, Consumer<JsonNode> lines)
      throws IOException {
    long read = 0;
    long skipped = 0;
    boolean tornLastLine = false;
    long lineNumber = 0;
    String name = file.toString();
    String hint = "; --accept-damaged-journal reads past it";
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in;
      try {
        in = new GZIPInputStream(raw, 1 << 16);
      } catch (EOFException empty) {
        return cutShort(name, purpose, reading, 0, 0, 0, false, hint);
      } catch (ZipException notGzip) {
        throw new DamagedJournalException(name + " is not a gzip file (" + notGzip.getMessage() + ")");
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
      byte[] buffer = new byte[1 << 16];
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (EOFException unfinished) {
          return cutShort(name, purpose, reading, lineNumber, read, skipped, line.size() > 0, hint);
        } catch (ZipException corrupt) {
          String problem = name + ": unreadable gzip data after line " + lineNumber + " (" + corrupt.getMessage() + ")";
          if (!reading.acceptDamaged()) {
            throw new DamagedJournalException(problem + hint);
          }
          reading.notices().accept("warning: " + problem + "; read " + read + " lines, skipped "
              + skipped + ", and stopped there");
          return new Outcome(read, skipped);
        }
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] != '\n') {
            line.write(buffer[i]);
            continue;
          }
          lineNumber++;
          JsonNode entry = parse(line);
          line.reset();
          if (entry == BLANK) {
            continue;
          }
          if (entry == null) {
            if (!reading.acceptDamaged()) {
              throw new DamagedJournalException(name + " line " + lineNumber + ": not a JSON object" + hint);
            }
            skipped++;
            continue;
          }
          lines.accept(entry);
          read++;
        }
      }
      if (line.size() > 0) {
        // A last line without its newline: complete if it parses, else cut short.
        lineNumber++;
        JsonNode entry = parse(line);
        if (entry != null && entry != BLANK) {
          lines.accept(entry);
          read++;
        } else if (entry == null) {
          if (purpose == Purpose.RESUME) {
            tornLastLine = true;
          } else if (!reading.acceptDamaged()) {
            throw new DamagedJournalException(name + " line " + lineNumber + ": cut short" + hint);
          } else {
            skipped++;
          }
        }
      }
    }
    if (skipped > 0 && reading.acceptDamaged()) {
      reading.notices().accept("warning: " + name + " is damaged: read " + read + " lines, skipped " + skipped);
    }
    if (tornLastLine) {
      reading.notices().accept("note: " + name + ": dropped line " + lineNumber + ", cut short when the run stopped");
      skipped++;
    }
    return new Outcome(read, skipped);
  }

  /** The gzip stream ends without its trailer: a killed run's own journal, or a damaged file. */
  private static Outcome cutShort(String name, Purpose purpose, Reading reading, long lineNumber, long read,
                                  long skipped, boolean partialLine, String hint) throws DamagedJournalException {
    if (purpose == Purpose.RESUME) {
      // Damage skipped before the end is warned of; the line a kill cut short only noted.
      if (skipped > 0 && reading.acceptDamaged()) {
        reading.notices().accept("warning: " + name + " is damaged: read " + read + " lines, skipped " + skipped);
      }
      if (partialLine) {
        reading.notices().accept("note: " + name + ": dropped line " + (lineNumber + 1)
            + ", cut short when the run stopped");
        skipped++;
      }
      return new Outcome(read, skipped);
    }
    String problem = name + " ends cut short after line " + lineNumber + " (the gzip stream is incomplete)";
    if (!reading.acceptDamaged()) {
      throw new DamagedJournalException(problem + hint);
    }
    skipped += partialLine ? 1 : 0;
    reading.notices().accept("warning: " + problem + "; read " + read + " lines, skipped " + skipped);
    return new Outcome(read, skipped);
  }

  private static final JsonNode BLANK = JSON.createObjectNode();

  /** The line as a JSON object; {@link #BLANK} for an empty line; null when it is not one. */
  private static JsonNode parse(ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return BLANK;
    }
    try {
      JsonNode entry = JSON.readTree(text);
      return entry != null && entry.isObject() ? entry : null;
    } catch (IOException notJson) {
      return null;
    }
  }
}
