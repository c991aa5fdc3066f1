package io.oxbow.runtime.http;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A service's Prometheus meter registry with the JVM metrics bound (memory, GC, threads, class
 * loading, CPU, uptime) and a common tag {@code service=<name>}. Served by {@link HttpService} on
 * {@code /metrics}; the service registers its own meters on {@link #registry()}.
 */
public final class ServiceMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private ServiceMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A new registry for the service {@code name} with JVM metrics bound. */
  public static ServiceMetrics create(String name) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", name);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new ServiceMetrics(registry, gc);
  }

  /** The registry; add meters here. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Unbinds the GC listener and closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
