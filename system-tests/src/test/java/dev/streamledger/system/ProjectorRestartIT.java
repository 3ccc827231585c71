package dev.streamledger.system;

import static dev.streamledger.system.support.Http.awaitStatus;
import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The registry lives in Kafka: a projector restarted — even without its local state — keeps it. */
class ProjectorRestartIT {

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void shouldKeepTheRegistryAcrossARestartAndALostStateDirectory() throws IOException {
    Path stateDir = services.stateRoot().resolve("projector-restart");
    ConfigurableApplicationContext projector = services.startProjector(stateDir);
    String query = Services.url(services.startQueryService());
    String command = Services.url(services.startCommandService(query));
    String kept = unique("kept");
    String freed = unique("freed");
    assertThat(Http.post(command + "/users", userJson(kept)).status()).isEqualTo(201);
    assertThat(Http.post(command + "/users", userJson(freed)).status()).isEqualTo(201);
    assertThat(Http.delete(command + "/users/" + freed).status()).isEqualTo(204);

    services.stop(projector);
    projector = services.startProjector(stateDir);          // same local RocksDB state
    assertThat(Http.post(command + "/users", userJson(kept.toUpperCase())).status()).isEqualTo(409);

    services.stop(projector);
    Services.deleteRecursively(stateDir);                           // state restored from the changelog
    services.startProjector(stateDir);
    assertThat(Http.post(command + "/users", userJson(kept)).status()).isEqualTo(409);
    assertThat(Http.post(command + "/users", userJson(freed)).status()).isEqualTo(201);
    awaitStatus(query + "/users/" + freed, 200);
  }
}
