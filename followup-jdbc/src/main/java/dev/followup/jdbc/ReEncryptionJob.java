package dev.followup.jdbc;

import dev.followup.InvalidInputException;
import dev.followup.jdbc.internal.Failures;
import dev.followup.jdbc.internal.FieldCipher;
import dev.followup.jdbc.internal.FieldCipher.Place;
import dev.followup.jdbc.internal.StoreContext;
import dev.followup.jdbc.internal.Sql;
import dev.followup.spi.KeyProvider.DataKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Rewrites the PHI of rows written under an older data key with the {@link
 * dev.followup.spi.KeyProvider#currentKey() current key}, in batches of one transaction each, so that
 * the old key can be retired. Safe to run while engines are running (each batch locks only its rows
 * and skips rows other transactions hold) and to run again: rows already under the current key are
 * not touched.
 *
 * <pre>{@code
 * long rewritten = ReEncryptionJob.of(store).runToCompletion(500);
 * }</pre>
 */
public final class ReEncryptionJob {
    /** The tables with encrypted columns, their row id column and their encrypted columns. */
    private static final List<Table> TABLES = List.of(
            new Table("followup_patient", "id", List.of("mrn", "first_name", "last_name", "phone", "email"), "_enc"),
            new Table("followup_follow_up", "id", List.of("need_key"), "_enc"),
            new Table("followup_send_attempt", "id", List.of("body"), "_enc"),
            new Table("followup_inbound_message", "provider_message_id", List.of("body"), "_enc"),
            new Table("followup_consent", "id", List.of("phone"), "_enc"),
            new Table("followup_task", "id", List.of("reply"), "_enc"));

    private final StoreContext ctx;

    private ReEncryptionJob(StoreContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param store the store whose rows to rewrite (its KeyProvider must still hold the old keys)
     * @return the job
     */
    public static ReEncryptionJob of(JdbiFollowUpStore store) {
        return new ReEncryptionJob(Objects.requireNonNull(store, "store").context());
    }

    /**
     * Rewrites at most {@code batchSize} rows of each table, in one transaction per table.
     *
     * @param batchSize rows per table and transaction
     * @return how many rows were rewritten
     * @throws dev.followup.StorageException if a row's key is no longer available, or the database fails
     */
    public int runBatch(int batchSize) {
        if (batchSize < 1) {
            throw new InvalidInputException("batch size must be at least 1, was " + batchSize);
        }
        int rewritten = 0;
        for (Table table : TABLES) {
            rewritten += rewrite(table, batchSize);
        }
        return rewritten;
    }

    /**
     * Runs batches until no row is left under an old key.
     *
     * @param batchSize rows per table and transaction
     * @return how many rows were rewritten in all
     */
    public long runToCompletion(int batchSize) {
        long total = 0;
        int rewritten;
        do {
            rewritten = runBatch(batchSize);
            total += rewritten;
        } while (rewritten > 0);
        return total;
    }

    private int rewrite(Table table, int batchSize) {
        // Once for the batch: the rows it rewrites get this key's id, so their values must be sealed with it too.
        DataKey currentKey = ctx.cipher().currentKey();
        String current = currentKey.id();
        try {
            return ctx.jdbi().inTransaction(handle -> {
                List<Row> rows = select(handle, table, current, batchSize);
                for (Row row : rows) {
                    StringBuilder set = new StringBuilder("key_id = :newKey");
                    for (String column : table.columns()) {
                        set.append(", ").append(column).append(table.suffix()).append(" = :").append(column);
                    }
                    Update update = handle.createUpdate("UPDATE " + table.name() + " SET " + set + " WHERE practice_id = :practice"
                            + " AND " + table.idColumn() + " = :id AND key_id = :oldKey")
                            .bind("newKey", current).bind("practice", row.practice()).bind("id", row.id())
                            .bind("oldKey", row.keyId());
                    for (int i = 0; i < table.columns().size(); i++) {
                        String column = table.columns().get(i);
                        Place place = new Place(table.name(), column(table, column), row.practice(), row.id());
                        FieldCipher cipher = ctx.cipher();
                        update.bind(column, Sql.bytes(cipher.encrypt(cipher.decrypt(row.values().get(i), place), place, currentKey)));
                    }
                    update.execute();
                }
                return rows.size();
            });
        } catch (RuntimeException e) {
            throw Failures.translate("re-encrypt " + table.name(), e);
        }
    }

    private List<Row> select(Handle handle, Table table, String current, int batchSize) {
        StringBuilder columns = new StringBuilder("practice_id, " + table.idColumn() + " AS row_id, key_id");
        table.columns().forEach(c -> columns.append(", ").append(c).append(table.suffix()));
        // SKIP LOCKED: a row an engine is changing right now is simply taken by the next run.
        return handle.createQuery("SELECT " + columns + " FROM " + table.name() + " WHERE key_id IS NOT NULL AND key_id <> :current"
                + " ORDER BY practice_id, " + table.idColumn() + " LIMIT :limit FOR UPDATE SKIP LOCKED")
                .bind("current", current).bind("limit", batchSize)
                .map((rs, sc) -> {
                    List<byte[]> values = new ArrayList<>();
                    for (String c : table.columns()) {
                        values.add(rs.getBytes(c + table.suffix()));
                    }
                    return new Row(rs.getString("practice_id"), rs.getString("row_id"), rs.getString("key_id"), values);
                }).list();
    }

    /** The AAD names the column as the store writes it (the task's column is "reply_text"). */
    private static String column(Table table, String column) {
        return table.name().equals("followup_task") ? "reply_text" : column;
    }

    private record Table(String name, String idColumn, List<String> columns, String suffix) {}

    private record Row(String practice, String id, String keyId, List<byte[]> values) {}

    @Override
    public String toString() {
        return "ReEncryptionJob[" + ctx.dialect() + "]";
    }
}
