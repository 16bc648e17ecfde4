package heron.core;

/** Product-wide constants: version and the ids that are API (stored in databases and plugin.xml files). */
public final class Heron {
    public static final String VERSION = "0.1.0";
    public static final String NAME = "Heron Workbench";

    private Heron() {
    }

    /** The version of the running bundle, falling back to {@link #VERSION} outside OSGi. */
    public static String version() {
        var bundle = org.eclipse.core.runtime.Platform.isRunning()
                ? org.eclipse.core.runtime.Platform.getBundle("heron.core") : null;
        return bundle != null ? bundle.getVersion().toString() : VERSION;
    }
}
