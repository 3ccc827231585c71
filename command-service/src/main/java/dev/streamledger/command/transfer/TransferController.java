package dev.streamledger.command.transfer;

import dev.streamledger.command.system.Answers;
import dev.streamledger.command.system.CommandSettings;
import dev.streamledger.command.system.Inputs;
import dev.streamledger.command.system.RequestIdentity;
import dev.streamledger.contract.account.AccountCommand.DebitForTransfer;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.problem.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Transfers: the debit is sent to the source account's partition; the projector then credits
 * the destination on its partition, or refunds the source. The answer is the final stage's
 * outcome: {@code 201} completed, {@code 422} rejected or refunded (with the reason), or
 * {@code 202} with {@code Location: /transfers/{id}} when it is not final within the wait.
 */
@RestController
class TransferController {

  private final Answers answers;
  private final CommandSettings settings;

  TransferController(Answers answers, CommandSettings settings) {
    this.answers = answers;
    this.settings = settings;
  }

  record TransferRequest(String from, String to, String amount) {}

  @Operation(summary = "Transfer between two accounts of one currency")
  @PostMapping(path = "/transfers", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<Object>> transfer(
      @RequestHeader(name = RequestIdentity.HEADER, required = false) String idempotencyKey,
      @RequestBody TransferRequest body) {
    String from = Inputs.accountId(body.from());
    String to = Inputs.accountId(body.to());
    String amount = Inputs.amount(body.amount());
    if (from.equals(to)) {
      return CompletableFuture.completedFuture(ResponseEntity.status(ProblemType.SAME_ACCOUNT.status())
          .body(ProblemType.SAME_ACCOUNT.problem(
              "a transfer moves money between two different accounts")));
    }
    var request = RequestIdentity.of(idempotencyKey, "POST", "/transfers", from, to, amount);
    String requestId = request.requestId();
    String transferId = request.newId();
    String location = settings.readLocation("/transfers/" + transferId);
    var debit = new DebitForTransfer(requestId, transferId, from, to, amount, Inputs.requestTimes(),
        Inputs.credential());
    return answers.send(debit,
        completed -> ResponseEntity.created(URI.create(location)).body(body(completed, requestId)),
        location, Map.of("transferId", transferId));
  }

  private static Map<String, Object> body(Outcome outcome, String requestId) {
    var transfer = (OutcomeData.Transfer) outcome.data();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("transferId", transfer.transferId());
    body.put("status", transfer.status());
    body.put("from", transfer.from());
    body.put("to", transfer.to());
    body.put("amount", transfer.amount());
    body.put("requestId", requestId);
    return body;
  }
}
