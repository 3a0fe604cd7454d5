package io.msyspg.console.ui.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Renders the sampler's pg_stat_progress_* JSON as one line ("vacuum public.t 42% (scanning heap)"). */
final class MaintenanceText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaintenanceText() {}

    static String of(String json) {
        try {
            StringBuilder sb = new StringBuilder();
            for (JsonNode n : JSON.readTree(json)) {
                if (!sb.isEmpty()) sb.append("; ");
                sb.append(n.path("kind").asText()).append(' ');
                if (!n.path("relation").isNull()) sb.append(n.path("relation").asText()).append(' ');
                if (!n.path("pct").isNull()) sb.append(n.path("pct").asText()).append("% ");
                sb.append('(').append(n.path("phase").asText()).append(", pid ").append(n.path("pid").asText()).append(')');
            }
            return sb.toString();
        } catch (Exception e) {
            return json;
        }
    }
}
