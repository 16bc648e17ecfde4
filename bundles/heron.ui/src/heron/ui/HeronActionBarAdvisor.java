package heron.ui;

import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.actions.ActionFactory.IWorkbenchAction;
import org.eclipse.ui.actions.ContributionItemFactory;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;

/**
 * The main menu skeleton (File, Window, Help) with the standard workbench actions; Heron's own
 * commands are contributed into it from plugin.xml (menu:file?before=quit ...).
 */
public class HeronActionBarAdvisor extends ActionBarAdvisor {
    private IWorkbenchAction quit;
    private IWorkbenchAction about;
    private IWorkbenchAction preferences;
    private IWorkbenchAction resetPerspective;
    private IContributionItem showViews;

    public HeronActionBarAdvisor(IActionBarConfigurer configurer) {
        super(configurer);
    }

    @Override
    protected void makeActions(IWorkbenchWindow window) {
        quit = keep(ActionFactory.QUIT.create(window));
        about = keep(ActionFactory.ABOUT.create(window));
        preferences = keep(ActionFactory.PREFERENCES.create(window));
        resetPerspective = keep(ActionFactory.RESET_PERSPECTIVE.create(window));
        // Window > Show View: the perspective's view shortcuts plus "Other..." (every Heron view).
        showViews = ContributionItemFactory.VIEWS_SHORTLIST.create(window);
    }

    private IWorkbenchAction keep(IWorkbenchAction a) {
        register(a);
        return a;
    }

    @Override
    protected void fillMenuBar(IMenuManager menuBar) {
        MenuManager file = new MenuManager(Messages.Menu_File, IWorkbenchActionConstants.M_FILE);
        file.add(new GroupMarker(IWorkbenchActionConstants.FILE_START));
        file.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        file.add(new Separator("quit"));
        file.add(quit);
        MenuManager window = new MenuManager(Messages.Menu_Window, IWorkbenchActionConstants.M_WINDOW);
        MenuManager showView = new MenuManager(Messages.Menu_ShowView, "showView");
        showView.add(showViews);
        window.add(showView);
        window.add(resetPerspective);
        window.add(new Separator());
        window.add(preferences);
        MenuManager help = new MenuManager(Messages.Menu_Help, IWorkbenchActionConstants.M_HELP);
        help.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        help.add(about);
        menuBar.add(file);
        menuBar.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        menuBar.add(window);
        menuBar.add(help);
    }
}
