package dev.norma.runtime.results;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * {@value #FILE} in a run directory: present while a process owns the run, holding that process's
 * id, host and start time. It makes the claim on a directory atomic (two runs started into the
 * same directory at once: one gets it), and it tells a live run from a dead one: a directory with
 * a lock whose process is gone belongs to a run that was killed (its files hold every finished
 * row, but no summary unless an earlier session wrote one), while {@code summary.json} alone means
 * the run stopped in order.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = "run.lock";

  /**
   * The process that holds, or held, a run.
   *
   * @param pid     its process id
   * @param host    the host it ran on
   * @param started when the process started (told apart from a later process given the same id)
   */
  public record Owner(long pid, String host, Instant started) {
    /** Whether this process is still running (on this host; another host's cannot be checked). */
    public boolean alive() {
      if (!host.equals(hostName())) {
        return true;
      }
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(process -> process.info().startInstant().map(start -> sameSecond(start, started)).orElse(true))
          .orElse(false);
    }

    private static boolean sameSecond(Instant a, Instant b) {
      return b == null || Math.abs(a.getEpochSecond() - b.getEpochSecond()) <= 1;
    }

    String line() {
      return "pid=" + pid + " host=" + host + " started=" + started + "\n";
    }

    static Owner parse(String text) {
      long pid = -1;
      String host = "";
      Instant started = null;
      for (String field : text.strip().split("\\s+")) {
        int eq = field.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String value = field.substring(eq + 1);
        try {
          switch (field.substring(0, eq)) {
            case "pid" -> pid = Long.parseLong(value);
            case "host" -> host = value;
            case "started" -> started = "null".equals(value) ? null : Instant.parse(value);
            default -> { }
          }
        } catch (RuntimeException unreadable) {
          // A half-written lock names no live owner.
        }
      }
      return new Owner(pid, host, started);
    }

    @Override
    public String toString() {
      return "process " + pid + (host.equals(hostName()) ? "" : " on " + host);
    }
  }

  /** The directory is held by a live process. */
  public static final class Held extends IOException {
    private final Owner owner;

    Held(Path dir, Owner owner) {
      super(dir + " is in use by " + owner + " (its " + FILE + "); wait for it to end, or stop it");
      this.owner = owner;
    }

    public Owner owner() {
      return owner;
    }
  }

  private final Path file;
  private final Owner self;
  private final Owner previous;

  private RunLock(Path file, Owner self, Owner previous) {
    this.file = file;
    this.self = self;
    this.previous = previous;
  }

  /**
   * Claims {@code dir} (created when absent) for this process.
   *
   * @throws Held when a live process holds it; a lock left by a dead process is taken over
   */
  public static RunLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    ProcessHandle me = ProcessHandle.current();
    Owner self = new Owner(me.pid(), hostName(), me.info().startInstant().orElse(null));
    Owner previous = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Files.writeString(file, self.line(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return new RunLock(file, self, previous);
      } catch (FileAlreadyExistsException taken) {
        Optional<Owner> owner = owner(dir);
        if (owner.isPresent() && owner.get().alive()) {
          throw new Held(dir, owner.get());
        }
        previous = owner.orElse(previous);
        Files.deleteIfExists(file);
      }
    }
    throw new IOException("cannot claim " + dir + ": its " + FILE + " keeps changing");
  }

  /** Who holds (or last held, if it died) the run in {@code dir}; empty when no lock is there. */
  public static Optional<Owner> owner(Path dir) throws IOException {
    try {
      return Optional.of(Owner.parse(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    }
  }

  /** The dead process whose lock this one replaced, if any: the run was killed then. */
  public Optional<Owner> previous() {
    return Optional.ofNullable(previous);
  }

  /** Lets go of the directory (the lock is removed if it is still this process's). */
  @Override
  public void close() {
    try {
      if (owner(file.getParent()).map(owner -> owner.pid() == self.pid()).orElse(false)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException ignored) {
      // A lock left behind names a process that is gone: the next claim takes it over.
    }
  }

  static String hostName() {
    return Host.NAME;
  }

  /** Looked up once: a name lookup can be slow. */
  private static final class Host {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName().replaceAll("\\s", "");
      } catch (IOException e) {
        return "localhost";
      }
    }
  }
}
