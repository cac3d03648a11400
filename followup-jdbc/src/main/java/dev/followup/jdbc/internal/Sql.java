package dev.followup.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/**
 * How values cross JDBC, the same way on both databases.
 *
 * <p>Instants are bound as {@link OffsetDateTime} in UTC through {@code setObject}, never as
 * {@link java.sql.Timestamp}: a Timestamp passes through the JVM's local time zone, which is
 * ambiguous for one hour each autumn. Both databases keep microseconds, so instants are truncated
 * to microseconds on the way in; what is read back equals what is stored, whatever the server's,
 * the session's or the JVM's time zone.
 *
 * <p>Nulls are bound with their type's name as well as its JDBC type. The PostgreSQL driver sends a
 * null timestamp of an unnamed type as "unspecified", and a server-prepared statement prepared with
 * that parameter unspecified is prepared again when a value arrives in it: a statement whose
 * nullable timestamps alternate (a follow-up's next action one time, its closing time the next)
 * was then parsed and planned on every execution, a third of a reply's database time.
 */
public final class Sql {
    private Sql() {}

    /** @param instant an instant @return it as the store keeps it (microsecond precision) */
    public static @Nullable Instant stored(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** @param instant an instant or null @return the argument */
    public static Argument instant(@Nullable Instant instant) {
        if (instant == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz");
        }
        OffsetDateTime utc = OffsetDateTime.ofInstant(stored(instant), ZoneOffset.UTC);
        return new ValueArgument(utc) {
            @Override
            public void apply(int position, java.sql.PreparedStatement statement, StatementContext ctx) throws SQLException {
                statement.setObject(position, utc);
            }
        };
    }

    /** @param bytes bytes or null @return the argument */
    public static Argument bytes(byte @Nullable [] bytes) {
        if (bytes == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.VARBINARY, "bytea");
        }
        return (position, statement, ctx) -> statement.setBytes(position, bytes);
    }

    /** @param date a date or null @return the argument */
    public static Argument date(@Nullable LocalDate date) {
        if (date == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.DATE, "date");
        }
        return (position, statement, ctx) -> statement.setObject(position, date);
    }

    /** @param rs a row @param column a column @return the instant, or null */
    public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** @param rs a row @param column a column @return the date, or null */
    public static @Nullable LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    /** @param rs a row @param column a column @return the int, or null when SQL NULL */
    public static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** An argument whose toString shows a value that is never PHI (Jdbi prints arguments in some errors). */
    private abstract static class ValueArgument implements Argument {
        private final Object shown;

        ValueArgument(Object shown) {
            this.shown = shown;
        }

        @Override
        public String toString() {
            return String.valueOf(shown);
        }
    }
}
