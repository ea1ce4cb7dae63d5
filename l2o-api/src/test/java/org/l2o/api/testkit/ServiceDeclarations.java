package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that a module declares the same providers in {@code module-info} ({@code provides}) and
 * in {@code META-INF/services}: the first serves the module path, the second the class path, and
 * l2o runs on both.
 */
public final class ServiceDeclarations {

    private ServiceDeclarations() {
    }

    /** Asserts agreement for the compiled module that holds {@code anyClass}. */
    public static void assertAgree(Class<?> anyClass) {
        Path root;
        try {
            root = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(Files.isDirectory(root), "expected compiled classes in a directory, got " + root);
        Map<String, Set<String>> fromModule = new TreeMap<>();
        try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
            for (ModuleDescriptor.Provides p : ModuleDescriptor.read(in).provides()) {
                fromModule.put(p.service(), new TreeSet<>(p.providers()));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read module-info.class under " + root, e);
        }
        Map<String, Set<String>> fromServices = new TreeMap<>();
        Path services = root.resolve("META-INF/services");
        if (Files.isDirectory(services)) {
            try (Stream<Path> files = Files.list(services)) {
                for (Path f : files.toList()) {
                    Set<String> names = Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                            .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                            .collect(Collectors.toCollection(TreeSet::new));
                    fromServices.put(f.getFileName().toString(), names);
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + services, e);
            }
        }
        assertEquals(fromModule, fromServices, "module-info provides and META-INF/services disagree in " + root);
    }
}
