package dev.followup.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.ConcurrentUpdateException;
import dev.followup.FollowUpException;
import dev.followup.StorageException;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** Driver messages echo bound values (PHI); what the store throws never repeats them. */
class FailuresTest {
    private static final String PHI = "Key (first_name)=(Sarahbeth Quizenberry) +14155550177";

    @Test
    void uniqueViolationsAndLostRacesBecomeConcurrentUpdatesWithoutTheDriversMessage() {
        FollowUpException duplicate = Failures.translate("insert send attempt a-1",
                new UnableToExecuteStatementException(new SQLException(PHI, "23505"), null));
        assertThat(duplicate).isInstanceOf(ConcurrentUpdateException.class).hasMessageContaining("a-1").hasMessageContaining("23505");
        for (String state : new String[] {"40001", "40P01", "55P03", "HYT00"}) {
            assertThat(Failures.translate("x", new SQLException(PHI, state))).isInstanceOf(ConcurrentUpdateException.class);
        }
        assertNoPhiAnywhere(duplicate);
    }

    @Test
    void otherFailuresBecomeStorageExceptionsKeepingOnlyTheStateAndTheStackTrace() {
        SQLException driver = new SQLException(PHI, "22001");
        FollowUpException failure = Failures.translate("save patient p-1", new UnableToExecuteStatementException(driver, null));
        assertThat(failure).isInstanceOf(StorageException.class).hasMessage("save patient p-1 failed (SQLState 22001)");
        assertThat(failure.getCause()).isNotNull();
        assertThat(failure.getCause().getStackTrace()).isEqualTo(driver.getStackTrace());
        assertNoPhiAnywhere(failure);
    }

    private static void assertNoPhiAnywhere(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain("Sarahbeth").doesNotContain("4155550177");
            assertThat(c.toString()).doesNotContain("Sarahbeth");
        }
    }
}
