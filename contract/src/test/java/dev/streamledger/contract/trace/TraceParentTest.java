package dev.streamledger.contract.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {

  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void shouldReadTheSpecificationsExample() {
    TraceParent parent = TraceParent.parse(VALID).orElseThrow();
    assertThat(parent.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parent.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(parent.flags()).isEqualTo("01");
    assertThat(parent.header()).isEqualTo(VALID);
  }

  @Test
  void shouldKeepTheTraceAndFlagsInAChildWithANewSpan() {
    TraceParent parent = TraceParent.parse(VALID).orElseThrow();
    TraceParent child = parent.child();
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.flags()).isEqualTo(parent.flags());
    assertThat(child.spanId()).isNotEqualTo(parent.spanId()).matches("[0-9a-f]{16}");
    assertThat(TraceParent.parse(child.header())).contains(child);
  }

  @Test
  void shouldStartDistinctValidTraces() {
    TraceParent one = TraceParent.root();
    assertThat(TraceParent.parse(one.header())).contains(one);
    assertThat(TraceParent.root().traceId()).isNotEqualTo(one.traceId());
  }

  @Test
  void shouldAcceptAFutureVersionWithMoreFields() {
    assertThat(TraceParent.parse("cc" + VALID.substring(2) + "-what-comes-next")).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",           // no flags
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // upper case
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // all-zero trace
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // all-zero span
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has four fields
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
  void shouldTreatAnInvalidHeaderAsAbsent(String header) {
    assertThat(TraceParent.parse(header)).isEmpty();
  }

  @Test
  void shouldTreatNoHeaderAsAbsent() {
    assertThat(TraceParent.parse(null)).isEmpty();
  }
}
