package dev.followup.spi;

import dev.followup.followup.FollowUpId;
import dev.followup.practice.PracticeId;
import java.time.Instant;

/**
 * A due follow-up that one engine node has leased. Until {@code leaseUntil} no other node claims
 * it; a node that dies simply lets the lease run out.
 *
 * @param practiceId the practice
 * @param followUpId the follow-up
 * @param owner the claiming node's id
 * @param leaseUntil when the lease expires
 */
public record Claim(PracticeId practiceId, FollowUpId followUpId, String owner, Instant leaseUntil) {}
