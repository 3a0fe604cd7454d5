package io.msyspg.console.core.upgrade;

import java.nio.file.Path;

/** The upgrade fixture (an old 13 cluster with demo data) for tests outside this package (the CLI's). */
public final class UpgradeFixtureAccess implements AutoCloseable {
    private final UpgradeFixture f;

    private UpgradeFixtureAccess(UpgradeFixture f) { this.f = f; }

    public static UpgradeFixtureAccess open(Path tmp) throws Exception { return new UpgradeFixtureAccess(new UpgradeFixture(tmp)); }

    public String host() { return f.old.host(); }
    public int port() { return f.old.port(); }
    public Path dataDir() { return f.old.dataDir(); }
    public Path base() { return f.base; }
    public int freePort() throws Exception { return UpgradeFixture.freePort(); }
    /** Stops a new cluster in {@code newData} at close. */
    public void track(Path newData) { f.newDataDirs.add(newData); }

    @Override public void close() throws Exception { f.close(); }
}
