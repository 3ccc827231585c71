package dev.streamledger.system.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A slow system test: it starts processes of its own (a broker, the whole local stack), kills
 * them, or runs for minutes. Failsafe runs these in their own execution after the integration
 * tests; {@code ./mvnw verify -DskipSlowTests} leaves them out (see docs/testing.md).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(SlowSystemTest.TAG)
public @interface SlowSystemTest {

  String TAG = "slow";
}
