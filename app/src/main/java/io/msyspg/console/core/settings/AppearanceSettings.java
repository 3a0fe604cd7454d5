package io.msyspg.console.core.settings;

/** Theme and window state. */
@SettingsStore.Section("appearance")
public class AppearanceSettings {
    public enum Theme { LIGHT, DARK }

    public Theme theme = Theme.LIGHT;
    public double windowX = Double.NaN;
    public double windowY = Double.NaN;
    public double windowWidth = 1280;
    public double windowHeight = 820;
    public boolean maximized;
    public String lastView = "connections";
    public boolean taskPanelVisible;
}
