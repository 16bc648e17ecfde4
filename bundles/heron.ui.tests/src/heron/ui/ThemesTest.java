package heron.ui;

import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import heron.ui.preferences.HeronPreferencePage;
import heron.ui.views.calls.CallListView;
import heron.ui.views.packets.PacketBytesView;
import heron.ui.views.packets.PacketListView;

/**
 * Heron Light and Heron Dark: contributed to the e4 theme engine, light by default, switchable
 * live (programmatically and from Window > Preferences > Heron), and the views' widgets follow.
 */
class ThemesTest {

    private static Display display() {
        return PlatformUI.getWorkbench().getDisplay();
    }

    /** Lets the engine's restyling and the repaints run. */
    private static void settle() {
        long end = System.currentTimeMillis() + 300;
        waitFor("restyle", () -> System.currentTimeMillis() > end, 5_000);
    }

    @AfterEach
    void backToLight() {
        Themes.apply(display(), Themes.LIGHT, true);
        settle();
    }

    @Test
    void bothThemesAreContributedAndLightIsActiveByDefault() {
        assertNotNull(Themes.engine(display()), "the CSS theme engine runs in the product");
        assertEquals(List.of(Themes.LIGHT, Themes.DARK), Themes.available(display()).stream().map(t -> t.getId()).toList());
        assertEquals(Themes.LIGHT, Themes.active(display()));
    }

    @Test
    void switchingToDarkDarkensTablesAndTextAndBackToLightLightensThem() throws Exception {
        PacketListView packets = show(PacketListView.ID);
        CallListView calls = show(CallListView.ID);
        show(PacketBytesView.ID);
        Table packetTable = packets.table().table();
        Table callTable = calls.table().table();
        List<StyledText> texts = find(packetTable.getShell(), StyledText.class);
        assertFalse(texts.isEmpty(), "the Packet Bytes view's text");
        assertFalse(Themes.isDark(packetTable.getBackground()), "light at the start");

        assertTrue(Themes.apply(display(), Themes.DARK, false));
        settle();
        assertEquals(Themes.DARK, Themes.active(display()));
        assertTrue(Themes.isDark(packetTable.getBackground()), "Packets table background in dark: "
                + packetTable.getBackground());
        assertTrue(Themes.isDark(callTable.getBackground()), "Calls table background in dark");
        assertFalse(Themes.isDark(callTable.getForeground()), "Calls table text is light on dark");
        showEveryTab(texts);
        assertTrue(texts.stream().allMatch(t -> Themes.isDark(t.getBackground())), () -> "text views (hex) in dark: "
                + texts.stream().map(t -> t.getBackground() + " visible=" + t.isVisible() + " in " + t.getParent())
                        .toList());
        assertTrue(Themes.isDark(callTable.getParent().getBackground()), "view background (read by charts) in dark");
        Label error = errorLabel(callTable.getParent());
        assertFalse(Themes.isDark(error.getForeground()), "filter error text readable (light red) on dark");
        assertFalse(Themes.isDark(Themes.errorColor(callTable)), "narrative error colour is light on dark");

        assertTrue(Themes.apply(display(), Themes.LIGHT, false));
        settle();
        assertFalse(Themes.isDark(packetTable.getBackground()), "Packets table background back to light");
        assertFalse(Themes.isDark(callTable.getBackground()), "Calls table background back to light");
        assertTrue(Themes.isDark(callTable.getForeground()), "Calls table text dark on light");
        showEveryTab(texts);
        assertTrue(texts.stream().noneMatch(t -> Themes.isDark(t.getBackground())), "text views back to light");
        assertTrue(Themes.isDark(errorLabel(callTable.getParent()).getForeground()), "filter error dark red on light");
    }

    @Test
    void themeChosenInHeronPreferencesIsAppliedOnOk() {
        PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), HeronPreferencePage.ID,
                new String[] { HeronPreferencePage.ID }, null);
        dialog.setBlockOnOpen(false);
        dialog.open();
        boolean closed = false;
        try {
            Combo combo = find(dialog.getShell(), Combo.class).stream()
                    .filter(c -> List.of(c.getItems()).contains("Heron Dark")).findFirst().orElseThrow();
            assertEquals("Heron Light", combo.getText(), "the page shows the active theme");
            combo.select(List.of(combo.getItems()).indexOf("Heron Dark"));
            closed = ((HeronPreferencePage) dialog.getSelectedPage()).performOk();
        } finally {
            dialog.close();
        }
        assertTrue(closed, "OK accepted");
        settle();
        assertEquals(Themes.DARK, Themes.active(display()));
    }

    /**
     * The engine styles what is visible; a tab's content is styled when the user selects the tab
     * (a selection event, which setSelection alone does not send). Selects, as a user would, every
     * tab that holds one of the texts.
     */
    private static void showEveryTab(List<StyledText> texts) {
        for (StyledText t : texts) {
            if (t.getParent() instanceof CTabFolder folder) {
                for (CTabItem item : folder.getItems()) {
                    if (item.getControl() == t) {
                        CTabItem before = folder.getSelection();
                        select(folder, item);
                        select(folder, before);
                    }
                }
            }
        }
        settle();
    }

    private static void select(CTabFolder folder, CTabItem item) {
        folder.setSelection(item);
        Event e = new Event();
        e.item = item;
        folder.notifyListeners(SWT.Selection, e);
    }

    private static Label errorLabel(Composite in) {
        return find(in, Label.class).stream().filter(l -> "error".equals(l.getData(Themes.CSS_CLASS_KEY))).findFirst()
                .orElseThrow();
    }

    private static <T extends Control> List<T> find(Composite root, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c)) {
                out.add(type.cast(c));
            }
            if (c instanceof Composite k) {
                out.addAll(find(k, type));
            }
        }
        return out;
    }
}
