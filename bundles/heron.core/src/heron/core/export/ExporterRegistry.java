package heron.core.export;

import java.util.Arrays;
import java.util.List;

import heron.core.model.EntityRef;
import heron.core.registry.Contribution;
import heron.core.registry.RegistryProblems;
import heron.core.registry.RegistryReader;

/**
 * The contributions to {@code heron.core.exporters}. Besides id, name and class, a contribution
 * names its {@code fileExtension} and the entity kinds it {@code accepts} ("call,turn,session").
 */
public final class ExporterRegistry extends RegistryReader<Exporter> {
    public static final String POINT_ID = "heron.core.exporters";
    public static final String ELEMENT = "exporter";

    public ExporterRegistry(List<Contribution<Exporter>> contributions, RegistryProblems problems) {
        super(contributions, problems);
    }

    public static ExporterRegistry fromPlatform() {
        RegistryProblems problems = new RegistryProblems();
        return new ExporterRegistry(readPlatform(POINT_ID, ELEMENT, Exporter.class, problems), problems);
    }

    /** The exporters that accept the given entity kind, in order. */
    public List<Contribution<Exporter>> accepting(EntityRef.Kind kind) {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        return contributions().stream().filter(c -> {
            String acc = c.attribute("accepts");
            return acc != null && Arrays.stream(acc.split(",")).map(String::trim).anyMatch(k::equals);
        }).toList();
    }
}
