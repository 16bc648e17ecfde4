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
    /**
     * H2's page cache while no file import runs, in KB. The store sizes it for imports (1/16 of
     * the heap, up to 256 MB: building a big capture's indexes re-reads its tables); once filled
     * it is retained heap, which for the workbench's reads (pages of rows, one capture at a time)
     * would be most of its heap per packet (docs/performance.md, Workbench).
     */
    static final int VIEW_CACHE_KB = 64 * 1024;
    private static HeronStore store;
    /** The cache size the store was opened with, given back to file imports. */
    private static int importCacheKb;
    private static int importsRunning;

    private WorkspaceStore() {
    }

    public static synchronized HeronStore get() {
        if (store == null) {
            Path dir = Path.of(Platform.getStateLocation(FrameworkUtil.getBundle(HeronStore.class)).toOSString());
            // Masking is a property of the open store: a changed preference applies from the next start.
            store = HeronStore.open(dir, heron.ui.jobs.PipelineSettings.storeOptions());
            importCacheKb = store.pageCacheKb();
            setCacheKb(store, Math.min(importCacheKb, VIEW_CACHE_KB));
            // Bodies, headers and call details are re-assembled from the capture files on demand
            // (ADR 0006), with the import's body cap.
            heron.pipeline.CaptureReassembler.install(store, heron.ui.jobs.PipelineSettings.netOptions());
        }
        return store;
    }

    /** A file import begins: it gets the page cache the store was opened with. */
    public static synchronized void importStarted() {
        HeronStore s = get();
        if (importsRunning++ == 0 && importCacheKb > VIEW_CACHE_KB) {
            setCacheKb(s, importCacheKb);
        }
    }

    /** A file import ended: back to {@link #VIEW_CACHE_KB} when none runs (this drops the cached pages). */
    public static synchronized void importEnded() {
        if (--importsRunning == 0 && store != null && importCacheKb > VIEW_CACHE_KB) {
            setCacheKb(store, VIEW_CACHE_KB);
        }
    }

    /** The page cache size of the workspace database now, in KB (for tests and benchmarks). */
    public static synchronized int cacheKb() {
        return store == null ? 0 : store.pageCacheKb();
    }

    private static void setCacheKb(HeronStore s, int kb) {
        try {
            s.setPageCacheKb(kb);
        } catch (heron.store.StoreException e) {
            // a bigger cache than needed is only memory: keep working
            org.eclipse.core.runtime.ILog.of(WorkspaceStore.class).warn("cannot set the database page cache", e);
        }
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
            importsRunning = 0;
        }
    }
}
