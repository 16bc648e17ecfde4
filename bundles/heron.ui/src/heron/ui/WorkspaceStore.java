package heron.ui;

import java.nio.file.Path;

import org.eclipse.core.runtime.Platform;
import org.osgi.framework.FrameworkUtil;

import heron.store.HeronStore;

/**
 * The workspace's database: one H2 store per Eclipse workspace, in
 * {@code <workspace>/.metadata/.plugins/heron.store/}, opened on first use and closed when the
 * workbench shuts down. A workspace is an analyst's case.
 */
public final class WorkspaceStore {
    private static HeronStore store;

    private WorkspaceStore() {
    }

    public static synchronized HeronStore get() {
        if (store == null) {
            Path dir = Path.of(Platform.getStateLocation(FrameworkUtil.getBundle(HeronStore.class)).toOSString());
            // Masking is a property of the open store: a changed preference applies from the next start.
            store = HeronStore.open(dir, heron.ui.jobs.PipelineSettings.storeOptions());
            // Bodies, headers and call details are re-assembled from the capture files on demand
            // (ADR 0006), with the import's body cap.
            heron.pipeline.CaptureReassembler.install(store, heron.ui.jobs.PipelineSettings.netOptions());
        }
        return store;
    }

    /**
     * {@code <workspace>/captures/}: live captures are written here and compressed captures are
     * inflated here, so packet bytes stay readable as long as the workspace.
     */
    public static Path capturesFolder() {
        return Path.of(Platform.getInstanceLocation().getURL().getPath(), "captures");
    }

    public static synchronized boolean isOpen() {
        return store != null;
    }

    public static synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
