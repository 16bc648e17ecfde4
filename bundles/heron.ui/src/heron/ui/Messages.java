package heron.ui;

import org.eclipse.osgi.util.NLS;

/** User-visible strings of heron.ui (messages.properties beside this class). */
public final class Messages extends NLS {
    public static String Menu_File;
    public static String Menu_Window;
    public static String Menu_ShowView;
    public static String Menu_Help;
    public static String OpenCapture_Title;
    public static String OpenCapture_NotFound;
    public static String CapturesView_Empty;
    public static String CapturesView_File;
    public static String CapturesView_Format;
    public static String CapturesView_Packets;
    public static String CapturesView_Calls;
    public static String CapturesView_Status;

    static {
        NLS.initializeMessages("heron.ui.messages", Messages.class);
    }

    private Messages() {
    }
}
