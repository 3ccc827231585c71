package dev.streamledger.console;

import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The browser app: {@code index.html} (revalidated on every load, so a new build is seen at once)
 * and the bundle's files under {@code /assets/}, whose names carry a hash of their content and
 * are therefore cached for a year.
 */
@Configuration(proxyBeanMethods = false)
class StaticFiles implements WebMvcConfigurer {

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry.addResourceHandler("/assets/**").addResourceLocations("classpath:/static/assets/")
        .setCacheControl(CacheControl.maxAge(365, TimeUnit.DAYS).cachePublic().immutable());
    registry.addResourceHandler("/index.html").addResourceLocations("classpath:/static/")
        .setCacheControl(CacheControl.noCache());
  }
}
