package dev.streamledger.projector.system;

import dev.streamledger.contract.web.ApiSecurity;
import java.util.List;
import org.springframework.context.annotation.Configuration;

/** Bearer tokens on every endpoint but health and the API documents ({@link ApiSecurity}). */
@Configuration(proxyBeanMethods = false)
class Security extends ApiSecurity {

  @Override
  protected List<String> operatorPaths() {
    return List.of();
  }
}
