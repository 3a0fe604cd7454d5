package io.msyspg.console.core.browse;

import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.testsupport.TestPg;

/** The catalog contract on the shared cluster (system PostgreSQL). */
class CatalogServicePg15Test extends CatalogServiceContract {
    @Override protected DbSession openSession() throws Exception {
        return TestPg.session(TestPg.createDatabase("browse"));
    }
}
