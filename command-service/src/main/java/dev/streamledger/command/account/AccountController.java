package dev.streamledger.command.account;

import dev.streamledger.command.system.Answers;
import dev.streamledger.command.system.CommandSettings;
import dev.streamledger.command.system.Inputs;
import dev.streamledger.command.system.RequestIdentity;
import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.Withdraw;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.user.UserCommand.RequestAccount;
import dev.streamledger.contract.user.Username;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts. Opening is decided first on the owner's partition (is the owner registered?) and
 * then on the new account's; deposits and withdrawals go straight to the account's partition,
 * where its balance lives. Every answer is the outcome of this very request.
 */
@RestController
class AccountController {

  private final Answers answers;
  private final CommandSettings settings;

  AccountController(Answers answers, CommandSettings settings) {
    this.answers = answers;
    this.settings = settings;
  }

  record OpenAccountRequest(String owner, String currency) {}

  record AmountRequest(String amount) {}

  @Operation(summary = "Open an account for a registered user")
  @PostMapping(path = "/accounts", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<Object>> open(
      @RequestHeader(name = RequestIdentity.HEADER, required = false) String idempotencyKey,
      @RequestBody OpenAccountRequest body) {
    Username owner = Username.of(body.owner());
    String currency = Inputs.currency(body.currency());
    var request = RequestIdentity.of(idempotencyKey, "POST", "/accounts", owner.canonical(), currency);
    String accountId = request.newId();
    var command = new RequestAccount(request.requestId(), owner.canonical(), accountId, currency, Inputs.requestTimes(),
        Inputs.credential());
    return answers.send(command,
        outcome -> ResponseEntity.created(URI.create(settings.readLocation("/accounts/" + accountId)))
            .body(body(outcome, command.requestId())));
  }

  @Operation(summary = "Deposit into an account")
  @PostMapping(path = "/accounts/{accountId}/deposits", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<Object>> deposit(
      @RequestHeader(name = RequestIdentity.HEADER, required = false) String idempotencyKey,
      @PathVariable String accountId, @RequestBody AmountRequest body) {
    String id = Inputs.accountId(accountId);
    String amount = Inputs.amount(body.amount());
    String requestId = RequestIdentity.of(idempotencyKey, "POST", "/accounts/{id}/deposits", id, amount).requestId();
    return move(new Deposit(requestId, id, amount, Inputs.requestTimes(), Inputs.credential()));
  }

  @Operation(summary = "Withdraw from an account; never below zero")
  @PostMapping(path = "/accounts/{accountId}/withdrawals", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<Object>> withdraw(
      @RequestHeader(name = RequestIdentity.HEADER, required = false) String idempotencyKey,
      @PathVariable String accountId, @RequestBody AmountRequest body) {
    String id = Inputs.accountId(accountId);
    String amount = Inputs.amount(body.amount());
    String requestId = RequestIdentity.of(idempotencyKey, "POST", "/accounts/{id}/withdrawals", id, amount)
        .requestId();
    return move(new Withdraw(requestId, id, amount, Inputs.requestTimes(), Inputs.credential()));
  }

  private CompletableFuture<ResponseEntity<Object>> move(AccountCommand command) {
    return answers.send(command, outcome -> ResponseEntity.status(201).body(body(outcome, command.requestId())));
  }

  private static Map<String, Object> body(Outcome outcome, String requestId) {
    var account = (OutcomeData.Account) outcome.data();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accountId", account.accountId());
    body.put("owner", account.owner());
    body.put("currency", account.currency());
    body.put("balance", account.balance());
    body.put("version", account.version());
    body.put("requestId", requestId);
    return body;
  }

}
