package dev.streamledger.command.system;

import dev.streamledger.contract.web.ApiSecurity;
import java.util.List;
import org.springframework.context.annotation.Configuration;

/** Bearer tokens on every endpoint but health and the API documents ({@link ApiSecurity}). */
@Configuration(proxyBeanMethods = false)
public class Security extends ApiSecurity {

  @Override
  protected List<String> operatorPaths() {
    return List.of();
  }
}
