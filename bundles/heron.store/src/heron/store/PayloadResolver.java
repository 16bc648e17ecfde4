package heron.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import heron.core.decode.DecodeResult;
import heron.core.model.PacketRecord;

/**
 * Re-assembles exchanges from a capture file, for captures whose payloads the store keeps by
 * reference (the default, ADR 0006): their rows hold the extracted fields and the frames, and
 * headers, bodies, SSE events and call details are rebuilt from the packets when a query needs
 * them. The store finds the packets (frame index side file), checks the capture file (present,
 * same size and sha256) and caches, masks and merges the results with the rows; the resolver
 * only turns packets into exchanges and calls. heron.store cannot do that itself (it does not
 * depend on reassembly or decoders): heron.pipeline implements it and whoever opens a store
 * installs one with {@link HeronStore#setPayloadResolver}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface PayloadResolver {
    /**
     * Runs one TCP connection's packets through reassembly, HTTP parsing and the wire-API
     * decoders, exactly as the import pipeline did.
     *
     * @param captureFile the capture file the packets are read from
     * @param packets     every packet of the connection, in frame order, as recorded in the frame
     *                    index (frame, time, file offset of the data, lengths, link type)
     * @return every exchange of the connection (decoder labels applied) with the call decoded
     *         from it, or a null call; unmasked
     * @throws IOException when the packets cannot be read
     */
    List<DecodeResult> reassemble(Path captureFile, List<PacketRecord> packets) throws IOException;
}
