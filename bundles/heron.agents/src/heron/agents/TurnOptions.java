package heron.agents;

import java.time.Duration;

/**
 * Options of the {@link TurnTracker}.
 *
 * @param idleTimeout an open turn whose session saw no call for this long (event time) is closed as
 *                    incomplete; also the farthest an auxiliary or sub-agent call is attached to a turn
 */
public record TurnOptions(Duration idleTimeout) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    public TurnOptions {
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
    }

    public static TurnOptions defaults() {
        return new TurnOptions(DEFAULT_IDLE_TIMEOUT);
    }
}
