package dev.streamledger.projector.system;

import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.security.SecuritySettings;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.projector.request.CommandProcessor;
import dev.streamledger.testsupport.DevTokens;
import dev.streamledger.testsupport.TestSeals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.springframework.core.io.UrlResource;

/** The projector's {@link Authenticity} in topology tests: the test JVM's token keys and a fixed seal key. */
public final class TestAuthenticity {

  /** Each reader's test keys ({@link TestSeals}). */
  public static final Seals SEALS = new Seals(Arrays.stream(SealedFor.values()).collect(Collectors.toMap(
      reader -> reader, TestSeals::keysOf)), Clock.systemUTC());

  /** Every command the test authenticities refused. */
  public static final Counter REFUSED = new SimpleMeterRegistry().counter("streamledger.projector.not-authentic");

  private TestAuthenticity() {}

  public static Authenticity authenticity() {
    try {
      var settings = SecuritySettings.ofPublicKey(new UrlResource(DevTokens.forTests().publicKeyLocation()));
      return new Authenticity(settings.verifier(), SEALS, CommandProcessor.REQUEST_RETENTION, REFUSED);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid credential of {@code subject}, for the next hour. */
  public static Credential of(String subject) {
    return new Credential(DevTokens.forTests().token(subject, false));
  }

  /** A valid credential of an operator. */
  public static Credential operator() {
    return new Credential(DevTokens.forTests().token("operator", true));
  }

  /** {@code value} on {@code topic} as the projector writes it: sealed now. */
  public static <V> TestRecord<String, V> sealed(Topic<String, V> topic, String key, V value) {
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    var headers = new RecordHeaders().add(Headers.SEAL, SEALS.own().of(topic.name(), null, bytes, Instant.now()));
    return new TestRecord<>(key, value, headers);
  }

  /** {@code value} on a topic only the projector writes ({@link SealedFor#readersOf}), as it writes it: sealed for each reader. */
  public static <V> TestRecord<String, V> written(Topic<String, V> topic, String key, V value) {
    return TestSeals.written(topic, key, value, null);
  }
}
