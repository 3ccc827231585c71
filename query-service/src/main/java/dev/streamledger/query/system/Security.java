package dev.streamledger.query.system;

import dev.streamledger.contract.web.ApiSecurity;
import java.util.List;
import org.springframework.context.annotation.Configuration;

/** Bearer tokens on every endpoint but health and the API documents ({@link ApiSecurity}). */
@Configuration(proxyBeanMethods = false)
class Security extends ApiSecurity {

  @Override
  protected List<String> operatorPaths() {
    // whole-view reads: every account's balance, the books, the views' digests; what was dead-lettered
    return List.of("/audit", "/audit/**", "/snapshots/**", "/views/**", "/dead-letters");
  }
}
