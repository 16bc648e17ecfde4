package heron.ui;

import java.util.List;

import org.eclipse.e4.ui.css.swt.theme.ITheme;
import org.eclipse.e4.ui.css.swt.theme.IThemeEngine;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;

/**
 * Heron's light and dark themes (CSS files of this bundle, contributed to the e4 theme engine
 * and made the product's theme by its {@code cssTheme} property). Switching goes through the
 * engine, which applies the theme to every open window at once and remembers it for the next
 * start. Also: accent colours for what views draw themselves, chosen by the background they are
 * drawn on so they stay readable in both themes.
 */
public final class Themes {
    public static final String LIGHT = "heron.ui.themes.light";
    public static final String DARK = "heron.ui.themes.dark";
    /** Widget data key of the CSS class of a widget (e.g. "error" for the "Label.error" rule). */
    public static final String CSS_CLASS_KEY = "org.eclipse.e4.ui.css.CssClassName";
    /** Display data key under which the e4 theme manager keeps the display's engine. */
    private static final String ENGINE_KEY = "org.eclipse.e4.ui.css.swt.theme";
    private static final Color ERROR_ON_LIGHT = new Color(0xc0, 0x1c, 0x28);
    private static final Color ERROR_ON_DARK = new Color(0xff, 0x7b, 0x72);

    private Themes() {
    }

    /** The theme engine of the display, or null when the workbench runs without CSS styling. */
    public static IThemeEngine engine(Display display) {
        return display.getData(ENGINE_KEY) instanceof IThemeEngine e ? e : null;
    }

    /** Heron's themes as the engine knows them (id and label), light first; empty without an engine. */
    public static List<ITheme> available(Display display) {
        IThemeEngine e = engine(display);
        if (e == null) {
            return List.of();
        }
        return e.getThemes().stream().filter(t -> t.getId().equals(LIGHT) || t.getId().equals(DARK))
                .sorted((a, b) -> a.getId().equals(LIGHT) ? -1 : b.getId().equals(LIGHT) ? 1 : 0).toList();
    }

    /** Id of the active theme, or null. */
    public static String active(Display display) {
        IThemeEngine e = engine(display);
        ITheme t = e == null ? null : e.getActiveTheme();
        return t == null ? null : t.getId();
    }

    /**
     * Applies a theme to every open window now and, with {@code persist}, makes it the theme of
     * the next start too. UI thread.
     *
     * @return false when there is no theme engine or no such theme
     */
    public static boolean apply(Display display, String themeId, boolean persist) {
        IThemeEngine e = engine(display);
        if (e == null || e.getThemes().stream().noneMatch(t -> t.getId().equals(themeId))) {
            return false;
        }
        forgetItemElements(e);
        e.setTheme(themeId, persist);
        for (var shell : display.getShells()) {
            // the engine restyles the widgets; custom-drawn parts repaint with their new colours
            shell.redraw();
            shell.layout(true, true);
        }
        return true;
    }

    /**
     * Drops the engine's CSS elements of table and tree items before a switch. The engine makes an
     * element for every widget SWT creates, items included (one per row a virtual table ever
     * showed: the Packets view can reach millions), and a switch first resets every element.
     * Heron's themes style no items, and resetting them wipes colours the views gave rows (e.g.
     * failed narrative steps) and has crashed GTK inside {@code TableItem.setForeground} on rows of
     * virtual tables. The engine offers no API for this; reflection is used, and any failure only
     * means the elements stay.
     */
    private static void forgetItemElements(IThemeEngine e) {
        try {
            Object engines = e.getClass().getMethod("getCSSEngines").invoke(e);
            if (!(engines instanceof java.util.Collection<?> list)) {
                return;
            }
            for (Object engine : list) {
                for (Class<?> c = engine.getClass(); c != null; c = c.getSuperclass()) {
                    java.lang.reflect.Field f;
                    try {
                        f = c.getDeclaredField("elementsContext");
                    } catch (NoSuchFieldException notHere) {
                        continue;
                    }
                    f.setAccessible(true);
                    if (f.get(engine) instanceof java.util.Map<?, ?> m) {
                        m.keySet().removeIf(w -> w instanceof org.eclipse.swt.widgets.TableItem
                                || w instanceof org.eclipse.swt.widgets.TreeItem);
                    }
                    break;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException ex) {
            // the engine keeps its elements; the switch still works
        }
    }

    /** Whether a colour is dark (relative luminance below one half). */
    public static boolean isDark(Color c) {
        RGB rgb = c.getRGB();
        return (0.2126 * rgb.red + 0.7152 * rgb.green + 0.0722 * rgb.blue) / 255.0 < 0.5;
    }

    /** Colour for error text drawn on {@code on}'s background (a light red on dark backgrounds). */
    public static Color errorColor(Control on) {
        return isDark(on.getBackground()) ? ERROR_ON_DARK : ERROR_ON_LIGHT;
    }

    /** Readable red for error text on the display's list background (when no control is at hand). */
    public static Color errorColor(Display display) {
        return isDark(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND)) ? ERROR_ON_DARK : ERROR_ON_LIGHT;
    }
}
