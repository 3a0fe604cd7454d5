package io.msyspg.console.core.connect;

import io.msyspg.console.core.settings.SettingsStore;

import java.util.ArrayList;
import java.util.List;

/** The saved connection profiles (no secrets: see {@link SecretStore}). */
@SettingsStore.Section("connections")
public class ConnectionSettings {
    public List<ConnectionProfile> profiles = new ArrayList<>();
    /** The profile connected last (by id), reconnected on start when {@link #reconnectOnStart}. */
    public String lastProfileId;
    public boolean reconnectOnStart;
    /** Connect timeout in seconds (the issue asks for at most 10 s by default). */
    public int connectTimeoutSeconds = PooledDbSession.DEFAULT_CONNECT_TIMEOUT_SECONDS;
}
