package dev.followup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FollowUpExceptionTest {
    @Test
    void aLoggableDescriptionKeepsOurIdOnlyMessagesAndDropsForeignOnes() {
        assertThat(FollowUpException.loggable(new NotFoundException("follow-up f-1 is missing")))
                .isEqualTo("NotFoundException: follow-up f-1 is missing");
        // A driver's message may quote the row it refused: only the type is safe to log.
        assertThat(FollowUpException.loggable(new IllegalStateException("duplicate key (phone)=(3125550177)")))
                .isEqualTo("java.lang.IllegalStateException");
    }
}
