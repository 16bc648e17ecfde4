package heron.ui.preferences;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.jface.preference.RadioGroupFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

import heron.core.HeronPreferences;

/**
 * Window > Preferences > Heron: edits the values of {@link HeronPreferences} (instance scope of
 * node {@value HeronPreferences#NODE}); keys, defaults and ranges all come from there.
 */
public class HeronPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {
    public static final String ID = "heron.ui.preferences.heron";

    public HeronPreferencePage() {
        super(GRID);
        setDescription("Settings for imports, live captures and the analysis views.");
    }

    /** A store over the core node, with the core defaults (so Restore Defaults matches the getters). */
    public static IPreferenceStore createStore() {
        ScopedPreferenceStore store = new ScopedPreferenceStore(InstanceScope.INSTANCE, HeronPreferences.NODE);
        store.setDefault(HeronPreferences.BODY_CAP_MIB, HeronPreferences.DEFAULT_BODY_CAP_MIB);
        store.setDefault(HeronPreferences.MASK_SECRETS, HeronPreferences.DEFAULT_MASK_SECRETS);
        store.setDefault(HeronPreferences.IMPORT_WORKERS, HeronPreferences.defaultWorkers());
        store.setDefault(HeronPreferences.TIME_FORMAT, HeronPreferences.DEFAULT_TIME_FORMAT);
        return store;
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(createStore());
    }

    @Override
    protected void createFieldEditors() {
        IntegerFieldEditor cap = new IntegerFieldEditor(HeronPreferences.BODY_CAP_MIB,
                "&Body cap (MiB kept of each HTTP body):", getFieldEditorParent());
        cap.setValidRange(HeronPreferences.MIN_BODY_CAP_MIB, HeronPreferences.MAX_BODY_CAP_MIB);
        addField(cap);
        IntegerFieldEditor workers = new IntegerFieldEditor(HeronPreferences.IMPORT_WORKERS,
                "Import &workers (default: number of cores):", getFieldEditorParent());
        workers.setValidRange(HeronPreferences.MIN_WORKERS, HeronPreferences.MAX_WORKERS);
        addField(workers);
        addField(new BooleanFieldEditor(HeronPreferences.MASK_SECRETS,
                "&Mask secrets in the workspace database (applies after a restart)", getFieldEditorParent()));
        addField(new RadioGroupFieldEditor(HeronPreferences.TIME_FORMAT, "Packet &time format", 1,
                new String[][] { { "Seconds since capture start", HeronPreferences.TIME_RELATIVE },
                        { "Time of day", HeronPreferences.TIME_ABSOLUTE },
                        { "Seconds since previous packet", HeronPreferences.TIME_DELTA } },
                getFieldEditorParent(), true));
        addField(new ThemeFieldEditor(getFieldEditorParent()));
    }
}
