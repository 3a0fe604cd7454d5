package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msyspg.console.core.browse.CatalogObject;
import io.msyspg.console.core.browse.CatalogService;
import io.msyspg.console.core.browse.Folder;
import io.msyspg.console.core.browse.ObjectDetails;
import io.msyspg.console.core.browse.ObjectPath;
import io.msyspg.console.core.browse.Page;
import io.msyspg.console.core.browse.SchemaInfo;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Sql;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.task.JobRunner;
import io.msyspg.console.core.task.JobControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "browse", description = {"Print the database's catalog as JSON: the schemas; a schema's objects by kind "
        + "(partitions counted under their parent); or one object's details (columns, indexes, constraints, triggers, sizes, "
        + "privileges, DDL).",
        "SCHEMA and OBJECT are taken as typed (no case folding); double-quote a part that contains a dot."},
        footer = {"", "Examples:", "  msyspg-console browse -d ecelerity", "  msyspg-console browse -d ecelerity rt_log",
                "  msyspg-console browse -d ecelerity webconsole.users", "  msyspg-console browse '\"Odd Schema\".\"Order Table\"'"})
final class BrowseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCHEMA[.OBJECT]", description = "What to show (default: the list of schemas).")
    String path;

    @Option(names = "--system", description = "Include system schemas (pg_catalog, information_schema, pg_toast…).")
    boolean system;

    @Option(names = "--filter", paramLabel = "TEXT", description = "Only objects whose name contains TEXT (case-insensitive).")
    String filter;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "500", description = "At most N objects per kind (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override public Integer call() throws Exception {
        if (limit < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        ObjectPath target = path == null ? null : ObjectPath.parse(path);
        ObjectMapper json = JSON;
        PrintWriter out = spec.commandLine().getOut();
        try (PooledDbSession session = connection.open()) {
            CatalogService catalog = new CatalogService(session);
            Object result = JobRunner.runInForeground(ctx -> render(catalog, target, filter, system, limit, ctx), JobControl.ProgressListener.NONE);
            out.println(json.writeValueAsString(result));
            out.flush();
        }
        return 0;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The JSON document for a path (null: the schemas). */
    static ObjectNode render(CatalogService catalog, ObjectPath target, String filter, boolean system, int limit, JobContext ctx) throws Exception {
        ObjectMapper json = JSON;
        ObjectNode root = json.createObjectNode();
        root.put("database", catalog.session().target().database());
        root.put("server_version", catalog.session().serverVersion().text());
        if (target == null) {
            root.set("schemas", json.valueToTree(catalog.schemas(system, ctx)));
            return root;
        }
        List<SchemaInfo> schemas = catalog.schemas(true, ctx);
        if (schemas.stream().noneMatch(s -> s.name().equals(target.schema()))) {
            throw new ConsoleException("No schema " + Sql.quoteIdent(target.schema()) + " in database "
                    + catalog.session().target().database() + " (names are case-sensitive).");
        }
        if (target.object() == null) {
            root.put("schema", target.schema());
            Map<Folder, Long> counts = catalog.counts(target.schema(), filter, ctx);
            ObjectNode countNode = root.putObject("counts");
            counts.forEach((f, n) -> countNode.put(f.key(), n));
            ObjectNode objects = root.putObject("objects");
            for (Folder f : Folder.values()) {
                if (counts.get(f) == 0) continue;
                Page p = catalog.folder(target.schema(), f, filter, Page.PageKey.FIRST, limit, ctx);
                ArrayNode arr = objects.putArray(f.key());
                for (CatalogObject o : p.items()) {
                    ObjectNode n = arr.addObject();
                    n.put("name", o.name());
                    n.put("kind", o.kind().json());
                    if (o.arguments() != null) n.put("arguments", o.arguments());
                    if (o.hasPartitions()) n.put("partitions", o.partitionCount());
                }
                if (p.hasMore()) root.with("truncated").put(f.key(), true);
            }
            return root;
        }
        List<CatalogObject> found = catalog.resolve(target.schema(), target.object(), ctx);
        if (found.isEmpty()) {
            throw new ConsoleException("No object " + Sql.qualified(target.schema(), target.object()) + " in database "
                    + catalog.session().target().database() + " (names are case-sensitive).");
        }
        ArrayNode arr = root.putArray("objects");
        for (CatalogObject o : found) {
            ObjectDetails d = catalog.details(o, ctx);
            arr.add(json.valueToTree(d));
        }
        return root;
    }
}
