package dev.followup.jdbc.internal;

import java.sql.Array;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * Many rows as one array per parameter, for PostgreSQL's {@code INSERT … SELECT * FROM unnest(…)}
 * ({@link #unnested}): one statement executed once for a whole list, where a batch is one execution
 * per row. The rows' inserts cost the server what they did; what goes is the cost around each
 * execution: a bind message per row for the driver to write and the server to read, an executor
 * started and ended for each, and the round of the protocol. A 200,000-row import went from
 * 607,776 statements to 2,988 and ran 1.27-1.56x as fast (BENCHMARKS.md, eleventh round).
 */
final class ColumnArrays implements ColumnWriter {
    /** A parameter's values, row by row, and the PostgreSQL type of its array. */
    private record Column(String type, Object[] values) {}

    private final int rows;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private int row;

    private ColumnArrays(int rows) {
        this.rows = rows;
    }

    /**
     * @param items the rows' sources, in the order the rows should go in
     * @param writer writes one item's row, parameter by parameter, as for a single-row statement
     * @return every item's values, one array per parameter, to {@link #bindTo} a statement built by {@link #unnested}
     */
    static <T> ColumnArrays of(List<T> items, BiConsumer<ColumnWriter, T> writer) {
        ColumnArrays arrays = new ColumnArrays(items.size());
        for (T item : items) {
            writer.accept(arrays, item);
            arrays.row++;
        }
        return arrays;
    }

    /**
     * Turns {@code INSERT INTO t (a, b) VALUES (:a, :b)} into {@code INSERT INTO t (a, b) SELECT * FROM
     * unnest(:a, :b)}: the same columns and parameter names, each parameter now an array.
     *
     * @param insert a single-row insert whose values are all named parameters
     * @return the insert of as many rows as the arrays hold
     * @throws IllegalArgumentException if a value is not a named parameter (it would not be an array)
     */
    static String unnested(String insert) {
        int values = insert.indexOf(" VALUES (");
        int close = insert.indexOf(')', values);
        if (values < 0 || close < 0) {
            throw new IllegalArgumentException("not a single-row INSERT ... VALUES (...): " + insert);
        }
        for (String value : insert.substring(values + " VALUES (".length(), close).split(",")) {
            String parameter = value.strip();
            if (parameter.length() < 2 || parameter.charAt(0) != ':') {
                throw new IllegalArgumentException("value " + parameter + " is not a named parameter in " + insert);
            }
        }
        return insert.substring(0, values) + " SELECT * FROM unnest(" + insert.substring(values + " VALUES (".length());
    }

    /**
     * Binds every parameter as an array of its rows' values.
     *
     * @param statement the statement built by {@link #unnested}
     */
    void bindTo(SqlStatement<?> statement) {
        columns.forEach((parameter, column) -> statement.bind(parameter, array(column)));
    }

    private static Argument array(Column column) {
        return (position, statement, ctx) -> {
            Connection connection = statement.getConnection();
            Array array = connection.createArrayOf(column.type(), column.values());
            statement.setArray(position, array);
        };
    }

    private void put(String parameter, String type, @Nullable Object value) {
        Column column = columns.get(parameter);
        if (column == null) {
            column = new Column(type, switch (type) {
                case "int8" -> new Long[rows];
                case "int4" -> new Integer[rows];
                default -> new String[rows];
            });
            columns.put(parameter, column);
        } else if (!column.type().equals(type)) {
            throw new IllegalStateException("parameter " + parameter + " is " + column.type() + ", not " + type);
        }
        column.values()[row] = value;
    }

    @Override
    public ColumnWriter text(String parameter, @Nullable String value) {
        put(parameter, "varchar", value);
        return this;
    }

    @Override
    public ColumnWriter bigint(String parameter, long value) {
        put(parameter, "int8", value);
        return this;
    }

    @Override
    public ColumnWriter integer(String parameter, int value) {
        put(parameter, "int4", value);
        return this;
    }

    /**
     * Sent as text in PostgreSQL's hex form ({@code \x0a1b…}), which any driver version puts in an
     * array: arrays of {@code byte[]} need a driver from 2020 or later, and the driver is the host's
     * to choose. The text costs an import about 4% against {@code byte[]} arrays (two alternating
     * pairs of 200,000-row imports).
     */
    @Override
    public ColumnWriter bytes(String parameter, byte @Nullable [] value) {
        put(parameter, "bytea", value == null ? null : "\\x" + HEX.formatHex(value));
        return this;
    }

    private static final HexFormat HEX = HexFormat.of();

    /** Sent as text in ISO 8601, which the server reads as {@code timestamptz}, at the store's precision. */
    @Override
    public ColumnWriter instant(String parameter, @Nullable Instant value) {
        Instant stored = Sql.stored(value);
        put(parameter, "timestamptz", stored == null ? null : stored.toString());
        return this;
    }

    @Override
    public ColumnWriter date(String parameter, @Nullable LocalDate value) {
        put(parameter, "date", value == null ? null : value.toString());
        return this;
    }
}
