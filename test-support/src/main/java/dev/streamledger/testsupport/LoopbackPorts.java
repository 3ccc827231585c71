package dev.streamledger.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on the loopback address for processes a test starts later.
 *
 * <p>A port the kernel hands out for {@code bind(0)} lies in its ephemeral range, where every
 * outgoing connection takes its local port too: between the choice and the moment the service
 * binds it (seconds, while a JVM starts), a Kafka client's connection may take it, and the
 * service fails to start. So the ports come from below that range, where the kernel assigns
 * none on its own, each checked free and never handed out twice by this JVM.
 */
public final class LoopbackPorts {

  private static final int LOWEST = 10_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private LoopbackPorts() {}

  /** A port nothing listens on or is bound to now, outside the ephemeral range. */
  public static int free() {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (HANDED_OUT.contains(port) || !bindable(port)) {
        continue;
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux); 32768, its default, elsewhere. */
  private static int ephemeralRangeStart() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      int start = Files.exists(range) ? Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]) : 32_768;
      return Math.max(start, LOWEST + 1_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
