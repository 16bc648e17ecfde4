package heron.core.registry;

/** Test contribution of the wrong type: does not implement WireApiDecoder. */
public class NotADecoder {
}
