package dev.streamledger.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository the tests run in: its documents, scripts and manifests. */
public final class Repository {

  private Repository() {}

  /** The repository root: the nearest directory above the working directory with {@code mvnw}. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root (with mvnw) above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
