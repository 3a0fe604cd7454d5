package io.msyspg.console.cli;

import io.msyspg.console.core.common.BuildInfo;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
        return new String[] {"msyspg-console " + BuildInfo.version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
