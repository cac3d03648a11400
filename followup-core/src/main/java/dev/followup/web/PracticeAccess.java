package dev.followup.web;

import dev.followup.practice.PracticeId;

/**
 * Decides which practices a signed-in user may see: their reports, and their task board with
 * patients' names. The host application implements it from its own user model (a user's
 * practices, a role). {@link ReportPages} asks it on every request, reads and actions alike.
 *
 * <pre>{@code
 * PracticeAccess access = (user, practice) -> directory.practicesOf(user).contains(practice.value());
 * }</pre>
 */
@FunctionalInterface
public interface PracticeAccess {
    /** The default: nobody sees anything until the host says otherwise. */
    PracticeAccess DENY_ALL = (user, practice) -> false;

    /**
     * @param user the signed-in user's id, as the host passed it in {@link WebRequest#user()}
     * @param practice a practice
     * @return whether the user may see the practice's reports and work its task board
     */
    boolean maySee(String user, PracticeId practice);
}
