package heron.ui;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.page;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import heron.core.HeronPreferences;
import heron.net.NetOptions;
import heron.ui.jobs.PipelineSettings;
import heron.ui.preferences.HeronPreferencePage;
import heron.ui.views.Format;
import heron.ui.views.packets.PacketListView;
import heron.ui.views.packets.PacketRow;

/** Window > Preferences > Heron: the page is contributed and its values reach the code that uses them. */
class PreferencesTest {

    @BeforeEach
    @AfterEach
    void restoreDefaults() throws Exception {
        HeronPreferences.node().clear();
        HeronPreferences.node().flush();
    }

    @Test
    void defaultsAreEightMibMaskingOnCoresWorkersRelativeTime() {
        assertEquals(8 << 20, PipelineSettings.netOptions().bodyCap());
        assertEquals(Runtime.getRuntime().availableProcessors(), PipelineSettings.netOptions().workers());
        assertTrue(PipelineSettings.storeOptions().maskSecrets());
        assertEquals(HeronPreferences.TIME_RELATIVE, HeronPreferences.timeFormat());
    }

    @Test
    void importOptionsFollowThePreferences() {
        HeronPreferences.node().putInt(HeronPreferences.BODY_CAP_MIB, 2);
        HeronPreferences.node().putInt(HeronPreferences.IMPORT_WORKERS, 1);
        HeronPreferences.node().putBoolean(HeronPreferences.MASK_SECRETS, false);
        NetOptions net = PipelineSettings.netOptions();
        assertEquals(2 << 20, net.bodyCap());
        assertEquals(1, net.workers());
        assertEquals(NetOptions.defaults().decompressLimit(), net.decompressLimit());
        assertFalse(PipelineSettings.storeOptions().maskSecrets());
    }

    @Test
    void outOfRangeValuesFallBackIntoRange() {
        HeronPreferences.node().putInt(HeronPreferences.BODY_CAP_MIB, -5);
        HeronPreferences.node().putInt(HeronPreferences.IMPORT_WORKERS, 0);
        HeronPreferences.node().put(HeronPreferences.TIME_FORMAT, "sideways");
        assertEquals(1 << 20, PipelineSettings.netOptions().bodyCap());
        assertEquals(1, PipelineSettings.netOptions().workers());
        assertEquals(HeronPreferences.TIME_RELATIVE, HeronPreferences.timeFormat());
    }

    @Test
    void packetsViewOpensWithThePreferredTimeFormat() throws Exception {
        HeronPreferences.node().put(HeronPreferences.TIME_FORMAT, HeronPreferences.TIME_ABSOLUTE);
        open(testdata("cc-turn-2tools.pcap"));
        IViewPart old = page().findView(PacketListView.ID);
        if (old != null) {
            page().hideView(old);
        }
        PacketListView v = show(PacketListView.ID);
        v.reload();
        waitFor("packets loaded", v::isLoaded, 30_000);
        assertEquals(PacketListView.TimeFormat.ABSOLUTE, v.timeFormat());
        waitFor("first packet row", () -> v.table().row(0) != null, 10_000);
        PacketRow first = v.table().row(0);
        String text = v.timeText(first);
        assertEquals(Format.time(first.record().timestampNanos()), text);
        assertTrue(text.contains(":"), "time of day, not seconds since start: " + text);
    }

    @Test
    void heronPageIsContributedToWindowPreferences() {
        PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), HeronPreferencePage.ID,
                new String[] { HeronPreferencePage.ID }, null);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            assertInstanceOf(HeronPreferencePage.class, dialog.getSelectedPage());
        } finally {
            dialog.close();
        }
    }
}
