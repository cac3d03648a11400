package dev.followup.test;

import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.PracticeTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A store that fails chosen transactions after their work has run, as a commit that fails does:
 * nothing the work wrote is kept, and the caller sees the failure. Everything else goes to the
 * store it wraps. Nothing fails until {@link #failing} chooses, by number, counted from then.
 */
public final class FlakyStore implements FollowUpStore {
    private final FollowUpStore store;
    private final AtomicInteger transactions = new AtomicInteger();
    private volatile IntPredicate failing = n -> false;
    private volatile Supplier<? extends RuntimeException> failure = IllegalStateException::new;

    /** @param store the store to wrap */
    public FlakyStore(FollowUpStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param which the transactions that fail, numbered from 1 from now on
     * @param what what each of them throws
     */
    public void failing(IntPredicate which, Supplier<? extends RuntimeException> what) {
        transactions.set(0);
        this.failure = Objects.requireNonNull(what, "what");
        this.failing = Objects.requireNonNull(which, "which");
    }

    /** @return how many transactions ran since {@link #failing} was last called */
    public int transactions() {
        return transactions.get();
    }

    @Override
    public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
        return store.inTransaction(practiceId, tx -> {
            T result = work.apply(tx);
            if (failing.test(transactions.incrementAndGet())) {
                throw failure.get();
            }
            return result;
        });
    }

    @Override
    public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        return store.claimDue(now, limit, owner, leaseUntil);
    }

    @Override
    public Optional<Instant> oldestDue(Instant now) {
        return store.oldestDue(now);
    }
}
