package heron.ui.jobs;

import heron.core.HeronPreferences;
import heron.net.NetOptions;
import heron.store.StoreOptions;

/**
 * The pipeline and store options the workbench uses, built from {@link HeronPreferences} (plain
 * code: no display needed). Read at the start of each import, so a changed preference applies
 * to the next import.
 */
public final class PipelineSettings {
    private PipelineSettings() {
    }

    /** Network options: workers and body cap from the preferences, other limits as the defaults. */
    public static NetOptions netOptions() {
        NetOptions d = NetOptions.defaults();
        return new NetOptions(HeronPreferences.importWorkers(), HeronPreferences.bodyCapBytes(), d.decompressLimit(),
                d.idleTimeoutNanos());
    }

    /** Store options: secret masking from the preferences (applies when the database is opened). */
    public static StoreOptions storeOptions() {
        return StoreOptions.defaults().withMaskSecrets(HeronPreferences.maskSecrets());
    }
}
