package dev.streamledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.bench.ThreadShares.Seen;
import dev.streamledger.bench.ThreadShares.Usage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadSharesTest {

  @Test
  void shouldGroupThePoolsThreadsAndCountAThreadStartedInBetweenFromZero() {
    Map<Long, Seen> before = Map.of(
        11L, new Seen("data-plane-kafka-request-handler-0", new Usage(1.0, 100)),
        12L, new Seen("data-plane-kafka-request-handler-1", new Usage(2.0, 200)),
        13L, new Seen("C2 CompilerThre", new Usage(5.0, 10)));
    Map<Long, Seen> after = Map.of(
        11L, new Seen("data-plane-kafka-request-handler-0", new Usage(1.5, 160)),
        12L, new Seen("data-plane-kafka-request-handler-1", new Usage(2.25, 240)),
        13L, new Seen("C2 CompilerThre", new Usage(5.0, 10)),
        14L, new Seen("data-plane-kafka-request-handler-2", new Usage(0.25, 20)));

    assertThat(ThreadShares.groups(before, after)).containsOnly(
        Map.entry("data-plane-kafka-request-handler-#", new Usage(1.0, 120)),
        Map.entry("C# CompilerThre", new Usage(0.0, 0)));
  }

  @Test
  void shouldReadTheCpuOfAThreadWhoseNameHoldsSpacesAndParentheses() {
    String stat = "4242 (http-nio (8) exec) S 1 4200 4200 0 -1 4194368 500 0 0 0 250 50 0 0 20 0 40 0 100 0 0";

    assertThat(CpuMeter.statSeconds(stat)).isEqualTo(3.0);
  }

  @Test
  void shouldReadTheJvmsFullThreadNamesByOsThreadIdInTheJdk17AndJdk25Forms() {
    String jdk17 = "\"data-plane-kafka-request-handler-0\" #61 daemon prio=5 os_prio=0 cpu=5270.99ms elapsed=217.29s"
        + " tid=0x00007f6d2a4f5000 nid=0x4263 waiting on condition  [0x00007f6cc55fe000]\n"
        + "   java.lang.Thread.State: TIMED_WAITING (parking)\n";
    String jdk25 = "\"http-nio-127.0.0.1-8080-exec-1\" #52 [17105] daemon prio=5 os_prio=0 cpu=812.10ms elapsed=90.1s"
        + " tid=0x00007f1c5c8a1000 nid=17105 waiting on condition  [0x00007f1c2b7fe000]\n";

    assertThat(ThreadShares.javaNames(jdk17 + jdk25)).containsOnly(
        Map.entry(0x4263L, "data-plane-kafka-request-handler-0"),
        Map.entry(17105L, "http-nio-127.0.0.1-8080-exec-1"));
  }

  @Test
  void shouldCountBothKindsOfContextSwitch() {
    String status = "Name:\tkafka-producer-\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1200\n"
        + "nonvoluntary_ctxt_switches:\t34\n";

    assertThat(ThreadShares.switches(status)).isEqualTo(1234);
  }
}
