package dev.followup.consent;

import dev.followup.followup.Channel;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import java.time.Instant;

/**
 * A channel that must not be tried again for a patient because it failed permanently (an invalid
 * or landline number, an address the mail server rejects). Unlike an opt-out it concerns one
 * channel only.
 *
 * @param practiceId the practice
 * @param patientId the patient
 * @param channel the channel
 * @param reasonCode the provider's code or a short reason token, without PHI
 * @param at when it was recorded
 */
public record ChannelSuppression(PracticeId practiceId, PatientId patientId, Channel channel, String reasonCode, Instant at) {}
