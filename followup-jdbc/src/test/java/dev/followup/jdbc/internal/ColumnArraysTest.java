package dev.followup.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnArraysTest {
    @Test
    void aSingleRowInsertBecomesAnInsertOfTheArraysRows() {
        assertThat(ColumnArrays.unnested("INSERT INTO t (a, b) VALUES (:a, :b)"))
                .isEqualTo("INSERT INTO t (a, b) SELECT * FROM unnest(:a, :b)");
        assertThat(ColumnArrays.unnested("INSERT INTO t (a, b) VALUES (:a, :b) ON CONFLICT DO NOTHING"))
                .isEqualTo("INSERT INTO t (a, b) SELECT * FROM unnest(:a, :b) ON CONFLICT DO NOTHING");
    }

    @Test
    void aValueThatIsNotAParameterIsRefusedRatherThanTurnedIntoAWrongColumn() {
        assertThatThrownBy(() -> ColumnArrays.unnested("INSERT INTO t (a, b) VALUES (:a, 0)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 0 is not a named parameter");
        assertThatThrownBy(() -> ColumnArrays.unnested("UPDATE t SET a = :a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a single-row INSERT");
    }

    @Test
    void aParameterKeepsTheTypeItFirstHad() {
        assertThatThrownBy(() -> ColumnArrays.of(List.of(1, 2), (row, i) -> {
            if (i == 1) {
                row.text("a", "one");
            } else {
                row.bigint("a", 2);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("parameter a is varchar, not int8");
    }
}
