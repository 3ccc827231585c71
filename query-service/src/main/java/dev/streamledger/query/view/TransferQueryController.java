package dev.streamledger.query.view;

import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.query.store.ServedRequest;
import dev.streamledger.query.store.ViewStores;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TransferQueryController {

  private final ViewStores stores;

  TransferQueryController(ViewStores stores) {
    this.stores = stores;
  }

  record Transfer(String transferId, String status, String from, String to, String amount, String reason) {}

  /** A transfer's status: PENDING, COMPLETED, REJECTED or REFUNDED (with the reason). */
  @Operation(summary = "A transfer's status")
  @GetMapping("/transfers/{transferId}")
  ResponseEntity<Object> transfer(@PathVariable String transferId) {
    TransferEvent view = transferId.length() > 64 ? null : stores.get(ReadViewTopology.TRANSFERS_STORE, Topics.TRANSFER_EVENTS, transferId);
    // readable by its sender, and its recipient once the money arrived (events before subjects were kept: operators)
    if (view == null || !ServedRequest.mayRead(Stream.of(view.fromSubject(), view.toSubject())
        .filter(Objects::nonNull).toArray(String[]::new))) {
      return ServedRequest.notYetFound("no transfer '" + transferId + "' is recorded (yet)");
    }
    return ResponseEntity.ok(new Transfer(view.transferId(), view.status().name(), view.from(), view.to(),
        view.amount(), view.reason()));
  }
}
