package heron.store.query;

/**
 * A filter over LLM calls; null fields do not filter. Ranges are inclusive.
 *
 * @param modelContains substring of the (answered, else requested) model, case-insensitive
 * @param wireApi       exact wire API id
 * @param statusMin     lowest HTTP status
 * @param statusMax     highest HTTP status
 * @param agentKind     exact agent kind
 * @param fromNanos     request time at or after
 * @param toNanos       request time at or before
 * @param errorsOnly    only calls that failed (status >= 400 or an error)
 */
public record CallFilter(String modelContains, String wireApi, Integer statusMin, Integer statusMax, String agentKind,
        Long fromNanos, Long toNanos, boolean errorsOnly) {
    public static final CallFilter ALL = new CallFilter(null, null, null, null, null, null, null, false);

    public CallFilter withModel(String s) {
        return new CallFilter(s, wireApi, statusMin, statusMax, agentKind, fromNanos, toNanos, errorsOnly);
    }

    public CallFilter withWireApi(String s) {
        return new CallFilter(modelContains, s, statusMin, statusMax, agentKind, fromNanos, toNanos, errorsOnly);
    }

    public CallFilter withStatus(Integer min, Integer max) {
        return new CallFilter(modelContains, wireApi, min, max, agentKind, fromNanos, toNanos, errorsOnly);
    }

    public CallFilter withAgentKind(String s) {
        return new CallFilter(modelContains, wireApi, statusMin, statusMax, s, fromNanos, toNanos, errorsOnly);
    }

    public CallFilter withTime(Long from, Long to) {
        return new CallFilter(modelContains, wireApi, statusMin, statusMax, agentKind, from, to, errorsOnly);
    }

    public CallFilter withErrorsOnly(boolean e) {
        return new CallFilter(modelContains, wireApi, statusMin, statusMax, agentKind, fromNanos, toNanos, e);
    }
}
