package io.msyspg.console.core.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingConverterTest {
    @Test
    void masksPasswordAssignmentsAndUrlPasswords() {
        assertThat(SecretMaskingConverter.mask("pgsql:host=db;user=ecuser;password=s3cr3t;dbname=ecelerity"))
                .doesNotContain("s3cr3t").contains("password=****").contains("dbname=ecelerity");
        assertThat(SecretMaskingConverter.mask("{\"password\":\"hunter2\"}")).doesNotContain("hunter2");
        assertThat(SecretMaskingConverter.mask("postgresql://msyspg:topsecret@127.0.0.1:5432/ecelerity"))
                .isEqualTo("postgresql://msyspg:****@127.0.0.1:5432/ecelerity");
        assertThat(SecretMaskingConverter.mask("nothing secret here")).isEqualTo("nothing secret here");
    }
}
