package dev.streamledger.query.view;

import dev.streamledger.contract.problem.ProblemTypes;
import dev.streamledger.query.system.QueryProblems;
import dev.streamledger.query.system.ViewStores;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AccountQueryController {

  private final ViewStores stores;

  AccountQueryController(ViewStores stores) {
    this.stores = stores;
  }

  record Account(String accountId, String owner, String currency, String balance, long version,
      Map<String, Object> position) {}

  @GetMapping("/accounts/{accountId}")
  ResponseEntity<Object> account(@PathVariable String accountId) {
    AccountView view = accountId.length() > 64 ? null : stores.get(ReadViewTopology.ACCOUNTS_STORE, accountId);
    if (view == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(QueryProblems.problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "no account '" + accountId + "'"));
    }
    return ResponseEntity.ok(new Account(view.accountId(), view.owner(), view.currency(), view.balance(),
        view.version(), Map.of("partition", view.sourcePartition(), "offset", view.sourceOffset())));
  }
}
