package heron.capture.live;

/** A live capture could not start; the message says what to do (install libpcap, grant CAP_NET_RAW ...). */
public class LiveCaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    public LiveCaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
