package dev.streamledger.contract.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem a client can get has a status and a row in docs/http-api.md saying it. */
class ProblemTypesDocumentedTest {

  private static final Path DOC = Path.of("..", "docs", "http-api.md");

  @Test
  void shouldDocumentEveryProblemTypeWithItsStatus() throws IOException {
    List<String> rows = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    for (ProblemType type : ProblemType.values()) {
      assertThat(type.status()).as(type.code()).isBetween(400, 599);
      assertThat(rows).as("docs/http-api.md documents %s (%d)", type.code(), type.status())
          .anyMatch(line -> line.startsWith(row(type.code(), type.status())));
    }
  }

  @Test
  void shouldDocumentEveryRejectionWithItsStatus() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    for (Rejection rejection : Rejection.values()) {
      assertThat(rejection.status()).as(rejection.wireName()).isBetween(400, 499);
      assertThat(doc).as("docs/http-api.md documents the rejection %s (%d)", rejection.wireName(), rejection.status())
          .contains(row(rejection.wireName(), rejection.status()));
    }
  }

  @Test
  void shouldNameEachTypeAfterItsCode() {
    assertThat(ProblemType.INTERNAL_ERROR.type()).hasToString("/problems/internal-error");
    assertThat(ProblemType.SAME_ACCOUNT.problem("x").getTitle()).isEqualTo("Same account");
    assertThat(ProblemType.of(Rejection.ACCOUNT_NOT_FOUND, 422, "x").getType())
        .isEqualTo(Rejection.ACCOUNT_NOT_FOUND.problemType());
  }

  /** The start of the table row of {@code code}: {@code | `code` | status |}. */
  private static String row(String code, int status) {
    return "| `" + code + "` | " + status + " |";
  }
}
