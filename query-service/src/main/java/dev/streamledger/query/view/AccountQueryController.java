package dev.streamledger.query.view;

import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.ServedRequest;
import dev.streamledger.query.store.ViewStores;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AccountQueryController {

  private final ViewStores stores;
  private final ConsistencyGate consistency;

  AccountQueryController(ViewStores stores, ConsistencyGate consistency) {
    this.consistency = consistency;
    this.stores = stores;
  }

  record Account(String accountId, String owner, String currency, String balance, long version,
      Map<String, Object> position) {}

  record Statement(String accountId, List<StatementEntry> entries, Long nextAfterVersion) {}

  static final int MAX_LIMIT = 500;

  /** The account's events as statement lines, by version: those after {@code afterVersion}, at most {@code limit}. */
  @Operation(summary = "An account's statement, page by page")
  @GetMapping("/accounts/{accountId}/statement")
  ResponseEntity<Object> statement(@PathVariable String accountId,
      @RequestParam(defaultValue = "0") long afterVersion, @RequestParam(defaultValue = "100") int limit,
      @RequestHeader(name = ConsistencyToken.HEADER, required = false) String token) {
    if (afterVersion < 0 || limit < 1 || limit > MAX_LIMIT) {
      return ResponseEntity.badRequest().body(ProblemType.INVALID_REQUEST.problem(
          "afterVersion is 0 or more and limit between 1 and " + MAX_LIMIT));
    }
    consistency.awaitAccount(token, accountId);
    AccountView view = find(accountId);
    if (view == null || !ServedRequest.mayRead(view.reader())) {
      return ServedRequest.notFound("no account '" + accountId + "'");
    }
    List<StatementEntry> entries = stores.range(ReadViewTopology.STATEMENTS_STORE, Topics.ACCOUNT_EVENTS, accountId,
        ReadViewTopology.statementKey(accountId, afterVersion + 1),
        ReadViewTopology.statementKey(accountId, Long.MAX_VALUE), limit);
    Long next = entries.size() == limit ? entries.get(entries.size() - 1).version() : null;
    return ResponseEntity.ok(new Statement(accountId, entries, next));
  }

  @Operation(summary = "An account: owner, currency, balance, version")
  @GetMapping("/accounts/{accountId}")
  ResponseEntity<Object> account(@PathVariable String accountId,
      @RequestHeader(name = ConsistencyToken.HEADER, required = false) String token) {
    consistency.awaitAccount(token, accountId);
    AccountView view = find(accountId);
    if (view == null || !ServedRequest.mayRead(view.reader())) {
      return ServedRequest.notFound("no account '" + accountId + "'");
    }
    return ResponseEntity.ok(new Account(view.accountId(), view.owner(), view.currency(), view.balance(),
        view.version(), Map.of("partition", view.sourcePartition(), "offset", view.sourceOffset())));
  }

  private AccountView find(String accountId) {
    return accountId.length() > 64 ? null : stores.get(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS, accountId);
  }
}
