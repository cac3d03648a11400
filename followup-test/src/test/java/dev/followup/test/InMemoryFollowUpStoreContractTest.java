package dev.followup.test;

import dev.followup.spi.FollowUpStore;
import dev.followup.test.contract.FollowUpStoreContract;

/** The in-memory store keeps the same contract as the database stores. */
class InMemoryFollowUpStoreContractTest extends FollowUpStoreContract {
    private static final InMemoryFollowUpStore STORE = new InMemoryFollowUpStore();

    @Override
    protected FollowUpStore store() {
        return STORE;
    }
}
