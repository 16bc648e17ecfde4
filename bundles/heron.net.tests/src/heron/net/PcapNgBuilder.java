package heron.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test helper: writes pcapng blocks. */
final class PcapNgBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private void block(int type, byte[] body) {
        int pad = (4 - body.length % 4) % 4;
        int len = 12 + body.length + pad;
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(type).putInt(len).put(body).put(new byte[pad]).putInt(len);
        out.writeBytes(b.array());
    }

    PcapNgBuilder section(ByteOrder o) {
        order = o;
        ByteBuffer b = ByteBuffer.allocate(16).order(o);
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
        block(0x0A0D0D0A, b.array());
        return this;
    }

    /** Interface with an optional if_tsresol (negative: none). */
    PcapNgBuilder iface(int linkType, int tsresol) {
        ByteBuffer b = ByteBuffer.allocate(tsresol >= 0 ? 20 : 8).order(order);
        b.putShort((short) linkType).putShort((short) 0).putInt(262144);
        if (tsresol >= 0) {
            b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]).putShort((short) 0)
                    .putShort((short) 0);
        }
        block(1, b.array());
        return this;
    }

    PcapNgBuilder epb(int iface, long ticks, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(20 + data.length).order(order);
        b.putInt(iface).putInt((int) (ticks >>> 32)).putInt((int) ticks).putInt(data.length).putInt(data.length)
                .put(data);
        block(6, b.array());
        return this;
    }

    PcapNgBuilder spb(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + data.length).order(order);
        b.putInt(data.length).put(data);
        block(3, b.array());
        return this;
    }

    PcapNgBuilder custom(int type, byte[] body) {
        block(type, body);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
