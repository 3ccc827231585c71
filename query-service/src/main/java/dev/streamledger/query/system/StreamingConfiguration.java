package dev.streamledger.query.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Streamed answers (change feeds, snapshots) each write from a thread of their own, without a
 * time limit: they end when the client leaves, the stream is complete, or the service stops.
 * Their number is bounded where they are opened, not here.
 */
@Configuration(proxyBeanMethods = false)
class StreamingConfiguration implements WebMvcConfigurer {

  @Override
  public void configureAsyncSupport(AsyncSupportConfigurer async) {
    SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("stream-");
    threads.setDaemon(true);
    async.setTaskExecutor(threads);
    async.setDefaultTimeout(0); // the servlet container's "no timeout"
  }
}
