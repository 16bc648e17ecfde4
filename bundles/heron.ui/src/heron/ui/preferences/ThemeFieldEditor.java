package heron.ui.preferences;

import java.util.List;

import org.eclipse.e4.ui.css.swt.theme.ITheme;
import org.eclipse.jface.preference.FieldEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import heron.ui.Themes;

/**
 * Chooses Heron Light or Heron Dark. The choice is not a Heron preference: it is the theme
 * engine's own (which the engine restores at the next start), so this editor loads from and
 * stores to the engine. Storing applies the theme to the open windows at once.
 */
final class ThemeFieldEditor extends FieldEditor {
    static final String NAME = "heron.ui.theme";
    private Combo combo;
    private List<ITheme> themes = List.of();

    ThemeFieldEditor(Composite parent) {
        init(NAME, "&Theme:");
        createControl(parent);
    }

    @Override
    protected void adjustForNumColumns(int numColumns) {
        ((GridData) combo.getLayoutData()).horizontalSpan = numColumns - 1;
    }

    @Override
    protected void doFillIntoGrid(Composite parent, int numColumns) {
        Label label = getLabelControl(parent);
        label.setLayoutData(new GridData());
        combo = new Combo(parent, SWT.READ_ONLY);
        GridData gd = new GridData();
        gd.horizontalSpan = numColumns - 1;
        combo.setLayoutData(gd);
        themes = Themes.available(parent.getDisplay());
        if (themes.isEmpty()) {
            combo.add("(the theme engine is not running)");
            combo.select(0);
            combo.setEnabled(false);
            return;
        }
        for (ITheme t : themes) {
            combo.add(t.getLabel());
        }
    }

    /** Index of the theme with this id, or the light theme's. */
    private int indexOf(String id) {
        for (int i = 0; i < themes.size(); i++) {
            if (themes.get(i).getId().equals(id)) {
                return i;
            }
        }
        return 0;
    }

    @Override
    protected void doLoad() {
        if (!themes.isEmpty()) {
            combo.select(indexOf(Themes.active(combo.getDisplay())));
        }
    }

    @Override
    protected void doLoadDefault() {
        if (!themes.isEmpty()) {
            combo.select(indexOf(Themes.LIGHT));
        }
    }

    /** Always through the engine (the inherited store() would write "default" to the page's store). */
    @Override
    public void store() {
        doStore();
    }

    @Override
    protected void doStore() {
        if (themes.isEmpty() || combo.getSelectionIndex() < 0) {
            return;
        }
        String id = themes.get(combo.getSelectionIndex()).getId();
        if (!id.equals(Themes.active(combo.getDisplay()))) {
            Themes.apply(combo.getDisplay(), id, true);
        }
    }

    @Override
    public int getNumberOfControls() {
        return 2;
    }

    /** The combo (tests). */
    Combo combo() {
        return combo;
    }
}
