package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.tools.PgVersion;
import io.msyspg.console.core.upgrade.UpgradePlanner.Method;
import io.msyspg.console.core.upgrade.UpgradePlanner.Plan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpgradePlannerTest {
    private static final long TEN_GIB = 10L << 30;

    @Test
    void directPgUpgradeFrom13To15() {
        Plan p = UpgradePlanner.plan(PgVersion.parse("13.23"), PgVersion.parse("15.18"), Method.PG_UPGRADE_COPY, List.of(13, 15), TEN_GIB);
        assertThat(p.hops()).singleElement().satisfies(h -> {
            assertThat(h.toolMajor()).isEqualTo(15);
            assertThat(h.why()).contains("reads 13");
        });
        assertThat(p.requiredFreeBytes()).isEqualTo(TEN_GIB);
        assertThat(p.notes()).anyMatch(n -> n.contains("analyze-in-stages"));
    }

    @Test
    void linkModeNeedsLittleSpaceAndWarnsAboutTheOldCluster() {
        Plan p = UpgradePlanner.plan(PgVersion.parse("13.1"), PgVersion.parse("17.2"), Method.PG_UPGRADE_LINK, List.of(13, 17), TEN_GIB);
        assertThat(p.requiredFreeBytes()).isLessThan(TEN_GIB / 10);
        assertThat(p.notes()).anyMatch(n -> n.contains("--link"));
    }

    @Test
    void momentum3On90NeedsAHopForPgUpgrade() {
        Plan p = UpgradePlanner.plan(PgVersion.parse("9.0.23"), PgVersion.parse("15.18"), Method.PG_UPGRADE_COPY, List.of(14, 15), TEN_GIB);
        assertThat(p.hops()).hasSize(2);
        assertThat(p.hops().get(0).toolMajor()).isEqualTo(14);
        assertThat(p.hops().get(0).to().major()).isEqualTo(14);
        assertThat(p.hops().get(1).toolMajor()).isEqualTo(15);
        assertThatThrownBy(() -> UpgradePlanner.plan(PgVersion.parse("9.0.23"), PgVersion.parse("15.18"), Method.PG_UPGRADE_COPY, List.of(15), TEN_GIB))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("9.2").hasMessageContaining("dump and restore");
    }

    @Test
    void momentum3On90ByDumpRestoreUsesOlderDumpTools() {
        Plan p = UpgradePlanner.plan(PgVersion.parse("9.0.23"), PgVersion.parse("15.18"), Method.DUMP_RESTORE, List.of(15), TEN_GIB);
        assertThat(p.hops()).singleElement().satisfies(h -> assertThat(h.toolMajor()).isBetween(12, 14));
        assertThat(p.notes()).anyMatch(n -> n.contains("client tools"));
        assertThat(p.requiredFreeBytes()).isEqualTo(TEN_GIB);
    }

    @Test
    void refusesDowngradesAndSameMajor() {
        assertThatThrownBy(() -> UpgradePlanner.plan(PgVersion.parse("15.2"), PgVersion.parse("15.8"), Method.DUMP_RESTORE, List.of(15), 1))
                .hasMessageContaining("not newer");
        assertThatThrownBy(() -> UpgradePlanner.plan(PgVersion.parse("16.2"), PgVersion.parse("15.8"), Method.DUMP_RESTORE, List.of(15), 1))
                .hasMessageContaining("not newer");
    }

    @Test
    void checklistKeepsTheGuidesRoleOrder() {
        List<String> c = UpgradePlanner.momentumChecklist();
        assertThat(c.get(0)).contains("database role");
        assertThat(c.get(1)).contains("manager");
        assertThat(c.get(2)).contains("MTAs");
        assertThat(UpgradePlanner.bytes(10L << 30)).isEqualTo("10.0 GiB");
    }
}
