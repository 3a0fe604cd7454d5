package io.msyspg.console.core.browse;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;

/** The catalog contract on PostgreSQL 17 (zonky binaries). */
class CatalogServicePg17Test extends CatalogServiceContract {
    @Override protected DbSession openSession() throws Exception {
        PgCluster c = TestPg.major(17);
        String db = "browse_" + Long.toHexString(System.nanoTime());
        try (var conn = c.connect("postgres"); var s = conn.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return PooledDbSession.open(TestPg.target(c, db), TestPg.PASSWORD);
    }
}
