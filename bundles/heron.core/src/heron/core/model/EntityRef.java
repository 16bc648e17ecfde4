package heron.core.model;

/**
 * A small immutable reference to an entity, passed between views through the selection service
 * and to exporters. {@code id} is the numeric id; sessions use {@code key}.
 */
public record EntityRef(long captureId, Kind kind, long id, String key) {
    public enum Kind {
        CAPTURE, PACKET, CONNECTION, EXCHANGE, CALL, TURN, SESSION
    }

    public static EntityRef of(long captureId, Kind kind, long id) {
        return new EntityRef(captureId, kind, id, null);
    }
}
