package heron.ui.views.exchanges;

import java.util.List;

import heron.core.model.HttpExchange;
import heron.ui.views.calls.CallDocument;

/** The text of a connection's whole HTTP conversation, in order, like Wireshark's Follow HTTP Stream. */
public final class FollowStream {
    private FollowStream() {
    }

    public static String text(List<HttpExchange> exchanges) {
        StringBuilder b = new StringBuilder();
        for (HttpExchange x : exchanges) {
            b.append("───── request ").append(x.id()).append("  ").append(x.client()).append(" → ")
                    .append(x.server()).append('\n');
            b.append(CallDocument.rawRequest(x)).append("\n\n");
            b.append("───── response\n").append(CallDocument.rawResponse(x)).append("\n\n");
        }
        return b.toString();
    }
}
