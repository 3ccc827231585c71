package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.streamledger.testsupport.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class the deployments and scripts name by its full name (a main class in
 * docker-compose.yml, a Kubernetes job, bin/token) exists: a class moved to another package
 * breaks this test, not the stack at start.
 */
class DeploymentClassesTest {

  private static final Pattern CLASS_NAME = Pattern.compile("dev\\.streamledger(?:\\.[a-z]+)+\\.[A-Z]\\w*");

  @Test
  void shouldNameOnlyClassesThatExist() throws IOException {
    Path root = Repository.root();
    List<Path> files = new ArrayList<>(List.of(root.resolve("docker-compose.yml"), root.resolve("Dockerfile")));
    for (String dir : List.of("k8s", "bin")) {
      try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    List<String> named = new ArrayList<>();
    for (Path file : files) {
      Matcher matcher = CLASS_NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (matcher.find()) {
        String name = matcher.group();
        named.add(name);
        assertThatCode(() -> Class.forName(name, false, getClass().getClassLoader()))
            .as("%s names %s", root.relativize(file), name).doesNotThrowAnyException();
      }
    }
    assertThat(named).as("the deployments name at least the topic provisioner").isNotEmpty();
  }
}
