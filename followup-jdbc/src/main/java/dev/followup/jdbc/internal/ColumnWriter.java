package dev.followup.jdbc.internal;

import java.time.Instant;
import java.time.LocalDate;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * Where a row's values go, parameter by parameter, each with its SQL type. A table's row is
 * described once ({@code writeFollowUp}, {@code writePatient}, …) and sent either as one
 * statement's named parameters ({@link #to}) or, on PostgreSQL, with many other rows as one array
 * per parameter ({@link ColumnArrays}).
 */
interface ColumnWriter {
    /** @param parameter its name @param value text or null @return this */
    ColumnWriter text(String parameter, @Nullable String value);

    /** @param parameter its name @param value the number @return this */
    ColumnWriter bigint(String parameter, long value);

    /** @param parameter its name @param value the number @return this */
    ColumnWriter integer(String parameter, int value);

    /** @param parameter its name @param value bytes or null @return this */
    ColumnWriter bytes(String parameter, byte @Nullable [] value);

    /** @param parameter its name @param value an instant or null, kept to the microsecond ({@link Sql#stored}) @return this */
    ColumnWriter instant(String parameter, @Nullable Instant value);

    /** @param parameter its name @param value a date or null @return this */
    ColumnWriter date(String parameter, @Nullable LocalDate value);

    /**
     * @param statement a statement or a batch's entry
     * @param suffix appended to every parameter's name (a statement list renames each write's parameters)
     * @return a writer that binds each value to {@code statement} under its name and {@code suffix}
     */
    static ColumnWriter to(SqlStatement<?> statement, String suffix) {
        return new ColumnWriter() {
            /** An empty suffix, the usual case, leaves the name as it is rather than copying it on every bind. */
            private String name(String parameter) {
                return suffix.isEmpty() ? parameter : parameter + suffix;
            }

            @Override
            public ColumnWriter text(String parameter, @Nullable String value) {
                statement.bind(name(parameter), value);
                return this;
            }

            @Override
            public ColumnWriter bigint(String parameter, long value) {
                statement.bind(name(parameter), value);
                return this;
            }

            @Override
            public ColumnWriter integer(String parameter, int value) {
                statement.bind(name(parameter), value);
                return this;
            }

            @Override
            public ColumnWriter bytes(String parameter, byte @Nullable [] value) {
                statement.bind(name(parameter), Sql.bytes(value));
                return this;
            }

            @Override
            public ColumnWriter instant(String parameter, @Nullable Instant value) {
                statement.bind(name(parameter), Sql.instant(value));
                return this;
            }

            @Override
            public ColumnWriter date(String parameter, @Nullable LocalDate value) {
                statement.bind(name(parameter), Sql.date(value));
                return this;
            }
        };
    }
}
