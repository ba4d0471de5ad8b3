package io.floe.spi.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Implementations of an SPI interface: those on the class path (found with {@link ServiceLoader}),
 * and those of the plugins in the directory that the system property {@value #DIRECTORY} names.
 *
 * <p>The distribution keeps the integrations whose libraries are large (the cloud storage SDKs) out
 * of the class path: each is a directory of jars, its module's jar first, listed in a file named
 * {@code classpath}, loaded by a class loader of its own whose parent is the class path's. A JVM
 * keeps every jar it opens open, with the jar's directory in its heap, and a lookup on the class
 * path opens all of them; a plugin's jars are opened only when the plugin is used. Providers are
 * found in the module's own jar, and a plugin's objects run with its class loader as the thread's
 * context class loader (see {@link PluginCalls}), which libraries that load classes by name use.
 */
public final class Plugins {
  /** The system property naming the plugin directory (the distribution's launcher sets it). */
  public static final String DIRECTORY = "floe.plugin.dir";

  private Plugins() {}

  /** Every implementation of {@code service}: the class path's first, then the plugins'. */
  public static <T> List<T> load(Class<T> service) {
    return load(service, Loaded.ALL);
  }

  static <T> List<T> load(Class<T> service, List<Plugin> plugins) {
    List<T> found = new ArrayList<>();
    ServiceLoader.load(service, service.getClassLoader()).forEach(found::add);
    for (Plugin plugin : plugins) {
      for (String name : plugin.providerNames(service)) {
        found.add(PluginCalls.wrap(service, plugin.instantiate(name, service), plugin.loader()));
      }
    }
    return List.copyOf(found);
  }

  /** The plugins in {@code directory}, in name order; none when it is null or absent. */
  static List<Plugin> open(Path directory, ClassLoader parent) {
    if (directory == null || !Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(Files::isDirectory).sorted().map(dir -> Plugin.open(dir, parent)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugin directory " + directory, e);
    }
  }

  private static final class Loaded {
    static final List<Plugin> ALL = open(
        System.getProperty(DIRECTORY) == null ? null : Path.of(System.getProperty(DIRECTORY)),
        Plugins.class.getClassLoader());
  }

  /** One plugin: its jars (the module's first) and the class loader over them. */
  record Plugin(String name, Path moduleJar, URLClassLoader loader) {
    static Plugin open(Path dir, ClassLoader parent) {
      Path listing = dir.resolve("classpath");
      List<Path> jars;
      try (Stream<String> lines = Files.lines(listing)) {
        jars = lines.map(String::strip).filter(line -> !line.isEmpty()).map(dir::resolve).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the plugin's jar list " + listing, e);
      }
      if (jars.isEmpty()) {
        throw new IllegalStateException("the plugin " + dir + " lists no jars in " + listing);
      }
      URL[] urls = new URL[jars.size()];
      for (int i = 0; i < urls.length; i++) {
        if (!Files.isRegularFile(jars.get(i))) {
          throw new IllegalStateException("the plugin " + dir + " lists a jar that is not there: " + jars.get(i));
        }
        try {
          urls[i] = jars.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
      String name = dir.getFileName().toString();
      return new Plugin(name, jars.getFirst(), new URLClassLoader("plugin-" + name, urls, parent));
    }

    /**
     * The providers the module's jar declares; read from that jar alone, as asking the class
     * loader would open every jar of the plugin.
     */
    List<String> providerNames(Class<?> service) {
      try (JarFile jar = new JarFile(moduleJar.toFile())) {
        var entry = jar.getJarEntry("META-INF/services/" + service.getName());
        if (entry == null) {
          return List.of();
        }
        try (InputStream in = jar.getInputStream(entry)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
              .map(line -> line.replaceFirst("#.*", "").strip())
              .filter(line -> !line.isEmpty())
              .toList();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the plugin's jar " + moduleJar, e);
      }
    }

    <T> T instantiate(String className, Class<T> service) {
      try {
        return PluginCalls.inContext(
            loader, () -> Class.forName(className, true, loader).asSubclass(service).getConstructor().newInstance());
      } catch (Error e) {
        throw e;
      } catch (Throwable e) { // not found, not a provider of the service, or its constructor failed
        throw new IllegalStateException(
            "the plugin " + name + " declares " + className + " as a " + service.getName() + " but it cannot be made", e);
      }
    }
  }
}
