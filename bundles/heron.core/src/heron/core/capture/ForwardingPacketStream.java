package heron.core.capture;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A packet stream that hands every call to another one; subclasses override what they change
 * (e.g. a source presented as live, a buffer copied per packet, a hook at the end).
 */
public class ForwardingPacketStream implements PacketStream {
    protected final PacketStream in;

    public ForwardingPacketStream(PacketStream in) {
        this.in = in;
    }

    @Override
    public boolean next() throws IOException {
        return in.next();
    }

    @Override
    public long frame() {
        return in.frame();
    }

    @Override
    public long timestampNanos() {
        return in.timestampNanos();
    }

    @Override
    public long fileOffset() {
        return in.fileOffset();
    }

    @Override
    public int capturedLength() {
        return in.capturedLength();
    }

    @Override
    public int originalLength() {
        return in.originalLength();
    }

    @Override
    public int linkType() {
        return in.linkType();
    }

    @Override
    public ByteBuffer data() {
        return in.data();
    }

    @Override
    public String format() {
        return in.format();
    }

    @Override
    public long position() {
        return in.position();
    }

    @Override
    public CaptureDamage damage() {
        return in.damage();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
