package io.msyspg.console.ui.browse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrowseNodeTest {
    @Test void groupsThousands() {
        assertThat(BrowseNode.grouped(0)).isEqualTo("0");
        assertThat(BrowseNode.grouped(999)).isEqualTo("999");
        assertThat(BrowseNode.grouped(1000)).isEqualTo("1,000");
        assertThat(BrowseNode.grouped(20440)).isEqualTo("20,440");
        assertThat(BrowseNode.grouped(1234567)).isEqualTo("1,234,567");
        assertThat(BrowseNode.grouped(-1500)).isEqualTo("-1,500");
    }
}
