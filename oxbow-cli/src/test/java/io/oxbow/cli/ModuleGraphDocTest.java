package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module graph of docs/design.md ("Modules") is the one the poms declare: every module of the
 * build is in it, and each module's arrow names exactly its compile-time Oxbow dependencies (test
 * scope left out, optional ones marked). Fails when a pom gains or loses a module dependency and
 * the graph is not updated.
 */
class ModuleGraphDocTest {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", ".."));
  private static final Set<String> DEPEND_ON_EVERYTHING = Set.of("oxbow-cli", "bench");
  private static final Pattern ARROW = Pattern.compile("^ {3}(\\S+) ─+► (.+)$");
  private static final Pattern ALONE = Pattern.compile("^ {3}(\\S+)(\\s+\\(.*\\))?$");

  @Test
  void shouldDrawEveryModuleWithExactlyTheDependenciesOfItsPom() throws Exception {
    Map<String, Set<String>> documented = documentedGraph();
    List<String> modules = elements(parse(ROOT.resolve("pom.xml")), "module");

    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(modules);
    for (String module : modules) {
      if (!DEPEND_ON_EVERYTHING.contains(module)) {
        assertThat(documented.get(module))
            .as("docs/design.md, Modules: the arrow of %s", module)
            .isEqualTo(oxbowDependencies(module));
      }
    }
  }

  private static Map<String, Set<String>> documentedGraph() throws Exception {
    String design = Files.readString(ROOT.resolve("docs/design.md"));
    String section = design.substring(design.indexOf("## Modules"));
    int open = section.indexOf("```\n") + 4;
    String graph = section.substring(open, section.indexOf("\n```", open));
    Map<String, Set<String>> documented = new LinkedHashMap<>();
    for (String line : graph.split("\n")) {
      Matcher arrow = ARROW.matcher(line);
      Matcher alone = ALONE.matcher(line);
      if (arrow.matches()) {
        Set<String> targets = new TreeSet<>();
        for (String target : arrow.group(2).split(",")) {
          targets.add(target.trim());
        }
        documented.put(arrow.group(1), targets);
      } else if (alone.matches()) {
        documented.put(alone.group(1), new TreeSet<>());
      }
    }
    return documented;
  }

  private static Set<String> oxbowDependencies(String module) throws Exception {
    Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
    Element dependencies =
        (Element) pom.getDocumentElement().getElementsByTagName("dependencies").item(0);
    Set<String> result = new TreeSet<>();
    if (dependencies == null) {
      return result;
    }
    NodeList list = dependencies.getElementsByTagName("dependency");
    for (int i = 0; i < list.getLength(); i++) {
      Element dependency = (Element) list.item(i);
      if (text(dependency, "groupId").equals("io.oxbow")
          && !text(dependency, "scope").equals("test")) {
        boolean optional = text(dependency, "optional").equals("true");
        result.add(text(dependency, "artifactId") + (optional ? " (optional)" : ""));
      }
    }
    return result;
  }

  private static String text(Element parent, String tag) {
    for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  private static List<String> elements(Document document, String tag) {
    NodeList list = document.getElementsByTagName(tag);
    return java.util.stream.IntStream.range(0, list.getLength())
        .mapToObj(i -> list.item(i).getTextContent().trim())
        .toList();
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }
}
