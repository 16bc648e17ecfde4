package heron.core;

import java.util.Locale;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/**
 * The user's Heron settings: keys, defaults and typed getters over the instance-scope preference
 * node {@value #NODE}. The workbench edits them (Window > Preferences > Heron); the import and
 * capture code reads them. Out-of-range stored values fall back into range, so a hand-edited
 * preference file cannot break an import.
 */
public final class HeronPreferences {
    /** Preference node (instance scope) holding every key below. */
    public static final String NODE = "heron.core";

    /** int, MiB of each decoded HTTP body kept (longer bodies are truncated). */
    public static final String BODY_CAP_MIB = "bodyCapMiB";
    /** boolean, mask credentials before they reach the workspace database. */
    public static final String MASK_SECRETS = "maskSecrets";
    /** int, flow workers of an import; default the number of cores. */
    public static final String IMPORT_WORKERS = "importWorkers";
    /** String, packet list time column: {@code relative}, {@code absolute} or {@code delta}. */
    public static final String TIME_FORMAT = "packetTimeFormat";

    public static final int DEFAULT_BODY_CAP_MIB = 8;
    public static final int MIN_BODY_CAP_MIB = 1;
    /** 1 GiB: the cap is an int byte count downstream. */
    public static final int MAX_BODY_CAP_MIB = 1024;
    public static final boolean DEFAULT_MASK_SECRETS = true;
    public static final int MIN_WORKERS = 1;
    public static final int MAX_WORKERS = 256;
    public static final String TIME_RELATIVE = "relative";
    public static final String TIME_ABSOLUTE = "absolute";
    public static final String TIME_DELTA = "delta";
    public static final String DEFAULT_TIME_FORMAT = TIME_RELATIVE;

    private HeronPreferences() {
    }

    /** The instance-scope node the values are stored in (writes: call {@code flush()} to persist). */
    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(NODE);
    }

    /** Default number of import workers: the machine's processors. */
    public static int defaultWorkers() {
        return Math.max(MIN_WORKERS, Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
    }

    /** Body cap in MiB, within [{@value #MIN_BODY_CAP_MIB}, {@value #MAX_BODY_CAP_MIB}]. */
    public static int bodyCapMiB() {
        return clamp(node().getInt(BODY_CAP_MIB, DEFAULT_BODY_CAP_MIB), MIN_BODY_CAP_MIB, MAX_BODY_CAP_MIB);
    }

    /** Body cap in bytes, as the network pipeline takes it. */
    public static int bodyCapBytes() {
        return bodyCapMiB() << 20;
    }

    public static boolean maskSecrets() {
        return node().getBoolean(MASK_SECRETS, DEFAULT_MASK_SECRETS);
    }

    /** Import workers within [{@value #MIN_WORKERS}, {@value #MAX_WORKERS}]. */
    public static int importWorkers() {
        return clamp(node().getInt(IMPORT_WORKERS, defaultWorkers()), MIN_WORKERS, MAX_WORKERS);
    }

    /** One of {@link #TIME_RELATIVE}, {@link #TIME_ABSOLUTE}, {@link #TIME_DELTA}; unknown values read as the default. */
    public static String timeFormat() {
        String v = node().get(TIME_FORMAT, DEFAULT_TIME_FORMAT).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case TIME_RELATIVE, TIME_ABSOLUTE, TIME_DELTA -> v;
            default -> DEFAULT_TIME_FORMAT;
        };
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
