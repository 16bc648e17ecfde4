package heron.core.model;

/** Which way a packet or message travels within a connection. */
public enum Direction {
    CLIENT_TO_SERVER, SERVER_TO_CLIENT;

    public Direction reverse() {
        return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
    }
}
