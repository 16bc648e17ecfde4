package heron.ui;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/** File > Open Recent: the last captures opened, kept in the workspace preferences. */
public final class RecentCaptures {
    private static final String KEY = "recentCaptures";
    private static final int MAX = 10;

    private RecentCaptures() {
    }

    private static IEclipsePreferences prefs() {
        return InstanceScope.INSTANCE.getNode("heron.ui");
    }

    public static List<String> list() {
        String v = prefs().get(KEY, "");
        List<String> out = new ArrayList<>();
        for (String s : v.split("\n")) {
            if (!s.isBlank()) {
                out.add(s);
            }
        }
        return out;
    }

    public static void add(String path) {
        List<String> l = list();
        l.remove(path);
        l.add(0, path);
        while (l.size() > MAX) {
            l.remove(l.size() - 1);
        }
        prefs().put(KEY, String.join("\n", l));
        try {
            prefs().flush();
        } catch (org.osgi.service.prefs.BackingStoreException e) {
            // Not fatal: the list is only a convenience.
        }
    }
}
