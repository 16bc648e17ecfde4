package heron.dropins;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs third-party plug-ins dropped into the installation's {@code dropins/} folder, so a
 * decoder, agent profile or exporter can be added to an installed Heron without rebuilding it:
 * copy the bundle's jar into {@code <heron>/dropins/} and restart. (Equinox's p2 dropins
 * reconciler would need the whole p2 engine in the product; this does the one thing Heron needs.)
 * Started early by the product configuration, before any extension registry is read; the
 * extension registry picks up the new bundles' plugin.xml as they resolve.
 */
public class Activator implements BundleActivator {
    /** System property naming another folder (tests); default {@code <install>/dropins}. */
    public static final String FOLDER_PROPERTY = "heron.dropins";

    @Override
    public void start(BundleContext context) {
        Path folder = folder(context);
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        forgetOtherFolders(context, folder);
        List<Bundle> installed = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path jar : jars) {
                String location = "reference:" + jar.toUri();
                if (context.getBundle(location) != null) {
                    continue;
                }
                try {
                    installed.add(context.installBundle(location));
                } catch (BundleException e) {
                    System.err.println("heron: plug-in " + jar.getFileName() + " in " + folder
                            + " cannot be installed and is skipped: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            System.err.println("heron: cannot read the drop-ins folder " + folder + ": " + e.getMessage());
        }
        if (!installed.isEmpty()) {
            context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(installed);
            for (Bundle b : installed) {
                if ((b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                    System.err.println("heron: plug-in " + b.getSymbolicName() + " does not resolve (a dependency is "
                            + "missing) and is skipped");
                }
            }
        }
    }

    /**
     * Uninstalls plug-ins that were installed from a drop-ins folder other than this one: the
     * installation was copied or moved, and its configuration still names the jars at the old
     * place (which would keep the plug-in loading from there and refuse the jar here as a
     * duplicate).
     */
    private static void forgetOtherFolders(BundleContext context, Path folder) {
        for (Bundle b : context.getBundles()) {
            Path jar = dropinJar(b.getLocation());
            if (jar != null && !jar.getParent().equals(folder.toAbsolutePath().normalize())) {
                try {
                    b.uninstall();
                } catch (BundleException | IllegalStateException e) {
                    System.err.println("heron: plug-in " + b.getSymbolicName() + " from " + jar.getParent()
                            + " cannot be removed: " + e.getMessage());
                }
            }
        }
    }

    /** The jar of a location this activator installs ({@code reference:file:.../dropins/x.jar}), or null. */
    static Path dropinJar(String location) {
        if (location == null || !location.startsWith("reference:file:") || !location.endsWith(".jar")) {
            return null;
        }
        try {
            Path jar = Path.of(java.net.URI.create(location.substring("reference:".length()))).normalize();
            Path parent = jar.getParent();
            return parent != null && parent.getFileName() != null
                    && parent.getFileName().toString().equals("dropins") ? jar : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Path folder(BundleContext context) {
        String p = context.getProperty(FOLDER_PROPERTY);
        if (p != null) {
            return Path.of(p);
        }
        String install = context.getProperty("osgi.install.area");
        if (install == null) {
            return null;
        }
        return Path.of(java.net.URI.create(install.replace(" ", "%20"))).resolve("dropins");
    }

    @Override
    public void stop(BundleContext context) {
        // Installed plug-ins stay installed in the framework's cache until their jar is removed.
    }
}
