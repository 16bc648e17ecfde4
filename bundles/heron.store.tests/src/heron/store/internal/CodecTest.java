package heron.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CodecTest {
    @Test
    void listsOfStringsAreWrittenAsJacksonWritesThem() throws Exception {
        List<List<String>> lists = List.of(List.of(), List.of("claude-sonnet-4-20250514"),
                List.of("gpt-4o", "o3-mini"), List.of("quote \" backslash \\ slash /"),
                List.of("control \u0000\u0001\b\t\n\f\r\u001f\u007f end"), List.of("non-ASCII é ü 漢字 \uD83D\uDE00"));
        for (List<String> l : lists) {
            assertEquals(Codec.JSON.writeValueAsString(l), Codec.toJson(l), l.toString());
        }
    }

    @Test
    void listsOfIdsAndMixedListsAreWrittenAsJacksonWritesThem() throws Exception {
        List<List<?>> lists = List.of(List.of(1L, 2L, 3L), List.of(7, 8), Arrays.asList("a", null), List.of("a", 1L));
        for (List<?> l : lists) {
            assertEquals(Codec.JSON.writeValueAsString(l), Codec.toJson(l), l.toString());
        }
    }
}
