package io.msyspg.console.cli;

import picocli.CommandLine.Option;

/**
 * {@code --help} only: subcommands that take libpq-style {@code -h HOST} use this mixin instead of
 * picocli's standard {@code -h/--help}.
 */
public final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
