package io.msyspg.console.core.logs;

/**
 * One file of a log directory: name (relative to the directory), size, modification time (epoch millis) and
 * an identity that changes when the file is replaced by another of the same name (inode locally; null when
 * the source cannot tell, and then the follower compares a hash of the first bytes).
 */
public record LogFileInfo(String name, long size, long modifiedMillis, String identity) {}
