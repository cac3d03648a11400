package dev.followup.jdbc.internal;

import dev.followup.ConcurrentUpdateException;
import dev.followup.FollowUpException;
import dev.followup.StorageException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Turns driver failures into the library's exceptions without ever repeating the driver's message:
 * PostgreSQL and H2 echo parameter values (a name, a phone number) in their messages, so only the
 * SQLState and the exception class are kept. The stack trace of the original survives on a
 * message-free stand-in cause, for debugging.
 */
public final class Failures {
    /** Unique violation (both databases). */
    static final String UNIQUE_VIOLATION = "23505";
    /**
     * States that mean "another transaction got there first": retrying after a rollback is right.
     * 40001 serialization failure, 40P01 deadlock (PostgreSQL), 55P03 lock not available, HYT00 H2's
     * lock timeout, 90131 H2's concurrent update of one row.
     */
    private static final Set<String> CONCURRENCY = Set.of("40001", "40P01", "55P03", "HYT00", "90131");

    private Failures() {}

    /**
     * @param operation what was being done, with ids only
     * @param failure what the driver or Jdbi threw
     * @return the exception to throw instead
     */
    public static FollowUpException translate(String operation, Throwable failure) {
        if (failure instanceof FollowUpException f) {
            return f;
        }
        SQLException sql = sqlCause(failure);
        String state = sql == null ? null : sql.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            return new ConcurrentUpdateException(operation + ": a row with the same unique key exists (SQLState " + state + ")");
        }
        if (state != null && CONCURRENCY.contains(state)) {
            return new ConcurrentUpdateException(operation + ": lost to a concurrent transaction (SQLState " + state + ")");
        }
        Throwable origin = sql != null ? sql : failure;
        StorageException standIn = new StorageException(origin.getClass().getName() + (state == null ? "" : " SQLState " + state));
        standIn.setStackTrace(origin.getStackTrace());
        return new StorageException(operation + " failed" + (state == null ? "" : " (SQLState " + state + ")"), standIn);
    }

    /** @param failure a failure @return its SQLState, if a driver exception is in its causes */
    static String stateOf(Throwable failure) {
        SQLException sql = sqlCause(failure);
        return sql == null ? null : sql.getSQLState();
    }

    /** @param failure a failure @return the first driver exception among its causes, if any */
    static SQLException sqlCause(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
