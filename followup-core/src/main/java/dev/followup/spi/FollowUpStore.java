package dev.followup.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.followup.practice.PracticeId;

/**
 * Durable storage for everything the engine keeps: patients, follow-ups and their timers, send
 * attempts (the message log), inbound messages, consent, staff tasks and the audit trail.
 *
 * <p>All reads and writes happen inside {@link #inTransaction}, which binds a transaction to one
 * practice: no method of {@link PracticeTransaction} can see another practice's rows, which is how
 * tenant isolation is made structural rather than a matter of remembering a WHERE clause. Only
 * {@link #claimDue} spans practices, and it returns ids only.
 *
 * <p>Implementations: {@code JdbiFollowUpStore} (followup-jdbc: H2 and PostgreSQL) and
 * {@code InMemoryFollowUpStore} (followup-test). The test kit's {@code FollowUpStoreContract} proves
 * an implementation.
 */
public interface FollowUpStore {

    /**
     * Runs work in one transaction of one practice: everything it wrote is committed together when
     * it returns, or nothing is if it throws.
     *
     * @param practiceId the practice whose data the work may touch
     * @param work the work
     * @param <T> what the work returns
     * @return what the work returned
     * @throws dev.followup.ConcurrentUpdateException if a guarded write met a concurrent change
     * @throws dev.followup.StorageException if the storage failed
     */
    <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work);

    /**
     * Leases up to {@code limit} due follow-ups of any practice: active ones whose next action is at
     * or before {@code now} and that no live lease holds. Claims are committed before this returns,
     * and two concurrent callers never receive the same follow-up (for a database:
     * {@code SELECT … FOR UPDATE SKIP LOCKED}).
     *
     * @param now the current time
     * @param limit the batch size
     * @param owner the calling node's id
     * @param leaseUntil when the leases expire
     * @return the claims, earliest due first
     */
    List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil);

    /**
     * The due time of the step that has waited longest: the earliest next action, at or before
     * {@code now}, of any follow-up of any practice, whether or not a lease holds it. Health checks
     * use it to tell how far behind the engine is; it returns a time only, never an id or PHI.
     *
     * <p>The default answers empty, as a store that cannot tell; the shipped stores implement it
     * (for a database, one indexed {@code MIN(next_action_at)}).
     *
     * @param now the current time
     * @return the earliest due time at or before {@code now}; empty when nothing is overdue
     * @throws dev.followup.StorageException if the storage failed
     */
    default Optional<Instant> oldestDue(Instant now) {
        return Optional.empty();
    }
}
