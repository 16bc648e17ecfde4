package heron.export.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The test validator must reject what the schema forbids, or the SFT checks prove nothing. */
class MiniJsonSchemaTest {
    private static JsonNode json(String s) throws Exception {
        return Io.MAPPER.readTree(s);
    }

    @Test
    void validLineOfTheSchemaPasses() throws Exception {
        JsonNode line = json("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"_meta\":{\"source\":\"heron\","
                + "\"scope\":\"turn\",\"subagent\":false,\"turn_id\":\"1\",\"terminal_call_id\":\"1\",\"exchange_id\":\"1\","
                + "\"call_ids\":[\"1\"],\"wire_api\":\"gemini\",\"models\":[],\"input_tokens\":1,\"output_tokens\":1,"
                + "\"cache_read_tokens\":0,\"cache_write_tokens\":0,\"masked\":true}}");
        assertEquals(List.of(), Io.sftSchema().validate(line));
    }

    @Test
    void stringArgumentsUnknownRoleAndMissingMetaAreReported() throws Exception {
        JsonNode line = json("{\"messages\":[{\"role\":\"robot\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}");
        List<String> errors = Io.sftSchema().validate(line);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("$.messages[0].role")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("$.messages[1].tool_calls[0].function.arguments")),
                errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("missing required '_meta'")), errors.toString());
        assertEquals(3, errors.size(), errors.toString());
    }
}
