package heron.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

import heron.ui.jobs.ImportCaptureJob;

/** Drives the real workbench from tests on the UI thread: spins the event loop while waiting. */
public final class UiTestSupport {
    private UiTestSupport() {
    }

    public static Path testdata(String name) {
        Path p = Path.of(System.getProperty("heron.testdata", "../../testdata"), name);
        assertTrue(Files.isReadable(p), "test capture missing: " + p.toAbsolutePath());
        return p;
    }

    public static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    @SuppressWarnings("unchecked")
    public static <T extends IViewPart> T show(String id) throws PartInitException {
        return (T) page().showView(id);
    }

    /** Runs the UI event loop until the condition holds or the timeout passes. */
    public static void waitFor(String what, BooleanSupplier condition, long timeoutMs) {
        Display d = Display.getCurrent();
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (!d.readAndDispatch()) {
                d.timerExec(20, () -> {
                });
                d.sleep();
            }
        }
    }

    /** Opens a capture through the same code as File > Open Capture and waits for its import. */
    public static long open(Path capture) {
        List<ImportCaptureJob> jobs = CaptureOpener.open(PlatformUI.getWorkbench().getActiveWorkbenchWindow(),
                List.of(capture.toString()));
        ImportCaptureJob job = jobs.get(0);
        waitFor("import of " + capture.getFileName(), () -> job.getResult() != null, 120_000);
        assertTrue(job.getResult().isOK(), "import failed: " + job.getResult());
        waitFor("capture shown", () -> CaptureContext.get().captureId() == job.captureId(), 10_000);
        return job.captureId();
    }

    /** Runs the event loop for {@code millis}, so pending layouts, paints and async updates land. */
    public static void settle(Display display, long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                });
                display.sleep();
            }
        }
    }

    /**
     * Copies what {@code control} shows on screen into target/screenshots/{@code name}.png
     * (docs/screenshot.sh copies these into docs/images) and returns that file.
     */
    public static Path screenshot(Control control, String name) throws IOException {
        var size = control.getSize();
        Image image = new Image(control.getDisplay(), size.x, size.y);
        GC gc = new GC(control);
        gc.copyArea(image, 0, 0);
        gc.dispose();
        return savePng(image, name);
    }

    /** Writes the image as target/screenshots/{@code name}.png, disposes it and returns the file. */
    public static Path savePng(Image image, String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Path file = dir.resolve(name + ".png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { image.getImageData() };
        image.dispose();
        loader.save(file.toString(), SWT.IMAGE_PNG);
        return file;
    }
}
