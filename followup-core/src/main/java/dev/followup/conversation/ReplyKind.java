package dev.followup.conversation;

/**
 * What a patient's reply asks for, as {@link ReplyClassifier} reads it. The engine acts on the
 * kind; anything it cannot act on safely is {@link #OTHER} and goes to staff with the text.
 */
public enum ReplyKind {
    /**
     * The patient revokes consent: a carrier keyword (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
     * QUIT, REVOKE, OPTOUT, "opt out") or plain wording a reasonable person reads as an opt-out,
     * in English or Spanish. It wins over every other kind in the same message and covers every
     * channel immediately.
     */
    OPT_OUT,
    /** The patient opts back in after an opt-out: START, UNSTOP, "opt in" (Spanish "comenzar"). */
    OPT_IN,
    /** The patient asks who is texting: HELP, INFO (Spanish "ayuda"). Answered with the practice's name and phone. */
    HELP,
    /** The patient accepts the invitation ("yes", "sure", "I'd like to schedule", "sí", a thumbs-up): offer slots. */
    YES,
    /** The patient declines ("no", "no thanks", "not interested", "I already booked", "no gracias"). Not an opt-out. */
    NO,
    /**
     * The patient picks one of the slots currently offered ("2", "#2", "option 2", "the 2nd one");
     * {@link ClassifiedReply#slotNumber()} says which, counted from 1.
     */
    SLOT_CHOICE,
    /** Anything else, including anything ambiguous: a staff task carrying the text. Never answered with "invalid response". */
    OTHER
}
