package io.oxbow.views;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of views a deployment computes, loaded once at start by every service from the same
 * definitions.
 *
 * <p>The defaults ({@code traffic}, {@code pages}, {@code errors}, {@code revenue}) ship as the
 * resource {@value #DEFAULT_RESOURCE}. A user's views file (YAML, see docs/views.md) extends them:
 * its views are added, and a view with the name of a default replaces that default. With {@code
 * replace_defaults: true} at its top, the file's views replace the defaults entirely. Every
 * definition is checked when loaded; an invalid one fails with a {@link ViewDefinitionException}
 * naming the file, view and field.
 *
 * <p>Immutable and thread-safe.
 */
public final class ViewCatalog {
  /** Classpath resource holding the default views. */
  public static final String DEFAULT_RESOURCE = "/io/oxbow/views/views.yaml";

  private static final Logger log = LoggerFactory.getLogger(ViewCatalog.class);

  private final Map<String, ViewFolder> folders;

  private ViewCatalog(Collection<ViewDefinition> definitions) {
    Map<String, ViewFolder> byName = new LinkedHashMap<>();
    for (ViewDefinition definition : definitions) {
      if (byName.put(definition.name(), ViewFolder.of(definition)) != null) {
        throw new ViewDefinitionException("view '" + definition.name() + "': defined twice");
      }
    }
    this.folders = byName;
  }

  /** A catalog of exactly these definitions (no defaults). */
  public static ViewCatalog of(List<ViewDefinition> definitions) {
    return new ViewCatalog(definitions);
  }

  /** The default views shipped with Oxbow. */
  public static ViewCatalog defaults() {
    return of(defaultDocument().views());
  }

  /**
   * The defaults extended (or replaced) by the views file at {@code file}.
   *
   * @throws ViewDefinitionException when the file cannot be read or a definition is invalid
   */
  public static ViewCatalog load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ViewDefinitionException("cannot read views file " + file + ": " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * The defaults extended (or replaced) by the views in {@code yaml}; {@code origin} names the text
   * in error messages (e.g. a file name).
   *
   * @throws ViewDefinitionException when a definition is invalid
   */
  public static ViewCatalog parse(String yaml, String origin) {
    ViewsYaml.Document user = ViewsYaml.parse(yaml, origin);
    Map<String, ViewDefinition> views = new LinkedHashMap<>();
    if (!user.replaceDefaults()) {
      defaultDocument().views().forEach(v -> views.put(v.name(), v));
    }
    for (ViewDefinition view : user.views()) {
      if (views.put(view.name(), view) != null) {
        log.info("View '{}' from {} replaces the default view of that name", view.name(), origin);
      }
    }
    ViewCatalog catalog = new ViewCatalog(views.values());
    log.info(
        "Loaded views {} ({} from {}, defaults {})",
        catalog.names(),
        user.views().size(),
        origin,
        user.replaceDefaults() ? "replaced" : "kept");
    return catalog;
  }

  private static ViewsYaml.Document defaultDocument() {
    try (InputStream in = ViewCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing");
      }
      return ViewsYaml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "defaults");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
    }
  }

  /** View names, in definition order. */
  public List<String> names() {
    return List.copyOf(folders.keySet());
  }

  /** Every definition, in order. */
  public List<ViewDefinition> definitions() {
    List<ViewDefinition> definitions = new ArrayList<>();
    folders.values().forEach(f -> definitions.add(f.definition()));
    return definitions;
  }

  /** Every folder, in definition order. */
  public List<ViewFolder> folders() {
    return List.copyOf(folders.values());
  }

  /** The folder of view {@code name}, if defined. */
  public Optional<ViewFolder> find(String name) {
    return Optional.ofNullable(folders.get(name));
  }

  /**
   * The folder of view {@code name}.
   *
   * @throws ViewDefinitionException listing the defined views when there is none of that name
   */
  public ViewFolder folder(String name) {
    ViewFolder folder = folders.get(name);
    if (folder == null) {
      throw new ViewDefinitionException("unknown view '" + name + "' (defined: " + names() + ")");
    }
    return folder;
  }
}
