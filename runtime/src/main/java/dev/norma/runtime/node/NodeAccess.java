package dev.norma.runtime.node;

import com.typesafe.config.Config;
import dev.norma.protocols.spec.SubmissionRules;
import dev.norma.runtime.inference.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a node lets the studies submitted to it use, read once from {@code norma.node} (and the
 * secrets directory from {@code norma.inference.secrets-dir}): the endpoint URLs a spec may call,
 * the directories whose files a spec may name (prompt templates, a local model), and the
 * credentials it may name. Anything else is refused with the field that asked for it.
 *
 * <p>Nothing is allowed unless the operator said so: a node with no endpoint prefixes calls no
 * endpoint a spec names, one with no directories reads no file a spec names.
 *
 * @param allowedEndpoints URL prefixes a spec's endpoints must fall under, normalized
 * @param allowedDirs      directories a spec's paths must lie in, as given (absolute) and as
 *                         their real paths (links resolved)
 * @param secretsDir       where credentials are read from when no variable holds them, or null
 * @param publicReads      whether reads (runs, statuses, files) need no token when the node has one
 */
public record NodeAccess(List<UrlPrefix> allowedEndpoints, List<AllowedDir> allowedDirs, Path secretsDir,
                         boolean publicReads) implements SubmissionRules {

  /** A directory a spec's paths may lie in. */
  public record AllowedDir(Path given, Path real) {
    /** Whether {@code path} (absolute, normalized, links not resolved) is written as inside this directory. */
    boolean holdsByName(Path path) {
      return path.startsWith(given) || path.startsWith(real);
    }
  }

  /** Nothing allowed: no endpoint, no file, no credential directory. */
  public static NodeAccess none() {
    return new NodeAccess(List.of(), List.of(), null, false);
  }

  /**
   * Reads {@code norma.node.allow-endpoints}, {@code allow-dirs}, {@code public-reads} and
   * {@code norma.inference.secrets-dir}; throws with one line naming the setting when one is not
   * usable (a prefix that is not an http URL, a directory that does not exist).
   */
  public static NodeAccess fromConfig(Config config) {
    Config node = config.getConfig("norma.node");
    List<UrlPrefix> prefixes = new ArrayList<>();
    for (String prefix : node.getStringList("allow-endpoints")) {
      try {
        prefixes.add(UrlPrefix.parse(prefix));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--allow-endpoint " + prefix + ": " + e.getMessage());
      }
    }
    List<AllowedDir> dirs = new ArrayList<>();
    for (String dir : node.getStringList("allow-dirs")) {
      try {
        Path given = Path.of(dir).toAbsolutePath().normalize();
        Path real = given.toRealPath();
        if (!Files.isDirectory(real)) {
          throw new IllegalArgumentException("--allow-dir " + dir + ": not a directory");
        }
        dirs.add(new AllowedDir(given, real));
      } catch (IOException | InvalidPathException e) {
        throw new IllegalArgumentException("--allow-dir " + dir + ": no such directory");
      }
    }
    String secrets = config.getString("norma.inference.secrets-dir");
    return new NodeAccess(List.copyOf(prefixes), List.copyOf(dirs), secrets.isBlank() ? null : Path.of(secrets),
        node.getBoolean("public-reads"));
  }

  @Override
  public String urlProblem(String url) {
    if (allowedEndpoints.isEmpty()) {
      return "this node calls no endpoint a submitted spec names: its operator allows none"
          + " (norma node --allow-endpoint PREFIX, NORMA_ALLOW_ENDPOINTS)";
    }
    UrlPrefix endpoint;
    try {
      endpoint = UrlPrefix.parse(url);
    } catch (IllegalArgumentException e) {
      return "'" + url + "' " + e.getMessage();
    }
    for (UrlPrefix allowed : allowedEndpoints) {
      if (allowed.covers(endpoint)) {
        return null;
      }
    }
    return "'" + url + "' is not under an endpoint URL this node allows (" + String.join(", ",
        allowedEndpoints.stream().map(UrlPrefix::toString).toList()) + ")";
  }

  @Override
  public String credentialProblem(String name) {
    return ApiKeys.credentialProblem(name, secretsDir);
  }

  @Override
  public String pathProblem(String path, boolean directory) {
    if (allowedDirs.isEmpty()) {
      return "this node reads no file a submitted spec names: its operator allows no directory"
          + " (norma node --allow-dir DIR, NORMA_ALLOW_DIRS)";
    }
    String outside = "'" + path + "' is outside the directories this node allows (" + String.join(", ",
        allowedDirs.stream().map(dir -> dir.given().toString()).toList()) + ")";
    Path given;
    try {
      given = Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return "expected a path, got '" + path + "'";
    }
    // Nothing outside is looked at: whether it exists is none of the submitter's business.
    if (allowedDirs.stream().noneMatch(dir -> dir.holdsByName(given))) {
      return outside;
    }
    Path real;
    try {
      real = given.toRealPath();
    } catch (NoSuchFileException e) {
      return "no " + (directory ? "directory" : "file") + " '" + path + "' in the directories this node allows";
    } catch (IOException e) {
      return "cannot read '" + path + "' (" + e.getClass().getSimpleName() + ")";
    }
    if (!inside(real)) {
      return "'" + path + "' leads outside the directories this node allows (through a link)";
    }
    if (!directory) {
      return Files.isRegularFile(real) ? null : "'" + path + "' is not a file";
    }
    if (!Files.isDirectory(real)) {
      return "'" + path + "' is not a directory";
    }
    // What the directory holds is read too (prompt templates): no entry may lead outside.
    try (Stream<Path> entries = Files.list(real)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        Path target;
        try {
          target = entry.toRealPath();
        } catch (IOException e) {
          continue; // a dangling link: nothing to read through it
        }
        if (!inside(target)) {
          return "'" + path + "' holds " + entry.getFileName() + ", which leads outside the directories this node"
              + " allows (through a link)";
        }
      }
    } catch (IOException e) {
      return "cannot list '" + path + "' (" + e.getClass().getSimpleName() + ")";
    }
    return null;
  }

  private boolean inside(Path real) {
    return allowedDirs.stream().anyMatch(dir -> real.startsWith(dir.real()));
  }

  /**
   * An endpoint URL, or a prefix of them, in one normal form: scheme and host in lower case, the
   * port explicit, the path without dot segments, repeated or trailing slashes. A URL is under a
   * prefix when scheme, host and port are equal and the path is the prefix's or goes on below it
   * at a slash: {@code http://a.com} covers {@code http://a.com/v1} but not
   * {@code http://a.com.evil.org}, {@code http://a.com:8080} or, under {@code /v1},
   * {@code /v10}.
   */
  public record UrlPrefix(String scheme, String host, int port, String path) {
    static UrlPrefix parse(String text) {
      URI uri;
      try {
        uri = new URI(text.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("is not a URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("is not an http or https URL with a host");
      }
      if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("has a user, query or fragment");
      }
      String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
      // An escaped character in the path could be decoded by the server into '/', '.' or '\'.
      if (rawPath.contains("%") || rawPath.contains("\\")) {
        throw new IllegalArgumentException("has an escaped or backslash character in its path");
      }
      String path = URI.create("http://h" + rawPath.replaceAll("/{2,}", "/")).normalize().getRawPath();
      if (path.startsWith("/..")) {
        throw new IllegalArgumentException("has a path that climbs above the root");
      }
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return new UrlPrefix(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path);
    }

    boolean covers(UrlPrefix url) {
      return scheme.equals(url.scheme) && host.equals(url.host) && port == url.port
          && (path.isEmpty() || url.path.equals(path) || url.path.startsWith(path + "/"));
    }

    @Override
    public String toString() {
      return scheme + "://" + host + ":" + port + path;
    }
  }
}
