package dev.followup.conversation;

import dev.followup.InvalidInputException;

/**
 * The outcome of classifying one inbound text. It holds no text, so it can be logged and audited
 * freely.
 *
 * @param kind what the reply asks for
 * @param slotNumber the chosen slot, counted from 1, when {@code kind} is {@link
 *     ReplyKind#SLOT_CHOICE}; {@code 0} for every other kind
 * @param exactKeyword whether the whole message (trimmed, case-insensitive, trailing punctuation
 *     ignored) is one of the single-word keywords Twilio answers itself on long codes by default:
 *     STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, START, UNSTOP, YES, HELP,
 *     INFO. When true the carrier-side reply (opt-out or opt-in confirmation, help text) has
 *     already gone out, so the engine must not send a second one if the sender relies on Twilio's
 *     keyword handling.
 */
public record ClassifiedReply(ReplyKind kind, int slotNumber, boolean exactKeyword) {
    /** Validates that a slot number is given exactly for {@link ReplyKind#SLOT_CHOICE}. */
    public ClassifiedReply {
        if (kind == null) {
            throw new InvalidInputException("classified reply needs a kind");
        }
        if (kind == ReplyKind.SLOT_CHOICE ? slotNumber < 1 : slotNumber != 0) {
            throw new InvalidInputException("slot number " + slotNumber + " is invalid for reply kind " + kind
                    + " (positive for SLOT_CHOICE, 0 otherwise)");
        }
    }
}
