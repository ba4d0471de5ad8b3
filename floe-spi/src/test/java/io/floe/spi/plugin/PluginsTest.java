package io.floe.spi.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.storage.RequestSigner;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.util.JsonUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin built here, as the distribution lays it out: a module jar with a storage kind and a
 * dependency jar with a class the kind uses, neither on the test's class path.
 */
class PluginsTest {
  @TempDir static Path work;
  static Path pluginDir;
  static Path dependencyJar;

  @BeforeAll
  static void buildPlugin() throws Exception {
    Path sources = Files.createDirectories(work.resolve("src"));
    write(sources.resolve("plugdep/Helper.java"), """
        package plugdep;
        public final class Helper {
          public static String hello() { return "from the dependency"; }
        }
        """);
    write(sources.resolve("plugdemo/DemoKind.java"), """
        package plugdemo;
        import com.fasterxml.jackson.core.JsonGenerator;
        import io.floe.spi.secrets.Secret;
        import io.floe.spi.storage.*;
        import io.floe.spi.tenancy.*;
        import java.util.*;
        import org.apache.iceberg.io.*;
        public final class DemoKind implements StorageKind {
          static String context() { return Thread.currentThread().getContextClassLoader().getName(); }
          public record DemoProfile(String root) implements StorageProfile {
            public String type() { return "demo"; }
          }
          public String type() { return "demo"; }
          public StorageProfile parse(ProfileJson json) { return new DemoProfile(json.text("root")); }
          public void write(StorageProfile profile, JsonGenerator generator) throws java.io.IOException {
            generator.writeStringField("root", ((DemoProfile) profile).root()); // a proxy would not cast
            generator.writeStringField("context", context());
            generator.writeStringField("helper", plugdep.Helper.hello());
          }
          public FileIOFactory fileIOFactory() {
            return new FileIOFactory() {
              public String type() { return "demo"; }
              public FileIO fileIO(StorageProfile profile, Optional<Secret> credential) { return new DemoIO(); }
            };
          }
          public Optional<RequestSigner> requestSigner() {
            return Optional.of(new RequestSigner() {
              public String type() { return "demo"; }
              public Map<String, String> clientProperties(StorageProfile profile, String endpoint) {
                throw new IllegalArgumentException("no properties for " + ((DemoProfile) profile).root());
              }
              public SignedRequest sign(StorageProfile p, Optional<Secret> c, List<String> l, AccessLevel a, SignRequest r) {
                throw new UnsupportedOperationException();
              }
            });
          }
          static final class DemoIO implements FileIO, SupportsBulkOperations {
            public InputFile newInputFile(String path) { throw new UnsupportedOperationException(); }
            public OutputFile newOutputFile(String path) { throw new UnsupportedOperationException(); }
            public void deleteFile(String path) {}
            public void deleteFiles(Iterable<String> paths) {}
            public Map<String, String> properties() { return Map.of("context", context()); }
          }
        }
        """);
    Files.writeString(Files.createDirectories(sources.resolve("META-INF/services")).resolve(StorageKind.class.getName()),
        "# the demo kind\nplugdemo.DemoKind\n");
    Path classes = Files.createDirectories(work.resolve("classes"));
    String classPath = String.join(
        java.io.File.pathSeparator, codeSource(StorageKind.class), codeSource(FileIO.class), codeSource(JsonGenerator.class));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp", classPath,
        sources.resolve("plugdep/Helper.java").toString(), sources.resolve("plugdemo/DemoKind.java").toString());
    assertThat(status).as("javac").isZero();
    pluginDir = Files.createDirectories(work.resolve("plugins/demo"));
    Path moduleJar = pluginDir.resolve("floe-storage-demo.jar");
    dependencyJar = pluginDir.resolve("demo-dependency.jar");
    Files.copy(sources.resolve("META-INF/services/" + StorageKind.class.getName()),
        Files.createDirectories(classes.resolve("META-INF/services")).resolve(StorageKind.class.getName()));
    jar(moduleJar, classes, "plugdemo", "META-INF");
    jar(dependencyJar, classes, "plugdep");
    Files.writeString(pluginDir.resolve("classpath"), "floe-storage-demo.jar\ndemo-dependency.jar\n");
  }

  @Test
  void aPluginsKindIsFoundInItsModuleJarAndItsDependenciesOpenOnlyWhenUsed() throws IOException {
    List<Plugins.Plugin> plugins = Plugins.open(work.resolve("plugins"), PluginsTest.class.getClassLoader());
    assertThat(plugins).extracting(Plugins.Plugin::name).containsExactly("demo");
    StorageKind kind = Plugins.load(StorageKind.class, plugins).stream()
        .filter(k -> k.type().equals("demo")).findFirst().orElseThrow();
    assertThat(openFiles()).as("the dependency is not opened to find the kind").doesNotContain(dependencyJar.toRealPath());

    StorageProfile profile = kind.parse(profileJson("lake"));
    StringWriter out = new StringWriter();
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (JsonGenerator generator = JsonUtil.factory().createGenerator(out)) {
      generator.writeStartObject();
      kind.write(profile, generator);
      generator.writeEndObject();
    }
    JsonNode written = JsonUtil.mapper().readTree(out.toString());
    assertThat(written.get("root").asText()).isEqualTo("lake");
    assertThat(written.get("context").asText()).as("the plugin runs with its own context class loader").isEqualTo("plugin-demo");
    assertThat(written.get("helper").asText()).isEqualTo("from the dependency");
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    assertThat(openFiles()).as("used, the dependency is opened").contains(dependencyJar.toRealPath());
  }

  @Test
  void whatAPluginReturnsAsAnInterfaceRunsInItsContextAndKeepsItsInterfaces() {
    StorageKind kind = demoKind();
    assertThat(Proxy.isProxyClass(kind.getClass())).isTrue();
    FileIOFactory factory = kind.fileIOFactory();
    assertThat(Proxy.isProxyClass(factory.getClass())).isTrue();
    StorageProfile profile = kind.parse(profileJson("lake"));
    FileIO io = factory.fileIO(profile, Optional.empty());
    assertThat(io).isInstanceOf(SupportsBulkOperations.class);
    assertThat(io.properties()).containsEntry("context", "plugin-demo");
    assertThat(kind.credentialVendor()).isEmpty();
    RequestSigner signer = kind.requestSigner().orElseThrow();
    assertThat(Proxy.isProxyClass(signer.getClass())).isTrue();
    assertThat(signer.type()).isEqualTo("demo");
    assertThatThrownBy(() -> signer.clientProperties(profile, "http://sign"))
        .as("the plugin's own exception, not a reflection wrapper")
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("no properties for lake");
  }

  @Test
  void profilesFromAPluginCompareByTheirValues() {
    StorageKind kind = demoKind();
    StorageProfile one = kind.parse(profileJson("lake"));
    StorageProfile same = kind.parse(profileJson("lake"));
    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(kind.parse(profileJson("other")));
    assertThat(one.toString()).contains("lake");
    assertThat(one.type()).isEqualTo("demo");
  }

  @Test
  void aPluginThatListsAMissingJarIsRefusedByName() throws IOException {
    Path broken = Files.createDirectories(work.resolve("broken-plugins/broken"));
    Files.writeString(broken.resolve("classpath"), "missing.jar\n");
    assertThatThrownBy(() -> Plugins.open(work.resolve("broken-plugins"), PluginsTest.class.getClassLoader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.jar");
    assertThat(Plugins.open(work.resolve("no-such-directory"), PluginsTest.class.getClassLoader())).isEmpty();
  }

  private static StorageKind demoKind() {
    return Plugins.load(StorageKind.class, Plugins.open(work.resolve("plugins"), PluginsTest.class.getClassLoader()))
        .stream().filter(k -> k.type().equals("demo")).findFirst().orElseThrow();
  }

  private static ProfileJson profileJson(String root) {
    return new ProfileJson(JsonUtil.mapper().createObjectNode().put("type", "demo").put("root", root));
  }

  private static List<Path> openFiles() throws IOException {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          open.add(Files.readSymbolicLink(fd));
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    return open;
  }

  private static String codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void jar(Path jar, Path classes, String... tops) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String top : tops) {
        if (!Files.exists(classes.resolve(top))) {
          continue;
        }
        try (Stream<Path> files = Files.walk(classes.resolve(top))) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
            out.write(Files.readAllBytes(file));
            out.closeEntry();
          }
        }
      }
    }
  }
}
